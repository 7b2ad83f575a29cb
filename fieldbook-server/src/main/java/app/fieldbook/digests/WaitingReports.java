package app.fieldbook.digests;

import app.fieldbook.identity.Actor;
import app.fieldbook.sites.ScopedQuery;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The reports waiting for a manager's review, read from the reports' and sites' tables within the manager's
 * scope ({@link ScopedQuery}): submitted, neither returned nor approved yet, and not their own (no one reviews
 * their own report).
 */
@Repository
class WaitingReports {

    /** A report waiting for review, with what the digest says of it. */
    record WaitingReport(UUID id, UUID siteId, String siteCode, String siteName, LocalDate date, UUID authorId,
            OffsetDateTime submittedAt) {
    }

    private static final RowMapper<WaitingReport> ROW = (rs, n) -> new WaitingReport(
            rs.getObject("id", UUID.class),
            rs.getObject("site_id", UUID.class),
            rs.getString("code"),
            rs.getString("name"),
            rs.getObject("report_date", LocalDate.class),
            rs.getObject("author_id", UUID.class),
            rs.getObject("submitted_at", OffsetDateTime.class));

    private final JdbcClient jdbc;

    WaitingReports(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The reports waiting for this manager's review, by site name, then oldest day and submission first. */
    List<WaitingReport> of(Actor manager) {
        return ScopedQuery.of(manager, "r.site_id")
                .where("r.status = 'SUBMITTED'")
                .where("r.author_id <> :reviewer", manager.id())
                .statement(jdbc, """
                        SELECT r.id, r.site_id, s.code, s.name, r.report_date, r.author_id,
                               COALESCE(r.submitted_at, r.updated_at) AS submitted_at
                          FROM daily_reports r
                          JOIN sites s ON s.id = r.site_id""", """
                         ORDER BY s.name, s.code, r.report_date, submitted_at, r.id""")
                .query(ROW).list();
    }
}
