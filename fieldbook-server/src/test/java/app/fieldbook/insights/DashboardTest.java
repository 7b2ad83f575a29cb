package app.fieldbook.insights;

import static app.fieldbook.Fixtures.expect;
import static app.fieldbook.insights.FiledReports.crew;
import static app.fieldbook.insights.FiledReports.draft;
import static app.fieldbook.insights.FiledReports.file;
import static org.assertj.core.api.Assertions.assertThat;

import app.fieldbook.Api;
import app.fieldbook.Fixtures;
import app.fieldbook.Fixtures.Person;
import app.fieldbook.FullStackTest;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * The dashboard's data over HTTP: the status grid and the crews' series of a month made by hand, to the hour and
 * against the reports counted again; scoped and refused exactly like the month-end.
 */
@FullStackTest
class DashboardTest {

    private static final YearMonth MONTH = YearMonth.of(2025, 11);

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    Fixtures world;
    String north;
    String south;
    String elsewhere;
    String portfolio;
    Person northWorker;
    Person secondNorthWorker;
    Person manager;
    Person otherManager;
    Person executive;
    String submittedOn3rd;
    String approvedOn3rd;
    String draftOn4th;
    String returnedOn5th;

    /**
     * November 2025 at North and South (the manager's portfolio) and Elsewhere (not theirs): at North a submitted
     * and an approved report on the 3rd, a draft on the 4th, a returned report on the 5th, a submitted one on the
     * 30th, one of October 31 and one of December 1; at South one on the 10th; at Elsewhere one on the 10th.
     */
    @BeforeEach
    void month() {
        world = new Fixtures(port);
        north = world.site();
        south = world.site();
        elsewhere = world.site();
        portfolio = world.portfolio(north, south);
        northWorker = world.worker(north);
        secondNorthWorker = world.worker(north);
        Person southWorker = world.worker(south);
        Person elsewhereWorker = world.worker(elsewhere);
        manager = world.manager(portfolio);
        otherManager = world.manager(world.portfolio(elsewhere));
        executive = world.executive();

        submittedOn3rd = file(northWorker, north, "2025-11-03", List.of(crew("Carpentry", "Holz AG", 4, "32"),
                crew("Concrete", null, 3, "24.5")), null, null);
        approvedOn3rd = file(secondNorthWorker, north, "2025-11-03", List.of(crew("carpentry ", "Holz AG", 2, "16")),
                null, null);
        expect(manager.api().post("/api/v1/reports/" + approvedOn3rd + "/approve"), 200);
        draftOn4th = draft(northWorker, north, "2025-11-04", List.of(crew("Carpentry", "Holz AG", 10, "80")), null,
                null);
        returnedOn5th = file(secondNorthWorker, north, "2025-11-05", List.of(crew("Carpentry", "Holz AG", 7, "56")),
                null, null);
        expect(manager.api().post("/api/v1/reports/" + returnedOn5th + "/return", Map.of("comment", "Hours?")), 200);
        file(northWorker, north, "2025-11-30", List.of(crew("Concrete", "Beton Nord", 1, "8")), null, null);
        file(northWorker, north, "2025-10-31", List.of(crew("Carpentry", "Holz AG", 5, "40")), null, null);
        file(northWorker, north, "2025-12-01", List.of(crew("Carpentry", "Holz AG", 9, "72")), null, null);
        file(southWorker, south, "2025-11-10", List.of(crew("Electrical", "Strom GmbH", 2, "15.75")), null, null);
        file(elsewhereWorker, elsewhere, "2025-11-10", List.of(crew("Carpentry", "Holz AG", 100, "800")), null,
                null);
    }

    @Test
    void eachCellShowsTheReportThatNeedsAttentionFirstAndTheSeriesOnlyFiledCrews() {
        JsonNode dashboard = expect(manager.api().get(dashboard("portfolioId=" + portfolio)), 200).body();

        assertThat(dashboard.path("month").asString()).isEqualTo("2025-11");
        assertThat(dashboard.path("portfolioId").asString()).isEqualTo(portfolio);
        assertThat(dashboard.path("asOf").asString()).isNotBlank();
        JsonNode northDays = site(dashboard, north).path("days");
        assertThat(northDays.size()).isEqualTo(30);
        assertThat(cell(northDays, 3)).as("submitted before approved").isEqualTo("SUBMITTED " + submittedOn3rd + " 2");
        assertThat(cell(northDays, 4)).isEqualTo("DRAFT " + draftOn4th + " 1");
        assertThat(cell(northDays, 5)).isEqualTo("RETURNED " + returnedOn5th + " 1");
        assertThat(cell(northDays, 1)).as("a day of a month gone by without a report").isEqualTo("MISSING null 0");
        assertThat(northDays.valueStream().filter(day -> day.path("status").asString().equals("MISSING")).count())
                .isEqualTo(26);

        assertThat(dashboard.path("byTrade").valueStream().map(row -> row.path("name").asString()))
                .containsExactly("Carpentry", "Concrete", "Electrical");
        JsonNode carpentry = dashboard.path("byTrade").get(0);
        assertThat(carpentry.path("hours").size()).isEqualTo(30);
        assertThat(carpentry.path("hours").get(2).decimalValue()).as("the 3rd, both spellings").isEqualByComparingTo("48");
        assertThat(carpentry.path("headcount").get(2).asLong()).isEqualTo(6);
        assertThat(carpentry.path("hours").get(3).decimalValue()).as("a draft counts not").isZero();
        assertThat(carpentry.path("hours").get(4).decimalValue()).as("a returned report counts not").isZero();
        assertThat(dashboard.path("hours").get(2).decimalValue()).isEqualByComparingTo("72.5");
        assertThat(dashboard.path("hours").get(9).decimalValue()).isEqualByComparingTo("15.75");
        assertThat(dashboard.path("headcount").get(29).asLong()).isEqualTo(1);
        assertThat(dashboard.path("byCompany").valueStream().map(MonthEndTest::nameOf))
                .containsExactly("Beton Nord", "Holz AG", "Strom GmbH", null);

        RecountedMonth recounted = new RecountedMonth(executive.api(), MONTH, List.of(north, south, elsewhere));
        assertThat(recounted.dashboardDisagreements(dashboard, List.of(north, south))).isEmpty();
        assertThat(recounted.dashboardDisagreements(
                expect(executive.api().get(dashboard("siteId=" + elsewhere)), 200).body(), List.of(elsewhere)))
                .isEmpty();
    }

    @Test
    void daysNotYetOverAreNotMissing() {
        JsonNode future = expect(manager.api().get("/api/v1/insights/dashboard?month=2999-01&siteId=" + north), 200)
                .body();
        assertThat(site(future, north).path("days").valueStream().map(day -> day.path("status").isNull()))
                .hasSize(31).containsOnly(true);
        assertThat(future.path("hours").valueStream().map(JsonNode::decimalValue)).allMatch(h -> h.signum() == 0);

        JsonNode site = site(expect(manager.api().get(dashboard("siteId=" + north)), 200).body(), north);
        String timezone = site.path("timezone").asString();
        YearMonth current = YearMonth.now(ZoneId.of(timezone));
        JsonNode now = site(expect(manager.api().get("/api/v1/insights/dashboard?month=" + current + "&siteId=" + north),
                200).body(), north);
        LocalDate today = LocalDate.parse(now.path("today").asString());
        assertThat(today).isBetween(LocalDate.now(ZoneId.of(timezone)).minusDays(1), LocalDate.now(ZoneId.of(timezone)));
        for (JsonNode day : now.path("days")) {
            boolean gone = LocalDate.parse(day.path("date").asString()).isBefore(today);
            assertThat(day.path("status").isNull()).as(day.toString()).isEqualTo(!gone);
        }
    }

    @Test
    void aManagerSeesTheirPortfolioAndAnExecutiveEverySite() {
        JsonNode everything = expect(manager.api().get(dashboard("")), 200).body();
        assertThat(siteIds(everything)).containsExactlyInAnyOrder(north, south);
        assertThat(everything.path("byTrade")).isEqualTo(
                expect(manager.api().get(dashboard("portfolioId=" + portfolio)), 200).body().path("byTrade"));
        assertThat(siteIds(expect(manager.api().get(dashboard("siteId=" + south)), 200).body()))
                .containsExactly(south);

        Api.Answer otherSite = manager.api().get(dashboard("siteId=" + elsewhere));
        Api.Answer noSuchSite = manager.api().get(dashboard("siteId=" + UUID.randomUUID()));
        assertThat(otherSite.status()).isEqualTo(noSuchSite.status()).isEqualTo(404);
        assertThat(otherSite.problemType()).isEqualTo(noSuchSite.problemType()).endsWith("/not-found");
        assertThat(accessDenied(manager, elsewhere)).as("the refusal is recorded").isOne();
        assertThat(otherManager.api().get(dashboard("portfolioId=" + portfolio)).status()).isEqualTo(404);

        assertThat(siteIds(expect(executive.api().get(dashboard("")), 200).body())).contains(north, south, elsewhere);
        JsonNode ofElsewhere = expect(executive.api().get(dashboard("siteId=" + elsewhere)), 200).body();
        assertThat(dashboard(ofElsewhere, "byTrade", "Carpentry").path("headcount").get(9).asLong())
                .as("Elsewhere's crew on the 10th").isEqualTo(100);
    }

    @Test
    void fieldWorkersAndAdministratorsMayNotAskAndNobodyAnonymously() {
        for (Api refused : List.of(northWorker.api(), world.administrator().api())) {
            Api.Answer answer = refused.get(dashboard("siteId=" + north));
            assertThat(answer.status()).isEqualTo(403);
            assertThat(answer.isProblem()).isTrue();
            assertThat(answer.body().toString()).doesNotContain("Carpentry");
        }
        assertThat(world.anonymous().get(dashboard("")).status()).isEqualTo(401);
        assertThat(northWorker.api().get("/api/v1/insights/dashboard?month=nonsense").status())
                .as("the role is checked before the input").isEqualTo(403);
    }

    @Test
    void aBadMonthOrIdIsAProblemNamingTheParameter() {
        for (String query : List.of("month=2025-13", "month=November", "month=%2B10000-01", "month=1899-12",
                "month=" + MONTH + "&siteId=north", "month=" + MONTH + "&portfolioId=1",
                "month=" + MONTH + "&siteId=" + north + "&portfolioId=" + portfolio)) {
            Api.Answer answer = manager.api().get("/api/v1/insights/dashboard?" + query);
            assertThat(answer.status()).as(query).isEqualTo(400);
            assertThat(answer.isProblem()).as(query).isTrue();
            assertThat(answer.problemType()).endsWith("/invalid-request");
            assertThat(answer.body().path("errors").get(0).path("field").asString())
                    .isIn("month", "siteId", "portfolioId");
        }
        assertThat(manager.api().get("/api/v1/insights/dashboard").status()).isEqualTo(400);
    }

    private static String dashboard(String query) {
        return "/api/v1/insights/dashboard?month=" + MONTH + (query.isEmpty() ? "" : "&" + query);
    }

    private static JsonNode site(JsonNode dashboard, String siteId) {
        return dashboard.path("sites").valueStream().filter(site -> site.path("siteId").asString().equals(siteId))
                .findFirst().orElseThrow();
    }

    private static List<String> siteIds(JsonNode dashboard) {
        return dashboard.path("sites").valueStream().map(site -> site.path("siteId").asString()).toList();
    }

    private static JsonNode dashboard(JsonNode dashboard, String list, String name) {
        return dashboard.path(list).valueStream().filter(row -> name.equals(row.path("name").asString()))
                .findFirst().orElseThrow();
    }

    /** A cell as "STATUS reportId reports". */
    private static String cell(JsonNode days, int day) {
        JsonNode cell = days.get(day - 1);
        return cell.path("status").asString() + " " + (cell.path("reportId").isNull() ? "null"
                : cell.path("reportId").asString()) + " " + cell.path("reports").asLong();
    }

    private long accessDenied(Person who, String site) {
        return jdbc.sql("""
                SELECT COUNT(*) FROM audit_events
                 WHERE action = 'ACCESS_DENIED' AND actor_id = :actor AND entity_type = 'Site' AND entity_id = :site""")
                .param("actor", UUID.fromString(who.id())).param("site", site).query(Long.class).single();
    }
}
