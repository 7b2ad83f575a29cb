package app.fieldbook.audit;

import static app.fieldbook.Fixtures.draft;
import static app.fieldbook.Fixtures.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.fieldbook.Api;
import app.fieldbook.Fixtures;
import app.fieldbook.Fixtures.Person;
import app.fieldbook.FullStackTest;
import app.fieldbook.identity.Actor;
import app.fieldbook.identity.Role;
import app.fieldbook.identity.UserEvent.UserEdited;
import app.fieldbook.protocol.ReportContent;
import app.fieldbook.reports.Reports;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.IllegalTransactionStateException;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

@FullStackTest
class AuditTrailTest {

    private static final LocalDate DAY = LocalDate.of(2026, 4, 6);

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ApplicationEventPublisher publisher;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    Reports reports;

    @Autowired
    AuditChain chain;

    Fixtures world;
    String site;
    Person worker;
    Person manager;

    @BeforeEach
    void world() {
        world = new Fixtures(port);
        site = world.site();
        worker = world.worker(site);
        manager = world.manager(world.portfolio(site));
    }

    @Test
    void everyChangeOfAReportIsRecordedWithWhoWhatAndBeforeAndAfter() {
        String report = draft(worker, site, DAY);
        expect(worker.api().put("/api/v1/reports/" + report, Map.of("version", 1,
                "content", Fixtures.content("Rebar placed"))), 200);
        expect(worker.api().post("/api/v1/reports/" + report + "/submit"), 200);
        expect(manager.api().post("/api/v1/reports/" + report + "/return", Map.of("comment", "Hours missing")), 200);
        expect(worker.api().post("/api/v1/reports/" + report + "/submit"), 200);
        expect(manager.api().post("/api/v1/reports/" + report + "/approve"), 200);
        expect(manager.api().post("/api/v1/reports/" + report + "/reopen", Map.of("comment", "Typo")), 200);

        List<JsonNode> events = eventsOf("DailyReport", report);
        assertThat(events).extracting(e -> e.path("action").asString()).containsExactlyInAnyOrder(
                "REPORT_CREATED", "REPORT_UPDATED", "REPORT_SUBMITTED", "REPORT_RETURNED", "REPORT_SUBMITTED",
                "REPORT_APPROVED", "REPORT_REOPENED");
        JsonNode updated = events.stream().filter(e -> e.path("action").asString().equals("REPORT_UPDATED")).findFirst()
                .orElseThrow();
        assertThat(updated.path("actorLogin").asString()).isEqualTo(worker.login());
        assertThat(updated.path("siteId").asString()).isEqualTo(site);
        assertThat(updated.path("changes").path("workPerformed").path("before").asString()).isEqualTo("Formwork level 2");
        assertThat(updated.path("changes").path("workPerformed").path("after").asString()).isEqualTo("Rebar placed");
        assertThat(updated.path("changes").has("notes")).isFalse();
        assertThat(updated.path("requestId").asString()).isNotBlank();
        assertThat(updated.path("clientAddress").asString()).isEqualTo("127.0.0.1");
        JsonNode approved = events.stream().filter(e -> e.path("action").asString().equals("REPORT_APPROVED"))
                .findFirst().orElseThrow();
        assertThat(approved.path("actorLogin").asString()).isEqualTo(manager.login());
        assertThat(approved.path("changes").path("status").path("after").asString()).isEqualTo("APPROVED");
    }

    @Test
    void deletingADraftIsRecordedWithItsLastValues() {
        String report = draft(worker, site, DAY.plusDays(1));
        expect(worker.api().delete("/api/v1/reports/" + report + "?version=1"), 204);
        JsonNode deleted = eventsOf("DailyReport", report).stream()
                .filter(e -> e.path("action").asString().equals("REPORT_DELETED")).findFirst().orElseThrow();
        assertThat(deleted.path("changes").path("workPerformed").path("before").asString()).isEqualTo("Formwork level 2");
        assertThat(deleted.path("changes").path("workPerformed").path("after").isNull()).isTrue();
    }

    @Test
    void administrationChangesAreRecorded() {
        Person someone = world.worker(site);
        List<JsonNode> events = eventsOf("User", someone.id());
        assertThat(events).extracting(e -> e.path("action").asString())
                .contains("USER_CREATED", "ASSIGNMENTS_CHANGED", "SIGNED_IN");
        JsonNode created = events.stream().filter(e -> e.path("action").asString().equals("USER_CREATED")).findFirst()
                .orElseThrow();
        assertThat(created.path("actorLogin").asString()).isEqualTo("test-admin");
        assertThat(created.path("changes").toString()).doesNotContain("password");
        assertThat(eventsOf("Site", site)).extracting(e -> e.path("action").asString()).contains("SITE_CREATED");
        String portfolio = world.portfolio(site);
        JsonNode portfolioCreated = eventsOf("Portfolio", portfolio).getFirst();
        assertThat(portfolioCreated.path("action").asString()).isEqualTo("PORTFOLIO_CREATED");
        assertThat(portfolioCreated.path("changes").path("siteIds").path("after").get(0).asString()).isEqualTo(site);
    }

    @Test
    void aRuleThatRefusesTheCallerIsRecordedAsDeniedAccess() {
        Person colleague = world.worker(site);
        String report = draft(worker, site, DAY.plusDays(6));
        assertThat(colleague.api().post("/api/v1/reports/" + report + "/submit").status()).isEqualTo(403);
        assertThat(world.admin().get("/api/v1/audit/events?size=50&actorId=" + colleague.id()).body().path("items")
                .valueStream().map(e -> e.path("action").asString())).contains("ACCESS_DENIED");
    }

    @Test
    void signInsSignOutsAndFailuresAreRecorded() {
        Person someone = world.worker(site);
        assertThat(world.anonymous().post("/api/v1/auth/tokens", Map.of("login", someone.login(),
                "password", "wrong password!")).status()).isEqualTo(401);
        expect(someone.api().delete("/api/v1/auth/tokens/current"), 204);
        List<String> actions = world.admin().get("/api/v1/audit/events?size=500&entityType=User").body().path("items")
                .valueStream().filter(e -> e.path("actorLogin").asString().equals(someone.login()))
                .map(e -> e.path("action").asString()).toList();
        assertThat(actions).contains("SIGNED_IN", "SIGN_IN_FAILED", "SIGNED_OUT");
    }

    @Test
    void refusedAccessIsRecordedAlthoughTheRequestWasRolledBack() {
        String otherSite = world.site();
        Person stranger = world.worker(otherSite);
        String report = draft(worker, site, DAY.plusDays(2));
        assertThat(stranger.api().get("/api/v1/reports/" + report).status()).isEqualTo(404);
        assertThat(stranger.api().get("/api/v1/users").status()).isEqualTo(403);
        List<JsonNode> denied = world.admin().get("/api/v1/audit/events?size=500&actorId=" + stranger.id()).body()
                .path("items").valueStream().filter(e -> e.path("action").asString().equals("ACCESS_DENIED")).toList();
        assertThat(denied).anySatisfy(e -> {
            assertThat(e.path("entityId").asString()).isEqualTo(report);
            assertThat(e.path("siteId").asString()).isEqualTo(site);
        });
        assertThat(denied).anySatisfy(e -> assertThat(e.path("changes").path("resource").path("after").asString())
                .isEqualTo("GET /api/v1/users"));
    }

    @Test
    void aFailedChangeLeavesNoEvent() {
        String report = draft(worker, site, DAY.plusDays(3));
        long before = eventCount();
        Api.Answer stale = worker.api().put("/api/v1/reports/" + report, Map.of("version", 7,
                "content", Fixtures.content("Lost update")));
        assertThat(stale.status()).isEqualTo(409);
        Api.Answer invalid = worker.api().put("/api/v1/reports/" + report, Map.of("version", 1,
                "content", Map.of("crew", List.of(Map.of("trade", "", "headcount", -1, "hours", 1)))));
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(eventCount()).isEqualTo(before);
    }

    @Test
    void aChangeAndItsAuditRowCommitTogetherOrNotAtAll() {
        String report = draft(worker, site, DAY.plusDays(7));
        UUID id = UUID.fromString(report);
        Actor author = new Actor(UUID.fromString(worker.id()), worker.login(), worker.login(), Role.WORKER);
        assertThatThrownBy(() -> transactions.executeWithoutResult(status -> {
            reports.edit(id, 1, new ReportContent(null, null, "Rolled back", null, null, null, null), author);
            throw new IllegalStateException("the change fails after its event");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(reports.findVisible(id, author).orElseThrow().version()).isEqualTo(1);
        assertThat(eventsOf("DailyReport", report)).extracting(e -> e.path("action").asString())
                .containsExactly("REPORT_CREATED");

        reports.edit(id, 1, new ReportContent(null, null, "Kept", null, null, null, null), author);
        assertThat(eventsOf("DailyReport", report)).extracting(e -> e.path("action").asString())
                .as("the audit row is there as soon as the change is committed")
                .containsExactlyInAnyOrder("REPORT_CREATED", "REPORT_UPDATED");
    }

    @Test
    void aChangeEventOutsideATransactionIsRefusedRatherThanAuditedApart() {
        assertThatThrownBy(() -> publisher.publishEvent(new UserEdited(null, UUID.randomUUID(), Map.of(),
                Map.of("name", "B")))).isInstanceOf(IllegalTransactionStateException.class);
    }

    @Test
    void managersSeeTheEventsOfTheirSitesOnlyAndWorkersNone() {
        String otherSite = world.site();
        Person otherWorker = world.worker(otherSite);
        String mine = draft(worker, site, DAY.plusDays(4));
        String theirs = draft(otherWorker, otherSite, DAY.plusDays(4));
        List<String> seen = manager.api().get("/api/v1/audit/events?size=500&entityType=DailyReport").body()
                .path("items").valueStream().map(e -> e.path("entityId").asString()).toList();
        assertThat(seen).contains(mine).doesNotContain(theirs);
        assertThat(manager.api().get("/api/v1/audit/events?size=500&entityType=User").body().path("total").asLong())
                .isZero();
        assertThat(worker.api().get("/api/v1/audit/events").status()).isEqualTo(403);
    }

    @Test
    void theHashChainLinksEveryEventAndRevealsTampering() {
        draft(worker, site, DAY.plusDays(5));
        JsonNode verification = expect(world.admin().get("/api/v1/audit/verification"), 200).body();
        assertThat(verification.path("intact").asBoolean()).isTrue();
        assertThat(verification.path("unlinkedEvents").asLong()).isZero();
        assertThat(verification.path("linkedEvents").asLong()).isEqualTo(eventCount());

        UUID victim = jdbc.sql("SELECT event_id FROM audit_chain ORDER BY position DESC LIMIT 1").query(UUID.class).single();
        String original = jdbc.sql("SELECT actor_login FROM audit_events WHERE id = ?").param(victim)
                .query(String.class).single();
        try {
            jdbc.sql("UPDATE audit_events SET actor_login = 'someone-else' WHERE id = ?").param(victim).update();
            AuditChain.Verification tampered = chain.verify();
            assertThat(tampered.intact()).isFalse();
            assertThat(tampered.problem()).contains("was changed");
        } finally {
            jdbc.sql("UPDATE audit_events SET actor_login = ? WHERE id = ?").params(original, victim).update();
        }
        assertThat(chain.verify().intact()).isTrue();
    }

    @Test
    void theAuditTrailCannotBeChangedThroughTheApi() {
        String report = draft(worker, site, DAY.plusDays(8));
        JsonNode created = eventsOf("DailyReport", report).getFirst();
        String id = created.path("id").asString();
        Map<String, Object> forged = Map.of("id", id, "action", "REPORT_FORGED", "actorLogin", "mallory",
                "entityType", "DailyReport", "entityId", report);
        List<String> paths = List.of("/api/v1/audit/events", "/api/v1/audit/events/" + id,
                "/api/v1/audit/verification");
        for (String path : paths) {
            for (String method : List.of("POST", "PUT", "PATCH", "DELETE")) {
                assertThat(world.admin().send(method, path, forged, Map.of()).status()).as(method + " " + path)
                        .isBetween(400, 499);
            }
        }
        assertThat(eventsOf("DailyReport", report)).singleElement().isEqualTo(created);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_events WHERE action = 'REPORT_FORGED' OR actor_login = :login")
                .param("login", "mallory").query(Long.class).single()).isZero();
        assertThat(expect(world.admin().get("/api/v1/audit/verification"), 200).body().path("intact").asBoolean())
                .isTrue();
    }

    @Test
    void readsAreNotLoggedInTheStandardMode() {
        String report = draft(worker, site, DAY.plusDays(9));
        expect(manager.api().get("/api/v1/reports/" + report), 200);
        expect(manager.api().get("/api/v1/reports?siteId=" + site), 200);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_events WHERE actor_id = :actor AND action IN (:reads)")
                .param("actor", UUID.fromString(manager.id())).param("reads", ReadAccessLog.ACTIONS).query(Long.class)
                .single()).isZero();
        assertThat(expect(world.admin().get("/api/v1/audit/reads?entityId=" + report), 200).body().path("total")
                .asLong()).isZero();
    }

    private List<JsonNode> eventsOf(String entityType, String entityId) {
        return expect(world.admin().get("/api/v1/audit/events?size=500&entityType=" + entityType + "&entityId="
                + entityId), 200).body().path("items").valueStream().toList();
    }

    private long eventCount() {
        return jdbc.sql("SELECT COUNT(*) FROM audit_events").query(Long.class).single();
    }
}
