package app.fieldbook.insights;

import app.fieldbook.identity.Actor;
import app.fieldbook.protocol.ReportStatus;
import app.fieldbook.sites.ScopedQuery;
import app.fieldbook.sites.SitesSeen;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The figures of the daily reports, summed up by the database: each query groups the reports of a range of days
 * (a month and the month before it for the month-end, in one pass over both; a month for the dashboards) and
 * answers a row per group, never a row per report (but the listed delays and incidents, which are the text of
 * reports). Every query is scoped by {@link Coverage}, that is by {@link ScopedQuery}: the covered sites are read
 * first ({@link #sites}), and the other queries of the same snapshot are scoped to those sites ({@link SitesSeen}).
 * Reads the tables of the reports ({@code daily_reports}, {@code report_crew}), of the photos ({@code photos}) and
 * of the sites ({@code sites}, {@code portfolio_sites}); writes none. Each query runs on the client it is given:
 * the month-end and the dashboards read through {@link app.fieldbook.LagTolerantReads}, from a replica when one may
 * be used.
 *
 * <p>A text tells of a delay or an incident when it says something happened: the field is optional free text,
 * left empty (null) when nothing happened, and an answer that says so in words ({@link #NOTHING_TOLD}: "None",
 * "n/a", "-", ...) is taken as empty too, whatever its case and the spaces, line breaks and punctuation
 * ({@link #EDGES}) around it. A text that says more ("None until noon, then rain") tells.
 */
@Repository
class ReportFigures {

    /** A site a month-end covers. */
    record CoveredSite(UUID id, String code, String name, String timezone) {
    }

    /**
     * The reports of one site and day in one status, how many of them tell of a delay and of a safety
     * incident, and the first of them by id (the one a dashboard's cell opens).
     */
    record DayCount(UUID siteId, LocalDate date, ReportStatus status, long reports, long delays,
            long safetyIncidents, UUID firstReport) {
    }

    /**
     * The crew rows of filed reports of one day, trade and company (null: none named), spelled exactly so
     * ({@code rows}: how many rows).
     */
    record CrewDay(LocalDate date, String trade, String company, long rows, BigDecimal hours, long headcount) {
    }

    /**
     * The crew rows of filed reports of one trade and company (null: none named), in the month and the one
     * before, spelled exactly so ({@code rows}: how many rows in both months).
     */
    record CrewSum(String trade, String company, long rows, BigDecimal hours, long headcount,
            BigDecimal previousHours, long previousHeadcount) {
    }

    /** The stored photos of one site's filed reports, in the month and the one before. */
    record PhotoCount(UUID siteId, long photos, long previousPhotos) {
    }

    /** A filed report of the month that tells of a delay or a safety incident (the text that does not is null). */
    record Remarked(UUID reportId, UUID siteId, String siteCode, LocalDate date, String delays,
            String safetyIncidents) {
    }

    /**
     * The answers that tell of nothing, in lower case, once the characters of {@link #EDGES} are trimmed from
     * both ends; the empty text is one. Written into the SQL as literals (none holds a quote).
     */
    static final List<String> NOTHING_TOLD = List.of("", "none", "no", "nil", "nothing", "n/a", "na", "n.a",
            "not applicable", "no delay", "no delays", "no incident", "no incidents", "nothing to report", "0");

    /** What is trimmed from both ends of a text before it is compared with {@link #NOTHING_TOLD}. */
    static final String EDGES = " \t\r\n.,;:!_*-\u2013\u2014";

    /** Whether {@code r.delays} tells of a delay (false or null when it does not). */
    private static final String TELLS_OF_DELAY = tells("r.delays");

    /** Whether {@code r.safety_incidents} tells of an incident (false or null when it does not). */
    private static final String TELLS_OF_INCIDENT = tells("r.safety_incidents");

    /** The statuses of a filed report, the only ones whose figures count: handed in and not sent back. */
    static final List<ReportStatus> FILED = List.of(ReportStatus.SUBMITTED, ReportStatus.APPROVED);

    private static final List<String> FILED_NAMES = FILED.stream().map(Enum::name).toList();

    private static final RowMapper<CoveredSite> SITE = (rs, n) -> new CoveredSite(rs.getObject("id", UUID.class),
            rs.getString("code"), rs.getString("name"), rs.getString("timezone"));
    private static final RowMapper<DayCount> DAY = (rs, n) -> new DayCount(rs.getObject("site_id", UUID.class),
            rs.getObject("report_date", LocalDate.class), ReportStatus.valueOf(rs.getString("status")),
            rs.getLong("reports"), rs.getLong("delays"), rs.getLong("safety_incidents"),
            UUID.fromString(rs.getString("first_report")));
    private static final RowMapper<CrewDay> CREW_DAY = (rs, n) -> new CrewDay(
            rs.getObject("report_date", LocalDate.class), rs.getString("trade"), rs.getString("company"),
            rs.getLong("crew_rows"), rs.getBigDecimal("hours"), rs.getLong("headcount"));
    private static final RowMapper<PhotoCount> PHOTOS = (rs, n) -> new PhotoCount(rs.getObject("site_id", UUID.class),
            rs.getLong("photos"), rs.getLong("previous_photos"));
    private static final RowMapper<Remarked> REMARKED = (rs, n) -> new Remarked(rs.getObject("id", UUID.class),
            rs.getObject("site_id", UUID.class), rs.getString("code"), rs.getObject("report_date", LocalDate.class),
            rs.getString("delays"), rs.getString("safety_incidents"));

    /**
     * The covered sites the person may see, by code: the sites every other figure is read for, in the same
     * snapshot ({@link SitesSeen#scope}).
     */
    SitesSeen<CoveredSite> sites(JdbcClient jdbc, Coverage coverage, Actor actor) {
        return coverage.ofSites(actor)
                .readSites(jdbc, """
                        SELECT s.id, s.code, s.name, s.timezone FROM sites s""", """
                         ORDER BY s.code""", SITE);
    }

    /** The reports of each covered site, day and status, in every status, in the month and the one before. */
    List<DayCount> days(JdbcClient jdbc, SitesSeen<?> covered, YearMonth month) {
        return days(jdbc, covered, month.minusMonths(1).atDay(1), month.atEndOfMonth());
    }

    /** The reports of each covered site, day and status, in every status, dated {@code from} to {@code to}. */
    List<DayCount> days(JdbcClient jdbc, SitesSeen<?> covered, LocalDate from, LocalDate to) {
        return between(covered.scope("r.site_id"), from, to)
                .statement(jdbc, """
                        SELECT r.site_id, r.report_date, r.status, COUNT(*) AS reports,
                               SUM(CASE WHEN %s THEN 1 ELSE 0 END) AS delays,
                               SUM(CASE WHEN %s THEN 1 ELSE 0 END) AS safety_incidents,
                               MIN(CAST(r.id AS VARCHAR(36))) AS first_report
                          FROM daily_reports r""".formatted(TELLS_OF_DELAY, TELLS_OF_INCIDENT), """
                         GROUP BY r.site_id, r.report_date, r.status""")
                .query(DAY).list();
    }

    /**
     * The hours and headcount of the crews of filed reports, by trade and company as spelled, in the month and
     * the one before (grouped by name regardless of case and spaces by {@link CrewNames}): the crews by day of
     * {@link #crewDays} added up by month.
     */
    List<CrewSum> crew(JdbcClient jdbc, SitesSeen<?> covered, YearMonth month) {
        record Spelled(String trade, String company) {
        }
        Map<Spelled, CrewSum> sums = new LinkedHashMap<>();
        for (CrewDay day : crewDays(jdbc, covered, month.minusMonths(1).atDay(1), month.atEndOfMonth())) {
            boolean thisMonth = YearMonth.from(day.date()).equals(month);
            CrewSum sum = new CrewSum(day.trade(), day.company(), day.rows(),
                    thisMonth ? day.hours() : BigDecimal.ZERO, thisMonth ? day.headcount() : 0,
                    thisMonth ? BigDecimal.ZERO : day.hours(), thisMonth ? 0 : day.headcount());
            sums.merge(new Spelled(day.trade(), day.company()), sum, (a, b) -> new CrewSum(a.trade(), a.company(),
                    a.rows() + b.rows(), a.hours().add(b.hours()), a.headcount() + b.headcount(),
                    a.previousHours().add(b.previousHours()), a.previousHeadcount() + b.previousHeadcount()));
        }
        return List.copyOf(sums.values());
    }

    /**
     * The hours and headcount of the crews of filed reports dated {@code from} to {@code to}, by day, and by
     * trade and company as spelled. The crew rows carry their report's date (V18), so the crews of the days are
     * read as one range of {@code report_crew_by_date}, not looked up report by report: the days are bounded on
     * the crews too, as the planner does not carry a range across a join. The join stays on the id alone: joined
     * on the date as well, PostgreSQL takes the two for independent, expects a handful of rows and sorts them
     * on disk instead of hashing the groups (docs/performance.md).
     */
    List<CrewDay> crewDays(JdbcClient jdbc, SitesSeen<?> covered, LocalDate from, LocalDate to) {
        return between(filed(covered.scope("r.site_id")), from, to)
                .where("c.report_date >= :crewFromDate", from)
                .where("c.report_date <= :crewToDate", to)
                .statement(jdbc, """
                        SELECT r.report_date, c.trade, c.company, COUNT(*) AS crew_rows,
                               SUM(c.hours) AS hours, SUM(c.headcount) AS headcount
                          FROM daily_reports r JOIN report_crew c ON c.report_id = r.id""", """
                         GROUP BY r.report_date, c.trade, c.company""")
                .query(CREW_DAY).list();
    }

    /** The stored photos of filed reports, by site, in both months. */
    List<PhotoCount> photos(JdbcClient jdbc, SitesSeen<?> covered, YearMonth month) {
        return inBothMonths(filed(covered.scope("r.site_id")), month)
                .where("p.state = 'STORED'")
                .statement(jdbc, """
                        SELECT r.site_id,
                               SUM(CASE WHEN r.report_date >= :monthStart THEN 1 ELSE 0 END) AS photos,
                               SUM(CASE WHEN r.report_date < :monthStart THEN 1 ELSE 0 END) AS previous_photos
                          FROM daily_reports r JOIN photos p ON p.report_id = r.id""", """
                         GROUP BY r.site_id""")
                .param("monthStart", month.atDay(1))
                .query(PHOTOS).list();
    }

    /** The filed reports of the month that tell of a delay or a safety incident, by date and site code. */
    List<Remarked> remarked(JdbcClient jdbc, SitesSeen<?> covered, YearMonth month) {
        return filed(covered.scope("r.site_id"))
                .where("r.report_date >= :monthStart", month.atDay(1))
                .where("r.report_date <= :monthEnd", month.atEndOfMonth())
                .where("(" + TELLS_OF_DELAY + " OR " + TELLS_OF_INCIDENT + ")")
                .statement(jdbc, """
                        SELECT r.id, r.site_id, s.code, r.report_date,
                               CASE WHEN %s THEN r.delays END AS delays,
                               CASE WHEN %s THEN r.safety_incidents END AS safety_incidents
                          FROM daily_reports r JOIN sites s ON s.id = r.site_id""".formatted(TELLS_OF_DELAY,
                        TELLS_OF_INCIDENT), """
                         ORDER BY r.report_date, s.code, r.id""")
                .query(REMARKED).list();
    }

    /** A condition on a text column: true when it tells of something, false or null when it does not. */
    private static String tells(String column) {
        return "LOWER(TRIM(BOTH '" + EDGES + "' FROM " + column + ")) NOT IN ("
                + NOTHING_TOLD.stream().map(answer -> "'" + answer + "'").collect(Collectors.joining(", ")) + ")";
    }

    private static ScopedQuery filed(ScopedQuery reports) {
        return reports.where("r.status IN (:filed)", FILED_NAMES);
    }

    private static ScopedQuery inBothMonths(ScopedQuery reports, YearMonth month) {
        return between(reports, month.minusMonths(1).atDay(1), month.atEndOfMonth());
    }

    private static ScopedQuery between(ScopedQuery reports, LocalDate from, LocalDate to) {
        return reports
                .where("r.report_date >= :fromDate", from)
                .where("r.report_date <= :toDate", to);
    }
}
