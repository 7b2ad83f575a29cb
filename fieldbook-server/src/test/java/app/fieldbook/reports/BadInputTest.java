package app.fieldbook.reports;

import static app.fieldbook.Fixtures.draft;
import static org.assertj.core.api.Assertions.assertThat;

import app.fieldbook.Api;
import app.fieldbook.Fixtures;
import app.fieldbook.Fixtures.Person;
import app.fieldbook.FullStackTest;
import app.fieldbook.Images;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Every kind of bad input answers problem+json that names the fault, and writes nothing. */
@FullStackTest
class BadInputTest {

    private static final LocalDate DAY = LocalDate.of(2026, 6, 1);
    private static final List<String> TABLES = List.of("daily_reports", "report_crew", "photos", "sites", "users",
            "portfolios", "audit_events");

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    Fixtures world;
    String site;
    Person worker;
    String report;
    Map<String, Long> countsBefore;

    @BeforeEach
    void world() {
        world = new Fixtures(port);
        site = world.site();
        worker = world.worker(site);
        report = draft(worker, site, DAY);
        countsBefore = counts();
    }

    @AfterEach
    void nothingWasWritten() {
        assertThat(counts()).isEqualTo(countsBefore);
    }

    @Test
    void missingFieldsAreNamed() {
        Api.Answer answer = worker.api().post("/api/v1/reports", Map.of("content", Map.of()));
        assertInvalid(answer, "siteId", "date");
    }

    @Test
    void aDateOutsideTheCalendarPeopleUseIsRefusedHoweverItIsWritten() {
        for (String date : List.of("+99999-01-01", "99999-01-01", "-0001-01-01", "0000-01-01", "1899-12-31")) {
            Api.Answer answer = worker.api().sendJson("POST", "/api/v1/reports",
                    "{\"siteId\":\"" + site + "\",\"date\":\"" + date + "\"}");
            assertThat(answer.status()).as(date + ": " + answer).isEqualTo(400);
            assertThat(answer.problemType()).endsWith("/invalid-request");
        }
    }

    @Test
    void aNulCharacterInTextIsInvalidInputNotAConflict() {
        Api.Answer created = worker.api().sendJson("POST", "/api/v1/reports", "{\"siteId\":\"" + site
                + "\",\"date\":\"2026-06-02\",\"content\":{\"notes\":\"before\\u0000after\"}}");
        assertThat(created.status()).as(created.toString()).isEqualTo(400);
        assertThat(created.problemType()).endsWith("/invalid-request");
        assertThat(created.body().toString()).contains("content.notes");

        Api.Answer edited = worker.api().sendJson("PUT", "/api/v1/reports/" + report,
                "{\"version\":1,\"content\":{\"crew\":[{\"trade\":\"St\\u0000eel\",\"headcount\":2,\"hours\":8}]}}");
        assertThat(edited.status()).as(edited.toString()).isEqualTo(400);
    }

    @Test
    void aNulCharacterInAParameterIsInvalidInputNotAConflict() {
        String photos = "/api/v1/reports/" + report + "/photos?id=" + UUID.randomUUID();
        Api.Answer raw = worker.api().postBytes(photos + "&caption=before%00after", Images.jpeg(64, 48), "image/jpeg");
        Api.Answer form = worker.api().upload(photos, Images.jpeg(64, 48), "photo.jpg",
                Map.of("caption", "before\0after"));
        for (Api.Answer answer : List.of(raw, form)) {
            assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
            assertThat(answer.problemType()).endsWith("/invalid-request");
        }
        assertThat(raw.body().toString()).contains("caption");
    }

    @Test
    void anEncodedSlashInAPathIsAProblemAnswerNotTheContainersPage() {
        Api.Answer answer = worker.api().get("/api/v1/reports/abc%2Fdef");
        assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
        assertThat(answer.isProblem()).as(answer.contentType()).isTrue();
    }

    @Test
    void fieldsOfTheWrongTypeAreRefused() {
        Api.Answer answer = worker.api().sendJson("POST", "/api/v1/reports",
                "{\"siteId\":\"" + site + "\",\"date\":\"yesterday\"}");
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.isProblem()).isTrue();
        assertThat(answer.problemType()).endsWith("/invalid-request");

        Api.Answer number = worker.api().sendJson("PUT", "/api/v1/reports/" + report,
                "{\"version\":1,\"content\":{\"crew\":[{\"trade\":\"Steel\",\"headcount\":\"many\",\"hours\":8}]}}");
        assertThat(number.status()).isEqualTo(400);
        assertThat(number.isProblem()).isTrue();
    }

    @Test
    void malformedJsonIsRefused() {
        Api.Answer answer = worker.api().sendJson("POST", "/api/v1/reports", "{\"siteId\": ");
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.isProblem()).isTrue();
    }

    @Test
    void nestedRowsAreValidatedFieldByField() {
        Map<String, Object> content = new LinkedHashMap<>(Fixtures.content("x"));
        content.put("crew", List.of(Map.of("trade", "", "headcount", -2, "hours", 8)));
        content.put("weather", Map.of("temperatureCelsius", 300));
        Api.Answer answer = worker.api().put("/api/v1/reports/" + report, Map.of("version", 1, "content", content));
        assertInvalid(answer, "content.crew[0].trade", "content.crew[0].headcount", "content.weather.temperatureCelsius");
    }

    @Test
    void overlongTextIsRefused() {
        Map<String, Object> content = new LinkedHashMap<>(Fixtures.content("x"));
        content.put("notes", "n".repeat(20_001));
        assertInvalid(worker.api().put("/api/v1/reports/" + report, Map.of("version", 1, "content", content)),
                "content.notes");
    }

    @Test
    void anUnknownSiteIsRefused() {
        Api.Answer answer = worker.api().post("/api/v1/reports", Fixtures.report(UUID.randomUUID().toString(), DAY));
        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.isProblem()).isTrue();
        assertThat(answer.problemType()).endsWith("/unknown-site");
    }

    @Test
    void aSecondReportForTheSameSiteDayAndAuthorIsRefusedWithTheExistingId() {
        Api.Answer answer = worker.api().post("/api/v1/reports", Fixtures.report(site, DAY));
        assertThat(answer.status()).isEqualTo(409);
        assertThat(answer.problemType()).endsWith("/report-exists");
        assertThat(answer.body().path("reportId").asString()).isEqualTo(report);
    }

    @Test
    void aStaleVersionIsRefusedWithTheCurrentOne() {
        Api.Answer answer = worker.api().put("/api/v1/reports/" + report,
                Map.of("version", 5, "content", Fixtures.content("late")));
        assertThat(answer.status()).isEqualTo(409);
        assertThat(answer.problemType()).endsWith("/stale-version");
        assertThat(answer.body().path("currentVersion").asLong()).isEqualTo(1);
    }

    @Test
    void aMultipartBodyThatCannotBeParsedIsRefusedNotAServerError() {
        String photos = "/api/v1/reports/" + report + "/photos";
        Api.Answer noBoundary = worker.api().postBytes(photos, new byte[0], "multipart/form-data");
        Api.Answer brokenParts = worker.api().postBytes(photos,
                "--b\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nno closing boundary".getBytes(),
                "multipart/form-data; boundary=b");
        for (Api.Answer answer : List.of(noBoundary, brokenParts)) {
            assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
            assertThat(answer.isProblem()).isTrue();
            assertThat(answer.problemType()).endsWith("/invalid-request");
        }
    }

    @Test
    void badQueryParametersAreRefused() {
        assertThat(worker.api().get("/api/v1/reports?status=LOST").status()).isEqualTo(400);
        assertThat(worker.api().get("/api/v1/reports?size=100000").status()).isEqualTo(400);
        assertThat(worker.api().get("/api/v1/reports/not-a-uuid").status()).isEqualTo(400);
        assertThat(worker.api().get("/api/v1/reports?from=2026-13-45").isProblem()).isTrue();
    }

    @Test
    void badAdministrationInputIsRefused() {
        Api admin = world.admin();
        assertInvalid(admin.post("/api/v1/sites", Map.of("code", "lower case", "name", "", "timezone", "Mars/Base",
                "address", "x", "latitude", 91)), "code", "name", "timezoneKnown", "latitude");
        for (String offset : List.of("UTC+01:00", "+01:00", "GMT+1", "Z", "Etc/GMT-1")) {
            // a fixed offset keeps no summer time: a site's days would be an hour off for half the year
            assertInvalid(admin.post("/api/v1/sites", Map.of("code", "OFFSET-1", "name", "Offset", "timezone", offset,
                    "address", "x")), "timezoneKnown");
        }
        assertInvalid(admin.post("/api/v1/users", Map.of("login", "new user", "name", "N", "email", "not-an-email",
                "role", "WORKER", "password", "short")), "login", "email", "password");
        Api.Answer role = admin.sendJson("POST", "/api/v1/users",
                "{\"login\":\"x\",\"name\":\"x\",\"email\":\"x@x.org\",\"role\":\"OVERLORD\",\"password\":\"long enough pass\"}");
        assertThat(role.status()).isEqualTo(400);
        Api.Answer unknownSite = admin.put("/api/v1/users/" + worker.id() + "/sites",
                Map.of("siteIds", List.of(site, UUID.randomUUID().toString())));
        assertThat(unknownSite.status()).isEqualTo(422);
        assertThat(unknownSite.problemType()).endsWith("/unknown-site");
        assertThat(admin.get("/api/v1/users/" + worker.id() + "/assignments").body().path("siteIds").valueStream()
                .map(id -> id.asString())).containsExactly(site);
    }

    private static void assertInvalid(Api.Answer answer, String... fields) {
        assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
        assertThat(answer.isProblem()).isTrue();
        assertThat(answer.problemType()).endsWith("/invalid-request");
        assertThat(answer.body().path("title").asString()).isNotBlank();
        assertThat(answer.body().path("errors").valueStream().map(e -> e.path("field").asString()))
                .contains(fields);
    }

    private Map<String, Long> counts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String table : TABLES) {
            counts.put(table, jdbc.sql("SELECT COUNT(*) FROM " + table).query(Long.class).single());
        }
        counts.put("report version", jdbc.sql("SELECT version FROM daily_reports WHERE id = ?")
                .param(UUID.fromString(report)).query(Long.class).single());
        return counts;
    }
}
