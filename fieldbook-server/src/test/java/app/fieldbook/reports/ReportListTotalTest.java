package app.fieldbook.reports;

import static app.fieldbook.Fixtures.created;
import static app.fieldbook.Fixtures.expect;
import static org.assertj.core.api.Assertions.assertThat;

import app.fieldbook.Api;
import app.fieldbook.Fixtures;
import app.fieldbook.Fixtures.Person;
import app.fieldbook.FullStackTest;
import app.fieldbook.LagTolerantReads;
import app.fieldbook.identity.Actor;
import app.fieldbook.identity.Role;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * A report list's total, kept between lists (ADR 0038), follows every change made through this server on the next
 * list: a report filed, submitted, approved and deleted, and a site newly assigned; and a report of another site
 * leaves a site's total as it was. A report committed while a total is counted is not hidden by it, and a kept total
 * that another server's reports have outgrown still lets the pages past it be read.
 */
@FullStackTest
class ReportListTotalTest {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    NamedParameterJdbcTemplate batches;

    @Autowired
    LagTolerantReads lagTolerant;

    @Test
    void theTotalFollowsEveryChangeOnTheNextList() {
        Fixtures world = new Fixtures(port);
        String site = world.site();
        String other = world.site();
        Person worker = world.worker(site, other);
        Person manager = world.manager(world.portfolio(site, other));
        assertThat(total(manager, "siteId=" + site)).isZero();
        assertThat(total(manager, "")).isZero();

        String id = created(worker.api().post("/api/v1/reports", Map.of("siteId", site, "date", "2024-05-02",
                "content", Map.of("workPerformed", "Formwork"))));
        assertThat(total(manager, "siteId=" + site)).isEqualTo(1);
        assertThat(total(manager, "siteId=" + site + "&status=SUBMITTED")).isZero();
        assertThat(total(manager, "")).isEqualTo(1);

        expect(worker.api().post("/api/v1/reports/" + id + "/submit"), 200);
        assertThat(total(manager, "siteId=" + site + "&status=SUBMITTED")).isEqualTo(1);
        expect(manager.api().post("/api/v1/reports/" + id + "/approve"), 200);
        assertThat(total(manager, "siteId=" + site + "&status=SUBMITTED")).isZero();
        assertThat(total(manager, "siteId=" + site + "&status=APPROVED")).isEqualTo(1);

        created(worker.api().post("/api/v1/reports", Map.of("siteId", other, "date", "2024-05-02",
                "content", Map.of("workPerformed", "Rebar"))));
        assertThat(total(manager, "siteId=" + site)).isEqualTo(1);
        assertThat(total(manager, "siteId=" + other)).isEqualTo(1);
        assertThat(total(manager, "")).isEqualTo(2);

        String draft = created(worker.api().post("/api/v1/reports", Map.of("siteId", site, "date", "2024-05-03",
                "content", Map.of("workPerformed", "Stripping"))));
        assertThat(total(worker, "siteId=" + site)).isEqualTo(2);
        expect(worker.api().delete("/api/v1/reports/" + draft + "?version=1"), 204);
        assertThat(total(worker, "siteId=" + site)).isEqualTo(1);
        assertThat(total(manager, "siteId=" + site)).isEqualTo(1);

        Person newcomer = world.manager(world.portfolio(other));
        assertThat(total(newcomer, "")).isEqualTo(1);
        Api.Answer assigned = world.admin().put("/api/v1/users/" + newcomer.id() + "/portfolios",
                Map.of("portfolioIds", List.of(world.portfolio(site, other))));
        assertThat(assigned.status()).isEqualTo(200);
        assertThat(total(newcomer, "")).isEqualTo(2);
    }

    @Test
    void aReportCommittedJustAsTheTotalIsCountedIsNotHiddenByTheKeptTotal() {
        OneReport world = oneReport();
        String site = world.site();
        Person worker = world.worker();
        Person manager = world.manager();
        String first = world.report();
        AtomicBoolean once = new AtomicBoolean();
        RecentReportCounts counts = new RecentReportCounts(new RecentReportCounts.Settings(Duration.ofSeconds(30)),
                Clock.systemUTC()) {
            @Override
            Generations generations(DailyReports.Filter filter) {
                if (once.compareAndSet(false, true)) {
                    // another report of the site commits at the moment the list looks at what changed, and its
                    // event arrives: a list that counted before looking would keep a total without it
                    UUID second = copyOf(first, LocalDate.parse("2024-05-01"));
                    reportChanged(new ReportEvent.ReportCreated(actor(worker, Role.WORKER), second,
                            UUID.fromString(site), Map.of()));
                }
                return super.generations(filter);
            }
        };
        DailyReports reports = new DailyReports(jdbc, batches, lagTolerant, counts);
        DailyReports.Filter ofSite = new DailyReports.Filter(UUID.fromString(site), null, null, null, null);
        Actor asManager = actor(manager, Role.MANAGER);

        reports.list(ofSite, asManager, 0, 10);

        assertThat(counts.kept(asManager, ofSite)).as("the total kept").hasValue(2);
        assertThat(reports.list(ofSite, asManager, 0, 10).total()).isEqualTo(2);
    }

    @Test
    void aKeptTotalThatAnotherServersReportsOutgrewStillLetsThePagePastItBeRead() {
        OneReport world = oneReport();
        String site = world.site();
        Person manager = world.manager();
        String first = world.report();
        assertThat(total(manager, "siteId=" + site + "&size=1")).isEqualTo(1);

        // written by another server: this one hears nothing of it, and keeps the total of 1 for a while
        UUID second = copyOf(first, LocalDate.parse("2024-05-01"));

        JsonNode pastTheTotal = expect(manager.api().get("/api/v1/reports?siteId=" + site + "&size=1&page=1"), 200)
                .body();
        assertThat(pastTheTotal.path("total").asLong()).isEqualTo(1);
        assertThat(pastTheTotal.path("items").valueStream().map(item -> item.path("id").asString()))
                .containsExactly(second.toString());
    }

    /** A site with a worker, a manager and one report of the worker. */
    private record OneReport(String site, Person worker, Person manager, String report) {
    }

    private OneReport oneReport() {
        Fixtures world = new Fixtures(port);
        String site = world.site();
        Person worker = world.worker(site);
        Person manager = world.manager(world.portfolio(site));
        String report = created(worker.api().post("/api/v1/reports", Map.of("siteId", site, "date", "2024-05-02",
                "content", Map.of("workPerformed", "Formwork"))));
        return new OneReport(site, worker, manager, report);
    }

    /** A copy of a report under a new id on another day, written straight into the table (as another server would). */
    private UUID copyOf(String reportId, LocalDate day) {
        List<String> columns = jdbc.sql("""
                SELECT column_name FROM information_schema.columns
                 WHERE LOWER(table_name) = 'daily_reports' AND LOWER(table_schema) = 'public'""")
                .query(String.class).list().stream().map(name -> name.toLowerCase(Locale.ROOT)).toList();
        String values = columns.stream()
                .map(column -> column.equals("id") ? ":id" : column.equals("report_date") ? ":day" : column)
                .collect(Collectors.joining(", "));
        UUID id = UUID.randomUUID();
        jdbc.sql("INSERT INTO daily_reports (" + String.join(", ", columns) + ") SELECT " + values
                        + " FROM daily_reports WHERE id = :from")
                .param("id", id).param("day", day).param("from", UUID.fromString(reportId)).update();
        return id;
    }

    private static Actor actor(Person person, Role role) {
        return new Actor(UUID.fromString(person.id()), person.login(), person.login(), role);
    }

    private static long total(Person person, String query) {
        return expect(person.api().get("/api/v1/reports?" + query), 200).body().path("total").asLong();
    }
}
