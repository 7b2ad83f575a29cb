package app.fieldbook.reports;

import static app.fieldbook.Fixtures.draft;
import static app.fieldbook.Fixtures.expect;
import static org.assertj.core.api.Assertions.assertThat;

import app.fieldbook.Api;
import app.fieldbook.Fixtures;
import app.fieldbook.Fixtures.Person;
import app.fieldbook.FullStackTest;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

@FullStackTest
class ReportScopeTest {

    private static final LocalDate DAY = LocalDate.of(2026, 3, 2);

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    Fixtures world;
    String northSite;
    String southSite;
    Person northWorker;
    Person secondNorthWorker;
    Person southWorker;
    Person northManager;
    Person executive;
    Person administrator;
    String northReport;
    String southReport;

    @BeforeEach
    void world() {
        world = new Fixtures(port);
        northSite = world.site();
        southSite = world.site();
        northWorker = world.worker(northSite);
        secondNorthWorker = world.worker(northSite);
        southWorker = world.worker(southSite);
        northManager = world.manager(world.portfolio(northSite));
        executive = world.executive();
        administrator = world.administrator();
        northReport = draft(northWorker, northSite, DAY);
        southReport = draft(southWorker, southSite, DAY);
        expect(northWorker.api().post("/api/v1/reports/" + northReport + "/submit"), 200);
        expect(southWorker.api().post("/api/v1/reports/" + southReport + "/submit"), 200);
    }

    @Test
    void workerReadsReportsOfTheirSitesOnly() {
        expect(secondNorthWorker.api().get("/api/v1/reports/" + northReport), 200);
        Api.Answer foreign = northWorker.api().get("/api/v1/reports/" + southReport);
        assertThat(foreign.status()).isEqualTo(404);
        assertThat(foreign.isProblem()).isTrue();
        assertThat(idsOf(northWorker.api().get("/api/v1/reports?size=500")))
                .contains(northReport).doesNotContain(southReport);
    }

    @Test
    void outOfScopeAnswerIsTheSameAsForAReportThatDoesNotExist() {
        Api.Answer foreign = northWorker.api().get("/api/v1/reports/" + southReport);
        Api.Answer missing = northWorker.api().get("/api/v1/reports/" + java.util.UUID.randomUUID());
        assertThat(foreign.status()).isEqualTo(missing.status()).isEqualTo(404);
        assertThat(foreign.problemType()).isEqualTo(missing.problemType());
    }

    @Test
    void workerCannotCreateReportForASiteTheyAreNotAssignedTo() {
        long before = reportCount();
        Api.Answer answer = northWorker.api().post("/api/v1/reports", Fixtures.report(southSite, DAY.plusDays(1)));
        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.problemType()).endsWith("/unknown-site");
        assertThat(reportCount()).isEqualTo(before);
    }

    @Test
    void workerCannotEditAnotherWorkersReportOfTheSameSite() {
        String draftId = draft(northWorker, northSite, DAY.plusDays(1));
        Map<String, Object> stored = row(draftId);
        Api.Answer answer = secondNorthWorker.api().put("/api/v1/reports/" + draftId,
                Map.of("version", 1, "content", Fixtures.content("Hijacked")));
        assertThat(answer.status()).isEqualTo(403);
        assertThat(answer.problemType()).endsWith("/not-author");
        assertThat(row(draftId)).isEqualTo(stored);
    }

    @Test
    void workerCannotEditAReportOfAnotherSiteAndLearnsNothingAboutIt() {
        Map<String, Object> stored = row(southReport);
        Api.Answer answer = northWorker.api().put("/api/v1/reports/" + southReport,
                Map.of("version", 2, "content", Fixtures.content("Hijacked")));
        assertThat(answer.status()).isEqualTo(404);
        assertThat(row(southReport)).isEqualTo(stored);
    }

    @Test
    void workerCannotApproveEvenTheirOwnReport() {
        Map<String, Object> stored = row(northReport);
        Api.Answer answer = northWorker.api().post("/api/v1/reports/" + northReport + "/approve");
        assertThat(answer.status()).isEqualTo(403);
        assertThat(row(northReport)).isEqualTo(stored);
    }

    @Test
    void aWorkerPromotedToManagerCannotApproveReturnOrReopenTheirOwnReport() {
        String portfolio = world.portfolio(northSite);
        world.promoteToManager(northWorker, portfolio);
        Map<String, Object> stored = row(northReport);
        long events = auditEventsOf(northReport);
        for (Api.Answer refused : List.of(northWorker.api().post("/api/v1/reports/" + northReport + "/approve"),
                northWorker.api().post("/api/v1/reports/" + northReport + "/return", Map.of("comment", "Mine")))) {
            assertThat(refused.status()).isEqualTo(403);
            assertThat(refused.isProblem()).isTrue();
            assertThat(refused.problemType()).endsWith("/own-report");
        }
        assertThat(row(northReport)).isEqualTo(stored);
        assertThat(auditEventsOf(northReport)).isEqualTo(events);

        expect(northManager.api().post("/api/v1/reports/" + northReport + "/approve"), 200);
        Api.Answer reopen = northWorker.api().post("/api/v1/reports/" + northReport + "/reopen",
                Map.of("comment", "Mine"));
        assertThat(reopen.status()).isEqualTo(403);
        assertThat(reopen.problemType()).endsWith("/own-report");
        assertThat(northManager.api().get("/api/v1/reports/" + northReport).body().path("status").asString())
                .isEqualTo("APPROVED");

        String colleagues = draft(secondNorthWorker, northSite, DAY);
        expect(secondNorthWorker.api().post("/api/v1/reports/" + colleagues + "/submit"), 200);
        expect(northWorker.api().post("/api/v1/reports/" + colleagues + "/approve"), 200);
    }

    @Test
    void managerReadsAndApprovesReportsOfTheirPortfolioOnly() {
        assertThat(idsOf(northManager.api().get("/api/v1/reports?size=500")))
                .contains(northReport).doesNotContain(southReport);
        Api.Answer approved = expect(northManager.api().post("/api/v1/reports/" + northReport + "/approve"), 200);
        assertThat(approved.body().path("status").asString()).isEqualTo("APPROVED");

        Map<String, Object> stored = row(southReport);
        assertThat(northManager.api().get("/api/v1/reports/" + southReport).status()).isEqualTo(404);
        assertThat(northManager.api().post("/api/v1/reports/" + southReport + "/approve").status()).isEqualTo(404);
        assertThat(row(southReport)).isEqualTo(stored);
    }

    @Test
    void managerCannotWriteReportsNorEditTheirContent() {
        long before = reportCount();
        assertThat(northManager.api().post("/api/v1/reports", Fixtures.report(northSite, DAY.plusDays(2))).status())
                .isEqualTo(403);
        assertThat(reportCount()).isEqualTo(before);
        expect(northManager.api().post("/api/v1/reports/" + northReport + "/return", Map.of("comment", "Add crew")), 200);
        Map<String, Object> stored = row(northReport);
        Api.Answer edit = northManager.api().put("/api/v1/reports/" + northReport,
                Map.of("version", 3, "content", Fixtures.content("Manager rewrites")));
        assertThat(edit.status()).isEqualTo(403);
        assertThat(row(northReport)).isEqualTo(stored);
    }

    @Test
    void executiveReadsEverySiteButChangesNothing() {
        // by site: other tests of the shared context add more reports than one page holds
        assertThat(idsOf(executive.api().get("/api/v1/reports?size=500&siteId=" + northSite))).contains(northReport);
        assertThat(idsOf(executive.api().get("/api/v1/reports?size=500&siteId=" + southSite))).contains(southReport);
        expect(executive.api().get("/api/v1/reports/" + southReport), 200);
        Map<String, Object> stored = row(northReport);
        assertThat(executive.api().post("/api/v1/reports/" + northReport + "/approve").status()).isEqualTo(403);
        assertThat(executive.api().post("/api/v1/reports", Fixtures.report(northSite, DAY.plusDays(3))).status())
                .isEqualTo(403);
        assertThat(row(northReport)).isEqualTo(stored);
    }

    @Test
    void administratorManagesPeopleButReadsNoReports() {
        assertThat(administrator.api().get("/api/v1/reports").status()).isEqualTo(403);
        assertThat(administrator.api().get("/api/v1/reports/" + northReport).status()).isEqualTo(403);
        expect(administrator.api().get("/api/v1/users"), 200);
    }

    @Test
    void nobodyButAdministratorsChangesSitesOrPeople() {
        long sites = jdbc.sql("SELECT COUNT(*) FROM sites").query(Long.class).single();
        long users = jdbc.sql("SELECT COUNT(*) FROM users").query(Long.class).single();
        for (Person person : List.of(northWorker, northManager, executive)) {
            assertThat(person.api().post("/api/v1/sites", Map.of("code", "X-1", "name", "X", "timezone", "UTC",
                    "address", "X")).status()).isEqualTo(403);
            assertThat(person.api().post("/api/v1/users", Map.of("login", "intruder", "name", "I", "email",
                    "i@x.org", "role", "ADMINISTRATOR", "password", "long enough password")).status()).isEqualTo(403);
            assertThat(person.api().put("/api/v1/users/" + person.id() + "/sites", Map.of("siteIds", List.of(southSite)))
                    .status()).isEqualTo(403);
        }
        assertThat(jdbc.sql("SELECT COUNT(*) FROM sites").query(Long.class).single()).isEqualTo(sites);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM users").query(Long.class).single()).isEqualTo(users);
        assertThat(northWorker.api().get("/api/v1/reports/" + southReport).status()).isEqualTo(404);
    }

    @Test
    void sitesListShowsEachPersonTheirOwnSites() {
        assertThat(idsOf(northWorker.api().get("/api/v1/sites?size=500"))).contains(northSite).doesNotContain(southSite);
        assertThat(idsOf(northManager.api().get("/api/v1/sites?size=500"))).contains(northSite).doesNotContain(southSite);
        assertThat(northWorker.api().get("/api/v1/sites/" + southSite).status()).isEqualTo(404);
        assertThat(idsOf(executive.api().get("/api/v1/sites?size=500"))).contains(northSite, southSite);
    }

    @Test
    void unauthenticatedRequestsAreRefused() {
        Api.Answer answer = world.anonymous().get("/api/v1/reports/" + northReport);
        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.isProblem()).isTrue();
        assertThat(world.anonymous().withToken("forged-token").get("/api/v1/reports").status()).isEqualTo(401);
    }

    private List<String> idsOf(Api.Answer page) {
        expect(page, 200);
        return page.body().path("items").valueStream().map(item -> item.path("id").asString()).toList();
    }

    private long auditEventsOf(String reportId) {
        return jdbc.sql("SELECT COUNT(*) FROM audit_events WHERE entity_id = ?").param(reportId).query(Long.class)
                .single();
    }

    private long reportCount() {
        return jdbc.sql("SELECT COUNT(*) FROM daily_reports").query(Long.class).single();
    }

    private Map<String, Object> row(String reportId) {
        return jdbc.sql("SELECT * FROM daily_reports WHERE id = ?").param(java.util.UUID.fromString(reportId))
                .query().singleRow();
    }
}
