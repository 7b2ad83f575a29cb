package app.fieldbook.reports;

import app.fieldbook.identity.Actor;
import app.fieldbook.protocol.CrewRow;
import app.fieldbook.protocol.ReportContent;
import app.fieldbook.protocol.ReportStatus;
import app.fieldbook.protocol.Weather;
import app.fieldbook.sites.DataScope;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The daily reports and their crew rows. Every read for a person goes through {@link DataScope}. */
@Repository
class DailyReports {

    /** Optional filters of the report list. */
    record Filter(UUID siteId, LocalDate from, LocalDate to, ReportStatus status, UUID authorId) {
    }

    private final JdbcClient jdbc;

    DailyReports(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<DailyReport> findVisible(UUID id, Actor actor) {
        DataScope scope = DataScope.of(actor);
        return jdbc.sql("SELECT * FROM daily_reports r WHERE r.id = :id AND " + scope.sitePredicate("r.site_id"))
                .param("id", id).params(scope.parameters())
                .query(this::header).optional()
                .map(header -> withCrew(List.of(header)).getFirst());
    }

    List<DailyReport> findVisible(java.util.Collection<UUID> ids, Actor actor) {
        if (ids.isEmpty()) {
            return List.of();
        }
        DataScope scope = DataScope.of(actor);
        return withCrew(jdbc.sql("SELECT * FROM daily_reports r WHERE r.id IN (:ids) AND "
                        + scope.sitePredicate("r.site_id"))
                .param("ids", List.copyOf(ids)).params(scope.parameters())
                .query(this::header).list());
    }

    /** The site of a report regardless of scope; only to record a refused access, never to answer. */
    Optional<UUID> siteOf(UUID id) {
        return jdbc.sql("SELECT site_id FROM daily_reports WHERE id = ?").param(id).query(UUID.class).optional();
    }

    Optional<UUID> findIdOf(UUID siteId, LocalDate date, UUID authorId) {
        return jdbc.sql("SELECT id FROM daily_reports WHERE site_id = ? AND report_date = ? AND author_id = ?")
                .params(siteId, date, authorId).query(UUID.class).optional();
    }

    List<DailyReport> page(Filter filter, Actor actor, int page, int size) {
        Query query = query(filter, actor);
        List<DailyReport> headers = jdbc.sql("SELECT * FROM daily_reports r WHERE " + query.where
                        + " ORDER BY r.report_date DESC, r.site_id, r.id LIMIT :limit OFFSET :offset")
                .params(query.parameters).param("limit", size).param("offset", (long) page * size)
                .query(this::header).list();
        return withCrew(headers);
    }

    long count(Filter filter, Actor actor) {
        Query query = query(filter, actor);
        return jdbc.sql("SELECT COUNT(*) FROM daily_reports r WHERE " + query.where)
                .params(query.parameters).query(Long.class).single();
    }

    void insert(DailyReport report) {
        jdbc.sql("""
                INSERT INTO daily_reports (id, site_id, report_date, author_id, status, weather_conditions,
                    temperature_celsius, work_performed, delays, safety_incidents, materials, notes, return_comment,
                    submitted_at, decided_at, decided_by, version, created_at, updated_at, updated_by)
                VALUES (:id, :siteId, :date, :authorId, :status, :conditions, :temperature, :workPerformed, :delays,
                    :safetyIncidents, :materials, :notes, :returnComment, :submittedAt, :decidedAt, :decidedBy,
                    :version, :createdAt, :updatedAt, :updatedBy)
                """)
                .params(columns(report))
                .update();
        writeCrew(report);
    }

    /** Writes the report if its stored version is {@code expectedVersion}; false if it changed meanwhile. */
    boolean update(DailyReport report, long expectedVersion) {
        Map<String, Object> columns = columns(report);
        columns.put("expectedVersion", expectedVersion);
        boolean updated = jdbc.sql("""
                UPDATE daily_reports SET status = :status, weather_conditions = :conditions,
                    temperature_celsius = :temperature, work_performed = :workPerformed, delays = :delays,
                    safety_incidents = :safetyIncidents, materials = :materials, notes = :notes,
                    return_comment = :returnComment, submitted_at = :submittedAt, decided_at = :decidedAt,
                    decided_by = :decidedBy, version = :version, updated_at = :updatedAt,
                    updated_by = :updatedBy
                 WHERE id = :id AND version = :expectedVersion
                """)
                .params(columns)
                .update() == 1;
        if (updated) {
            jdbc.sql("DELETE FROM report_crew WHERE report_id = ?").param(report.id()).update();
            writeCrew(report);
        }
        return updated;
    }

    boolean delete(UUID id, long expectedVersion) {
        jdbc.sql("DELETE FROM report_crew WHERE report_id = ?").param(id).update();
        return jdbc.sql("DELETE FROM daily_reports WHERE id = ? AND version = ?").params(id, expectedVersion)
                .update() == 1;
    }

    private record Query(String where, Map<String, Object> parameters) {
    }

    private static Query query(Filter filter, Actor actor) {
        DataScope scope = DataScope.of(actor);
        StringBuilder where = new StringBuilder(scope.sitePredicate("r.site_id"));
        Map<String, Object> parameters = new HashMap<>(scope.parameters());
        if (filter.siteId() != null) {
            where.append(" AND r.site_id = :siteId");
            parameters.put("siteId", filter.siteId());
        }
        if (filter.from() != null) {
            where.append(" AND r.report_date >= :from");
            parameters.put("from", filter.from());
        }
        if (filter.to() != null) {
            where.append(" AND r.report_date <= :to");
            parameters.put("to", filter.to());
        }
        if (filter.status() != null) {
            where.append(" AND r.status = :status");
            parameters.put("status", filter.status().name());
        }
        if (filter.authorId() != null) {
            where.append(" AND r.author_id = :authorId");
            parameters.put("authorId", filter.authorId());
        }
        return new Query(where.toString(), parameters);
    }

    private static Map<String, Object> columns(DailyReport report) {
        Map<String, Object> columns = new HashMap<>();
        columns.put("id", report.id());
        columns.put("siteId", report.siteId());
        columns.put("date", report.date());
        columns.put("authorId", report.authorId());
        columns.put("status", report.status().name());
        columns.put("conditions", report.content().weather().conditions());
        columns.put("temperature", report.content().weather().temperatureCelsius());
        columns.put("workPerformed", report.content().workPerformed());
        columns.put("delays", report.content().delays());
        columns.put("safetyIncidents", report.content().safetyIncidents());
        columns.put("materials", report.content().materials());
        columns.put("notes", report.content().notes());
        columns.put("returnComment", report.returnComment());
        columns.put("submittedAt", report.submittedAt());
        columns.put("decidedAt", report.decidedAt());
        columns.put("decidedBy", report.decidedBy());
        columns.put("version", report.version());
        columns.put("createdAt", report.createdAt());
        columns.put("updatedAt", report.updatedAt());
        columns.put("updatedBy", report.updatedBy());
        return columns;
    }

    private void writeCrew(DailyReport report) {
        List<CrewRow> crew = report.content().crew();
        for (int position = 0; position < crew.size(); position++) {
            CrewRow row = crew.get(position);
            jdbc.sql("INSERT INTO report_crew (report_id, position, trade, company, headcount, hours) VALUES (?, ?, ?, ?, ?, ?)")
                    .params(report.id(), position, row.trade(), row.company(), row.headcount(), row.hours())
                    .update();
        }
    }

    private List<DailyReport> withCrew(List<DailyReport> headers) {
        if (headers.isEmpty()) {
            return headers;
        }
        Map<UUID, List<CrewRow>> crewByReport = new HashMap<>();
        jdbc.sql("SELECT * FROM report_crew WHERE report_id IN (:ids) ORDER BY report_id, position")
                .param("ids", headers.stream().map(DailyReport::id).toList())
                .query(rs -> {
                    crewByReport.computeIfAbsent(rs.getObject("report_id", UUID.class), id -> new ArrayList<>())
                            .add(new CrewRow(rs.getString("trade"), rs.getString("company"), rs.getInt("headcount"),
                                    rs.getBigDecimal("hours")));
                });
        List<DailyReport> reports = new ArrayList<>(headers.size());
        for (DailyReport header : headers) {
            List<CrewRow> crew = crewByReport.getOrDefault(header.id(), List.of());
            ReportContent content = header.content();
            reports.add(new DailyReport(header.id(), header.siteId(), header.date(), header.authorId(), header.status(),
                    new ReportContent(content.weather(), crew, content.workPerformed(), content.delays(),
                            content.safetyIncidents(), content.materials(), content.notes()),
                    header.returnComment(), header.submittedAt(), header.decidedAt(), header.decidedBy(),
                    header.version(), header.createdAt(), header.updatedAt(), header.updatedBy()));
        }
        return reports;
    }

    private DailyReport header(ResultSet rs, int n) throws SQLException {
        BigDecimal temperature = rs.getBigDecimal("temperature_celsius");
        return new DailyReport(
                rs.getObject("id", UUID.class),
                rs.getObject("site_id", UUID.class),
                rs.getObject("report_date", LocalDate.class),
                rs.getObject("author_id", UUID.class),
                ReportStatus.valueOf(rs.getString("status")),
                new ReportContent(new Weather(rs.getString("weather_conditions"), temperature), List.of(),
                        rs.getString("work_performed"), rs.getString("delays"), rs.getString("safety_incidents"),
                        rs.getString("materials"), rs.getString("notes")),
                rs.getString("return_comment"),
                rs.getObject("submitted_at", OffsetDateTime.class),
                rs.getObject("decided_at", OffsetDateTime.class),
                rs.getObject("decided_by", UUID.class),
                rs.getLong("version"),
                rs.getObject("created_at", OffsetDateTime.class),
                rs.getObject("updated_at", OffsetDateTime.class),
                rs.getObject("updated_by", UUID.class));
    }
}
