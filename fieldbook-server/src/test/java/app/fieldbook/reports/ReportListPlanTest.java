package app.fieldbook.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import app.fieldbook.Fixtures;
import app.fieldbook.Fixtures.Person;
import app.fieldbook.FullStackTest;
import app.fieldbook.TestDatabase;
import app.fieldbook.identity.Actor;
import app.fieldbook.identity.Role;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The page of one site's list is read through the unique index (site, date, author) backwards, with no sort, in the
 * plan PostgreSQL makes without the values (the generic plan, which {@code LagTolerantReads.readPlannedOnceSaying}
 * keeps): on a database of two uneven sites, a big one with years of reports and a small one whose few reports are
 * all old, where walking the index of all reports by date, newest first, would read every report before the small
 * site's; and on 24 sites of even size whose reports lie in the table by date, beside that small site. The
 * statement examined is the one the list sent, as PostgreSQL prepared it (its text and parameter types from
 * {@code pg_prepared_statements}); the reports are rolled back afterwards, and the table analyzed again. And the list
 * of one site does run with its plans kept. PostgreSQL only.
 */
@FullStackTest
class ReportListPlanTest {

    private static final String SITE_INDEX = "daily_reports_one_per_author_and_day";
    private static final int BIG_SITE_DAYS = 4000;
    private static final int EVEN_SITES = 24;
    private static final int EVEN_SITE_DAYS = 400;

    @LocalServerPort
    int port;

    @Autowired
    DailyReports reports;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    PlatformTransactionManager transactions;

    @Test
    void theGenericPlanOfOneSitesPageReadsTheSiteIndexWithoutSorting() {
        assumeTrue(TestDatabase.isPostgres(), "H2 keeps no plans");
        Fixtures world = new Fixtures(port);
        UUID big = UUID.fromString(world.site());
        UUID small = UUID.fromString(world.site());
        Actor actor = workerOn(world, big, small);

        TransactionTemplate transaction = new TransactionTemplate(transactions);
        JsonNode plan = transaction.execute(status -> {
            status.setRollbackOnly();
            fileDaily(big, actor.id(), LocalDate.of(2015, 1, 1), BIG_SITE_DAYS);
            fileDaily(small, actor.id(), LocalDate.of(2015, 1, 1), 5);
            jdbc.sql("ANALYZE daily_reports").update();
            return genericPlanOfTheSmallSitesPage(small, actor);
        });

        assertReadsTheSiteIndexBackwardsUnsorted(plan);
    }

    /**
     * The database as it grows in use: a few dozen sites of about the same size, whose reports lie in the table in the
     * order of their days (each day's reports of every site written that day). There the walk of the index by date,
     * newest first, looks cheap to PostgreSQL (its rows lie in table order, and it takes a site for one in 24), and a
     * plan that took the site for a constant chose it, sorting each day's reports by author after it: 24 rows read
     * for each one kept, and for a site whose few reports are old, every report in the database (39 ms on 50,000
     * reports against 0.3). With a hundred sites and more it guesses a site rarer and takes the site index anyway,
     * so the number of sites is pinned for the analysis (whatever other tests left in the database). The page's
     * statement names the site as a range ({@code ScopedQuery.ofSiteAsRange}) and is ordered by the site first, an
     * order only the site index gives.
     */
    @Test
    void onManySitesOfEvenSizeWithTheirReportsInDateOrderTheGenericPlanReadsTheSiteIndex() {
        assumeTrue(TestDatabase.isPostgres(), "H2 keeps no plans");
        Fixtures world = new Fixtures(port);
        UUID small = UUID.fromString(world.site());
        Actor actor = workerOn(world, small);

        TransactionTemplate transaction = new TransactionTemplate(transactions);
        JsonNode plan = transaction.execute(status -> {
            status.setRollbackOnly();
            fileDaily(small, actor.id(), LocalDate.of(2015, 1, 1), 5);
            fileDailyOnEvenSites(EVEN_SITES, actor.id(), LocalDate.of(2025, 1, 1), EVEN_SITE_DAYS);
            jdbc.sql("ALTER TABLE daily_reports ALTER COLUMN site_id SET (n_distinct = " + (EVEN_SITES + 1) + ")")
                    .update();
            jdbc.sql("ANALYZE daily_reports").update();
            return genericPlanOfTheSmallSitesPage(small, actor);
        });

        assertReadsTheSiteIndexBackwardsUnsorted(plan);
    }

    private static void assertReadsTheSiteIndexBackwardsUnsorted(JsonNode plan) {
        JsonNode read = plan.path("Plan");
        assertThat(read.path("Node Type").asText()).isEqualTo("Limit");
        read = outer(read);
        // the scope's condition on the site, evaluated once (an init plan of the limit), sits above the scan
        while (read.path("Node Type").asText().equals("Result")) {
            read = outer(read);
        }
        assertThat(read.path("Node Type").asText()).as("under the limit: %s", plan).isEqualTo("Index Scan");
        assertThat(read.path("Relation Name").asText()).isEqualTo("daily_reports");
        assertThat(read.path("Index Name").asText()).as("the index read: %s", plan).isEqualTo(SITE_INDEX);
        assertThat(read.path("Scan Direction").asText()).isEqualTo("Backward");
    }

    /**
     * The list of one site without a range of dates runs with its plans kept: PostgreSQL plans its page once, for
     * any site, and never with the call's values (a list of several sites would make custom plans, five at least).
     */
    @Test
    void theListOfOneSiteRunsWithItsPlansKept() {
        assumeTrue(TestDatabase.isPostgres(), "H2 keeps no plans");
        Fixtures world = new Fixtures(port);
        UUID site = UUID.fromString(world.site());
        Actor actor = workerOn(world, site);
        fileDaily(site, actor.id(), LocalDate.of(2024, 3, 1), 3);
        // a thread borrows first the connection it gave back last: the lists and the look-ups share one connection
        jdbc.sql("DEALLOCATE ALL").update();
        for (int i = 0; i < 10; i++) {
            assertThat(reports.list(new DailyReports.Filter(site, null, null, null, null), actor, 0, 50).page())
                    .hasSize(3);
        }

        Map<String, Object> plans = jdbc.sql("""
                SELECT generic_plans, custom_plans FROM pg_prepared_statements
                 WHERE statement LIKE '%FROM daily_reports r%' AND statement LIKE '%LIMIT%'""")
                .query().singleRow();
        assertThat(((Number) plans.get("generic_plans")).longValue()).isPositive();
        assertThat(((Number) plans.get("custom_plans")).longValue()).isZero();
    }

    /** The table's statistics as they are again: an analysis in a rolled-back transaction leaves its row count. */
    @AfterEach
    void analyzeAgain() {
        if (TestDatabase.isPostgres()) {
            jdbc.sql("ANALYZE daily_reports").update();
        }
    }

    /** A new field worker on the sites, as the server sees them. */
    private static Actor workerOn(Fixtures world, UUID... sites) {
        Person worker = world.worker(Arrays.stream(sites).map(UUID::toString).toArray(String[]::new));
        return new Actor(UUID.fromString(worker.id()), worker.login(), worker.login(), Role.WORKER);
    }

    /**
     * {@code sites} new sites (rolled back with the transaction), each with one report a day for {@code days} days
     * from {@code first}, written day by day: each day's reports of every site, then the next day's.
     */
    private void fileDailyOnEvenSites(int sites, UUID author, LocalDate first, int days) {
        String prefix = "EVEN-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        jdbc.sql("""
                INSERT INTO sites (id, code, name, timezone, address, version, created_at, updated_at)
                SELECT gen_random_uuid(), :prefix || g, 'Even site ' || g, 'UTC', 'Somewhere', 1, CURRENT_TIMESTAMP,
                       CURRENT_TIMESTAMP
                  FROM generate_series(1, :sites) g""")
                .param("prefix", prefix).param("sites", sites)
                .update();
        jdbc.sql("""
                INSERT INTO daily_reports (id, site_id, report_date, author_id, status, work_performed, version,
                                           created_at, updated_at)
                SELECT gen_random_uuid(), s.id, CAST(:first AS DATE) + g, :author, 'APPROVED', 'Work', 1,
                       CURRENT_TIMESTAMP, CURRENT_TIMESTAMP
                  FROM generate_series(0, :last) g CROSS JOIN (SELECT id FROM sites WHERE code LIKE :pattern) s
                 ORDER BY g, s.id""")
                .param("first", first).param("author", author).param("last", days - 1)
                .param("pattern", prefix + "%")
                .update();
    }

    /** One report a day at the site for {@code days} days from {@code first}. */
    private void fileDaily(UUID site, UUID author, LocalDate first, int days) {
        jdbc.sql("""
                INSERT INTO daily_reports (id, site_id, report_date, author_id, status, work_performed, version,
                                           created_at, updated_at)
                SELECT gen_random_uuid(), :site, CAST(:first AS DATE) + g, :author, 'APPROVED', 'Work', 1,
                       CURRENT_TIMESTAMP, CURRENT_TIMESTAMP
                  FROM generate_series(0, :last) g""")
                .param("site", site).param("first", first).param("author", author).param("last", days - 1)
                .update();
    }

    /**
     * The generic plan of the page of the small site's list (its five reports of 2015), once the list has been read
     * often enough for the driver to prepare its statements on the server.
     */
    private JsonNode genericPlanOfTheSmallSitesPage(UUID small, Actor actor) {
        // the statements other tests had prepared on this connection are let go (the driver prepares them again)
        jdbc.sql("DEALLOCATE ALL").update();
        // five uses and the driver prepares the statement on the server, under a name, on this connection
        List<DailyReport> page = List.of();
        for (int i = 0; i < 6; i++) {
            page = reports.list(new DailyReports.Filter(small, null, null, null, null), actor, 0, 50).page();
        }
        assertThat(page).extracting(DailyReport::date).containsExactly(LocalDate.of(2015, 1, 5),
                LocalDate.of(2015, 1, 4), LocalDate.of(2015, 1, 3), LocalDate.of(2015, 1, 2),
                LocalDate.of(2015, 1, 1));
        return genericPlanOfThePageSent(small);
    }

    /** The plan made without values for the list's page as the driver prepared it on this connection. */
    private JsonNode genericPlanOfThePageSent(UUID site) {
        Map<String, Object> sent = jdbc.sql("""
                SELECT statement, CAST(parameter_types AS TEXT) AS types FROM pg_prepared_statements
                 WHERE statement LIKE '%FROM daily_reports r%' AND statement LIKE '%LIMIT%'""")
                .query().singleRow();
        String statement = (String) sent.get("statement");
        List<String> types = List.of(((String) sent.get("types")).replaceAll("[{}]", "").split(","));
        List<String> values = new ArrayList<>();
        for (String type : types) {
            values.add(switch (type) {
                case "uuid" -> "'" + site + "'";
                case "integer", "bigint" -> "50";
                default -> throw new IllegalStateException("A parameter of type " + type + " in " + statement);
            });
        }
        jdbc.sql("PREPARE examined (" + String.join(", ", types) + ") AS " + statement).update();
        jdbc.sql("SET LOCAL plan_cache_mode = force_generic_plan").update();
        String explained = jdbc.sql("EXPLAIN (FORMAT JSON) EXECUTE examined ("
                + String.join(", ", values) + ")").query(String.class).single();
        jdbc.sql("DEALLOCATE examined").update();
        return JsonMapper.builder().build().readTree(explained).get(0);
    }

    private static JsonNode outer(JsonNode node) {
        for (JsonNode child : node.path("Plans")) {
            if (child.path("Parent Relationship").asText().equals("Outer")) {
                return child;
            }
        }
        throw new IllegalStateException("No outer plan under " + node);
    }
}
