package app.fieldbook.reports;

import app.fieldbook.LagTolerantReads;
import app.fieldbook.PerTransaction;
import app.fieldbook.identity.Actor;
import app.fieldbook.identity.Role;
import app.fieldbook.protocol.CrewRow;
import app.fieldbook.protocol.Report;
import app.fieldbook.protocol.ReportField;
import app.fieldbook.protocol.ReportStatus;
import app.fieldbook.sites.DataScope;
import app.fieldbook.sites.ScopedQuery;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.springframework.jdbc.core.ResultSetExtractor;
import org.springframework.jdbc.core.SqlParameterValue;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The daily reports and their crew rows. Every read for a person goes through {@link ScopedQuery}. All on the
 * primary but the list ({@link #list}), which tolerates a little lag.
 */
@Repository
class DailyReports {

    /** Optional filters of the report list. */
    record Filter(UUID siteId, LocalDate from, LocalDate to, ReportStatus status, UUID authorId) {
    }

    /** The report's fields that have a column of {@code daily_reports} (all but the crew). */
    private static final List<ReportField> STORED = Arrays.stream(ReportField.values())
            .filter(field -> field.column().isPresent()).toList();
    /** The columns that are not fields of a report but of its record: identity, version, times of change. */
    static final List<String> RECORD_COLUMNS = List.of("id", "submitted_at", "decided_at", "decided_by",
            "version", "created_at", "updated_at", "updated_by");
    /** Every column a report is written to; each is bound as a parameter of the same name. */
    private static final List<String> COLUMNS = Stream.concat(RECORD_COLUMNS.stream(),
            STORED.stream().map(DailyReports::column)).toList();
    /**
     * The columns a report is read from, named rather than {@code *}, so that a column added by a later migration
     * (during a rolling upgrade, say) leaves the result of a statement PostgreSQL has prepared as it was; a changed
     * result is "cached plan must not change result type", which the driver cannot retry inside a transaction.
     */
    private static final String SELECTED = "SELECT " + COLUMNS.stream().map(column -> "r." + column)
            .collect(Collectors.joining(", ")) + "\n";
    /**
     * The list's order, newest day first, and within a day by site and author: a total order, so that pages do not
     * overlap, and for one site the order of the unique index (site, date, author) read backwards.
     */
    private static final String NEWEST_FIRST = """
             ORDER BY r.report_date DESC, r.site_id DESC, r.author_id DESC
             LIMIT :limit OFFSET :offset""";
    /**
     * {@link #NEWEST_FIRST} for the reports of one site named as a range ({@link ScopedQuery#ofSiteAsRange}): the same
     * order, written as the unique index (site, date, author) reads backwards, which then is the only index that
     * gives it. The page is read from that index with no sort, whatever the site's size, in the plan made without
     * the site in view as well (ReportListPlanTest).
     */
    private static final String ONE_SITE_NEWEST_FIRST = """
             ORDER BY r.site_id DESC, r.report_date DESC, r.author_id DESC
             LIMIT :limit OFFSET :offset""";
    private static final String INSERT = "INSERT INTO daily_reports (" + String.join(", ", COLUMNS) + ")\n VALUES ("
            + COLUMNS.stream().map(column -> ":" + column).collect(Collectors.joining(", ")) + ")";
    /** The insert of {@link #insertOnVisibleSite}, to be followed by the scope's conditions on the site. */
    private static final String INSERT_ON_SITE = "INSERT INTO daily_reports (" + String.join(", ", COLUMNS)
            + ")\n SELECT " + COLUMNS.stream().map(DailyReports::selected).collect(Collectors.joining(", "))
            + "\n FROM sites s";
    /** Writes what may change after creation, if the version is still the one read. */
    private static final String UPDATE = "UPDATE daily_reports SET " + Stream.concat(
            STORED.stream().filter(ReportField::isUpdatable).map(DailyReports::column),
            Stream.of("submitted_at", "decided_at", "decided_by", "version", "updated_at", "updated_by"))
            .map(column -> column + " = :" + column).collect(Collectors.joining(", "))
            + "\n WHERE id = :id AND version = :expectedVersion";
    private static final String CREW = """
            INSERT INTO report_crew (report_id, report_date, position, trade, company, headcount, hours)
            VALUES (:reportId, :reportDate, :position, :trade, :company, :headcount, :hours)""";

    /**
     * A list of several sites matching at most this many reports is sorted apart ({@link #sortedApart}); above it,
     * the reports are dense enough that the walk by date finds a page soon.
     */
    static final long SORTED_APART_UP_TO = 5_000;

    private final JdbcClient jdbc;
    private final NamedParameterJdbcTemplate batches;
    private final LagTolerantReads lagTolerant;
    private final RecentReportCounts counts;

    DailyReports(JdbcClient jdbc, NamedParameterJdbcTemplate batches, LagTolerantReads lagTolerant,
            RecentReportCounts counts) {
        this.jdbc = jdbc;
        this.batches = batches;
        this.lagTolerant = lagTolerant;
        this.counts = counts;
    }

    /**
     * The report with its crew, in one query, if the person may read it. Within a transaction, a report
     * this person read already is not read again until the transaction writes it: applying a rule right
     * after a read (sync reads to merge, then edits) costs one read.
     */
    Optional<DailyReport> findVisible(UUID id, Actor actor) {
        ReadInTransaction reads = readInTransaction();
        if (reads != null) {
            DailyReport read = reads.find(id, actor);
            if (read != null) {
                return Optional.of(read);
            }
        }
        Optional<DailyReport> report = query(id, actor);
        if (reads != null) {
            report.ifPresent(found -> reads.remember(found, actor));
        }
        return report;
    }

    private Optional<DailyReport> query(UUID id, Actor actor) {
        return ScopedQuery.of(actor, "r.site_id")
                .where("r.id = :id", id)
                .statement(jdbc, """
                        %s, c.position AS crew_position, c.trade AS crew_trade, c.company AS crew_company,
                               c.headcount AS crew_headcount, c.hours AS crew_hours
                          FROM daily_reports r LEFT JOIN report_crew c ON c.report_id = r.id""".formatted(SELECTED), """
                         ORDER BY c.position""")
                .query(oneWithCrew());
    }

    List<DailyReport> findVisible(Collection<UUID> ids, Actor actor) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return withCrew(ScopedQuery.of(actor, "r.site_id")
                .where("r.id IN (:ids)", List.copyOf(ids))
                .statement(jdbc, SELECTED + """
                         FROM daily_reports r""")
                .query(this::header).list());
    }

    /** The ids among {@code ids} of reports the person may read. */
    Set<UUID> visibleIds(Collection<UUID> ids, Actor actor) {
        if (ids.isEmpty()) {
            return Set.of();
        }
        return Set.copyOf(ScopedQuery.of(actor, "r.site_id")
                .where("r.id IN (:ids)", List.copyOf(ids))
                .statement(jdbc, """
                        SELECT r.id FROM daily_reports r""")
                .query(UUID.class).list());
    }

    /** The site of a report regardless of scope; only to record a refused access, never to answer. */
    Optional<UUID> siteOf(UUID id) {
        return jdbc.sql("""
                SELECT site_id FROM daily_reports WHERE id = :id""")
                .param("id", id).query(UUID.class).optional();
    }

    Optional<UUID> findIdOf(UUID siteId, LocalDate date, UUID authorId) {
        return jdbc.sql("""
                SELECT id FROM daily_reports WHERE site_id = :siteId AND report_date = :date AND author_id = :authorId""")
                .param("siteId", siteId).param("date", date).param("authorId", authorId)
                .query(UUID.class).optional();
    }

    /**
     * A page of the list and how many reports match in all; a read that tolerates a little lag, from the replica
     * when one may be used ({@link LagTolerantReads}). How many match is counted once and given again while
     * nothing it counts changed ({@link RecentReportCounts}).
     */
    Listed list(Filter filter, Actor actor, int page, int size) {
        return list(filter, actor, page, size, SORTED_APART_UP_TO);
    }

    /** {@link #list(Filter, Actor, int, int)}, the matching reports sorted apart when at most {@code sortedApartUpTo}. */
    Listed list(Filter filter, Actor actor, int page, int size, long sortedApartUpTo) {
        OptionalLong kept = counts.kept(actor, filter);
        RecentReportCounts.Generations before = counts.generations(filter);
        // one site's page without a range of dates is read from the site index in its own order whichever site it
        // is, so its plan is kept (ReportListPlanTest); a list of several sites, or of a range of dates, needs a plan
        // made for its values (sortedApart)
        boolean wholeSite = filter.siteId() != null && filter.from() == null && filter.to() == null;
        Function<JdbcClient, Listed> read = jdbc -> {
            long total = kept.isPresent() ? kept.getAsLong() : count(jdbc, filter, actor);
            long offset = (long) page * size;
            // a kept total may be behind another server's changes: the page past it is still read
            List<DailyReport> rows = kept.isEmpty() && offset >= total ? List.of()
                    : wholeSite ? page(jdbc, sitePage(filter, actor), ONE_SITE_NEWEST_FIRST, offset, size)
                    : filter.siteId() == null && total <= sortedApartUpTo ? sortedApart(jdbc, filter, actor, offset, size)
                    : page(jdbc, query(filter, actor), NEWEST_FIRST, offset, size);
            return new Listed(rows, total);
        };
        LagTolerantReads.Read<Listed> listed = wholeSite
                ? lagTolerant.readPlannedOnceSaying(read) : lagTolerant.readSaying(read);
        // counted inside a transaction, the total may hold its own writes, which a rollback takes back unannounced
        if (kept.isEmpty() && !TransactionSynchronizationManager.isActualTransactionActive()) {
            counts.keep(actor, filter, before,
                    new LagTolerantReads.Read<>(listed.value().total(), listed.onPrimary()));
        }
        return listed.value();
    }

    /** A page of the report list, and how many reports match the filter in all. */
    record Listed(List<DailyReport> page, long total) {
    }

    /** A page of the reports {@code matching} finds, in the order (with its limit and offset) given. */
    private List<DailyReport> page(JdbcClient jdbc, ScopedQuery matching, String order, long offset, int size) {
        return withCrew(jdbc, matching
                .statement(jdbc, SELECTED + """
                         FROM daily_reports r""", order)
                .param("limit", size).param("offset", offset)
                .query(this::header).list());
    }

    /**
     * The reports of one site's page of every day, the site named as a range, to be read in the site index's order
     * ({@link #ONE_SITE_NEWEST_FIRST}), so that no plan can walk another index instead
     * ({@link ScopedQuery#ofSiteAsRange}): on a few dozen sites of even size whose reports lie in the table by date,
     * PostgreSQL took the walk of the date index for cheaper, reading every site's reports of the page's days, and
     * for a site with few old reports every report (docs/performance.md).
     */
    private static ScopedQuery sitePage(Filter filter, Actor actor) {
        return filtered(ScopedQuery.ofSiteAsRange(actor, "r.site_id", filter.siteId()), filter);
    }

    /**
     * The page, the matching reports found first and then sorted: for a list of several sites that match few
     * reports. Without it PostgreSQL walks the index of all reports by date, newest first, for the first rows of
     * the person's sites, expecting them to be as common as any site's (it cannot tell from the scope's view how
     * many sites a person has): for a manager whose few sites have no report yet, on a database of a million, that
     * walk read every report (2.7 s; docs/performance.md). The {@code OFFSET 0} keeps the inner query apart, so
     * that it is planned by its own conditions, and the person's sites, named besides the scope's condition (which
     * stays), let the planner count their reports and read them through the sites' index.
     */
    private List<DailyReport> sortedApart(JdbcClient jdbc, Filter filter, Actor actor, long offset, int size) {
        ScopedQuery matching = query(filter, actor);
        if (!DataScope.of(actor).seesEverySite()) {
            List<UUID> sites = ScopedQuery.of(actor, "s.id")
                    .statement(jdbc, """
                            SELECT s.id FROM sites s""")
                    .query(UUID.class).list();
            if (sites.isEmpty()) {
                return List.of();
            }
            matching = matching.where("r.site_id IN (:personsSites)", sites);
        }
        return withCrew(jdbc, matching
                .statement(jdbc, SELECTED + """
                         FROM (SELECT * FROM daily_reports r""", """
                         OFFSET 0) r
                        """ + NEWEST_FIRST)
                .param("limit", size).param("offset", offset)
                .query(this::header).list());
    }

    private static long count(JdbcClient jdbc, Filter filter, Actor actor) {
        return query(filter, actor)
                .statement(jdbc, """
                        SELECT COUNT(*) FROM daily_reports r""")
                .query(Long.class).single();
    }

    void insert(DailyReport report) {
        jdbc.sql(INSERT)
                .params(columns(report))
                .update();
        writeCrew(report);
    }

    /**
     * Inserts the report if the author may see its site, checking scope in the insert itself; false (and
     * nothing written) otherwise. A taken id or natural key fails with a duplicate key, as for {@link #insert}.
     */
    boolean insertOnVisibleSite(DailyReport report, Actor author) {
        boolean inserted = ScopedQuery.of(author, "s.id")
                .where("s.id = :siteId", report.siteId())
                .statement(jdbc, INSERT_ON_SITE)
                .params(columns(report))
                .update() == 1;
        if (inserted) {
            writeCrew(report);
        }
        return inserted;
    }

    /** Writes {@code report} if the stored version is still that of {@code before}; false if it changed meanwhile. */
    boolean update(DailyReport report, DailyReport before) {
        Map<String, Object> columns = columns(report);
        columns.put("expectedVersion", before.version());
        boolean updated = jdbc.sql(UPDATE)
                .params(columns)
                .update() == 1;
        forget(report.id());
        if (updated && !sameCrew(report.content().crew(), before.content().crew())) {
            deleteCrew(report.id());
            writeCrew(report.id(), before.date(), report.content().crew());
        }
        return updated;
    }

    boolean delete(UUID id, long expectedVersion) {
        forget(id);
        deleteCrew(id);
        return jdbc.sql("""
                DELETE FROM daily_reports WHERE id = :id AND version = :expectedVersion""")
                .param("id", id).param("expectedVersion", expectedVersion)
                .update() == 1;
    }

    private static ScopedQuery query(Filter filter, Actor actor) {
        return filtered(ScopedQuery.ofSite(actor, "r.site_id", filter.siteId()), filter);
    }

    /** {@code sites} with the filter's conditions but its site. */
    private static ScopedQuery filtered(ScopedQuery sites, Filter filter) {
        return sites
                .filter("r.report_date >= :from", filter.from())
                .filter("r.report_date <= :to", filter.to())
                .filter("r.status = :status", filter.status())
                .filter("r.author_id = :authorId", filter.authorId());
    }

    /**
     * What the insert on a visible site selects for a column: the site found, or the parameter. A NULL
     * parameter in a SELECT list has no type in PostgreSQL, so the nullable columns that are not text are
     * cast (numbers are bound with their type, see {@link #columns}).
     */
    private static String selected(String column) {
        return switch (column) {
            case "site_id" -> "s.id";
            case "submitted_at", "decided_at" -> "CAST(:" + column + " AS TIMESTAMP WITH TIME ZONE)";
            case "decided_by", "updated_by" -> "CAST(:" + column + " AS UUID)";
            default -> ":" + column;
        };
    }

    /** Each column's value, keyed by the column's name. */
    private static Map<String, Object> columns(DailyReport report) {
        Map<String, Object> columns = new HashMap<>();
        columns.put("id", report.id());
        columns.put("submitted_at", report.submittedAt());
        columns.put("decided_at", report.decidedAt());
        columns.put("decided_by", report.decidedBy());
        columns.put("version", report.version());
        columns.put("created_at", report.createdAt());
        columns.put("updated_at", report.updatedAt());
        columns.put("updated_by", report.updatedBy());
        Report wire = report.toWire();
        for (ReportField field : STORED) {
            Object value = field.valueIn(wire);
            columns.put(column(field), switch (field.kind()) {
                case STATUS -> ((ReportStatus) value).name();
                case NUMBER -> new SqlParameterValue(Types.NUMERIC, value);
                case ID, DATE, TEXT, CREW -> value;
            });
        }
        return columns;
    }

    private static String column(ReportField field) {
        return field.column().orElseThrow();
    }

    private void forget(UUID id) {
        ReadInTransaction reads = readInTransaction();
        if (reads != null) {
            reads.forget(id);
        }
    }

    /** The reads of the current transaction, or null outside one. */
    private ReadInTransaction readInTransaction() {
        return PerTransaction.state(ReadInTransaction.class, reads -> reads.owner() == this, ReadInTransaction::new)
                .orElse(null);
    }

    /** Reports read in one transaction, each with who read it (scope depends on the reader). */
    private final class ReadInTransaction implements TransactionSynchronization {

        private record Read(UUID readerId, Role readerRole, DailyReport report) {
        }

        private final Map<UUID, Read> reads = new HashMap<>();

        DailyReports owner() {
            return DailyReports.this;
        }

        DailyReport find(UUID id, Actor reader) {
            Read read = reads.get(id);
            return read != null && read.readerId().equals(reader.id()) && read.readerRole() == reader.role()
                    ? read.report() : null;
        }

        void remember(DailyReport report, Actor reader) {
            reads.put(report.id(), new Read(reader.id(), reader.role(), report));
        }

        void forget(UUID id) {
            reads.remove(id);
        }
    }

    /** Whether two crews hold the same rows; hours compare by value (8.0 is 8). */
    static boolean sameCrew(List<CrewRow> some, List<CrewRow> other) {
        if (some.size() != other.size()) {
            return false;
        }
        for (int i = 0; i < some.size(); i++) {
            CrewRow a = some.get(i);
            CrewRow b = other.get(i);
            boolean sameHours = a.hours() == null ? b.hours() == null
                    : b.hours() != null && a.hours().compareTo(b.hours()) == 0;
            if (!sameHours || !Objects.equals(a.trade(), b.trade()) || !Objects.equals(a.company(), b.company())
                    || !Objects.equals(a.headcount(), b.headcount())) {
                return false;
            }
        }
        return true;
    }

    /** Inserts the report's crew rows in one batch (one round trip). */
    private void writeCrew(DailyReport report) {
        writeCrew(report.id(), report.date(), report.content().crew());
    }

    /**
     * Inserts the crew rows of a report in one batch, each with the report's date (V18; the month-end reads the
     * crews of a range of days by it). An update passes the stored date: {@link #UPDATE} never writes a date.
     */
    private void writeCrew(UUID reportId, LocalDate reportDate, List<CrewRow> crew) {
        if (crew.isEmpty()) {
            return;
        }
        SqlParameterSource[] rows = new SqlParameterSource[crew.size()];
        for (int position = 0; position < crew.size(); position++) {
            CrewRow row = crew.get(position);
            rows[position] = new MapSqlParameterSource()
                    .addValue("reportId", reportId)
                    .addValue("reportDate", reportDate)
                    .addValue("position", position)
                    .addValue("trade", row.trade())
                    .addValue("company", row.company())
                    .addValue("headcount", row.headcount())
                    .addValue("hours", row.hours());
        }
        batches.batchUpdate(CREW, rows);
    }

    private void deleteCrew(UUID reportId) {
        jdbc.sql("""
                DELETE FROM report_crew WHERE report_id = :reportId""")
                .param("reportId", reportId).update();
    }

    /** Reads one report from rows of the report joined with its crew rows, in crew order. */
    private ResultSetExtractor<Optional<DailyReport>> oneWithCrew() {
        return rs -> {
            DailyReport header = null;
            List<CrewRow> crew = new ArrayList<>();
            while (rs.next()) {
                if (header == null) {
                    header = header(rs, 0);
                }
                if (rs.getObject("crew_position") != null) {
                    crew.add(new CrewRow(rs.getString("crew_trade"), rs.getString("crew_company"),
                            rs.getInt("crew_headcount"), rs.getBigDecimal("crew_hours")));
                }
            }
            return Optional.ofNullable(header).map(report -> report.withCrew(crew));
        };
    }

    private List<DailyReport> withCrew(List<DailyReport> headers) {
        return withCrew(jdbc, headers);
    }

    private List<DailyReport> withCrew(JdbcClient jdbc, List<DailyReport> headers) {
        if (headers.isEmpty()) {
            return headers;
        }
        Map<UUID, List<CrewRow>> crewByReport = new HashMap<>();
        jdbc.sql("""
                SELECT report_id, trade, company, headcount, hours FROM report_crew
                 WHERE report_id IN (:ids) ORDER BY report_id, position""")
                .param("ids", headers.stream().map(DailyReport::id).toList())
                .query(rs -> {
                    crewByReport.computeIfAbsent(rs.getObject("report_id", UUID.class), id -> new ArrayList<>())
                            .add(new CrewRow(rs.getString("trade"), rs.getString("company"), rs.getInt("headcount"),
                                    rs.getBigDecimal("hours")));
                });
        return headers.stream().map(header -> header.withCrew(crewByReport.getOrDefault(header.id(), List.of())))
                .toList();
    }

    private DailyReport header(ResultSet rs, int n) throws SQLException {
        Map<ReportField, Object> fields = new EnumMap<>(ReportField.class);
        for (ReportField field : STORED) {
            String column = column(field);
            fields.put(field, switch (field.kind()) {
                case ID -> rs.getObject(column, UUID.class);
                case DATE -> rs.getObject(column, LocalDate.class);
                case STATUS -> ReportStatus.valueOf(rs.getString(column));
                case TEXT -> rs.getString(column);
                case NUMBER -> rs.getBigDecimal(column);
                case CREW -> throw new IllegalStateException("the crew has its own table");
            });
        }
        return new DailyReport(
                rs.getObject("id", UUID.class),
                (UUID) fields.get(ReportField.SITE_ID),
                (LocalDate) fields.get(ReportField.DATE),
                (UUID) fields.get(ReportField.AUTHOR_ID),
                (ReportStatus) fields.get(ReportField.STATUS),
                ReportField.contentOf(fields::get),
                (String) fields.get(ReportField.RETURN_COMMENT),
                rs.getObject("submitted_at", OffsetDateTime.class),
                rs.getObject("decided_at", OffsetDateTime.class),
                rs.getObject("decided_by", UUID.class),
                rs.getLong("version"),
                rs.getObject("created_at", OffsetDateTime.class),
                rs.getObject("updated_at", OffsetDateTime.class),
                rs.getObject("updated_by", UUID.class));
    }
}
