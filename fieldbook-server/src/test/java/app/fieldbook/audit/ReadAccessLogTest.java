package app.fieldbook.audit;

import static app.fieldbook.Fixtures.draft;
import static app.fieldbook.Fixtures.expect;
import static org.assertj.core.api.Assertions.assertThat;

import app.fieldbook.Api;
import app.fieldbook.Fixtures;
import app.fieldbook.Fixtures.Person;
import app.fieldbook.Images;
import app.fieldbook.TestDatabase;
import app.fieldbook.identity.Actor;
import app.fieldbook.identity.RecordsRead;
import app.fieldbook.identity.Role;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.ContextConfiguration;
import tools.jackson.databind.JsonNode;

/**
 * The read-access log in the regulated compliance mode, which turns it on: who was given which report or
 * photo to read, by every way one leaves the server (a report opened, a list, a sync pull, a photo or its
 * thumbnail downloaded, an export), with who, when, from where and the site; nothing for a refused or
 * failed read; scoped like the audit trail; sealed and linked into the chain, its index verified.
 */
@Tag("database")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "fieldbook.compliance.mode=regulated")
@ContextConfiguration(initializers = TestDatabase.class)
@ActiveProfiles("test")
class ReadAccessLogTest {

    private static final AtomicInteger DAYS = new AtomicInteger();
    private static final LocalDate DAY = LocalDate.of(2027, 6, 1);

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ApplicationEventPublisher publisher;

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
    void openingAReportIsLoggedWithWhoWhenFromWhereAndTheSite() {
        String report = draft(worker, site, day());
        expect(manager.api().get("/api/v1/reports/" + report), 200);

        JsonNode read = readsOf(report).stream().filter(r -> r.path("action").asString().equals("VIEWED"))
                .findFirst().orElseThrow();
        assertThat(read.path("actorId").asString()).isEqualTo(manager.id());
        assertThat(read.path("actorLogin").asString()).isEqualTo(manager.login());
        assertThat(read.path("entityType").asString()).isEqualTo("DailyReport");
        assertThat(read.path("siteId").asString()).isEqualTo(site);
        assertThat(read.path("ids").valueStream().map(JsonNode::asString)).containsExactly(report);
        assertThat(read.path("occurredAt").asString()).isNotBlank();
        assertThat(read.path("requestId").asString()).isNotBlank();
        assertThat(read.path("clientAddress").asString()).isEqualTo("127.0.0.1");
    }

    @Test
    void aListOrSearchLogsTheIdsItReturnedOnePerSite() {
        String otherSite = world.site();
        Person executive = world.executive();
        LocalDate firstDay = day();
        String first = draft(worker, site, firstDay);
        String second = draft(worker, site, day());
        LocalDate lastDay = day();
        String elsewhere = draft(world.worker(otherSite), otherSite, lastDay);
        expect(manager.api().get("/api/v1/reports?siteId=" + site + "&size=500"), 200);
        expect(executive.api().get("/api/v1/reports?size=500&from=" + firstDay + "&to=" + lastDay), 200);

        List<JsonNode> managers = reads("actorId=" + manager.id() + "&entityType=DailyReport");
        assertThat(managers).singleElement().satisfies(read -> {
            assertThat(read.path("action").asString()).isEqualTo("LISTED");
            assertThat(read.path("ids").valueStream().map(JsonNode::asString)).contains(first, second)
                    .doesNotContain(elsewhere);
        });
        List<JsonNode> executives = reads("actorId=" + executive.id());
        assertThat(executives).as("one entry per site of the records listed")
                .anySatisfy(read -> {
                    assertThat(read.path("siteId").asString()).isEqualTo(site);
                    assertThat(read.path("ids").valueStream().map(JsonNode::asString)).contains(first, second);
                })
                .anySatisfy(read -> {
                    assertThat(read.path("siteId").asString()).isEqualTo(otherSite);
                    assertThat(read.path("ids").valueStream().map(JsonNode::asString)).containsExactly(elsewhere);
                });
        assertThat(readsOf(second)).extracting(r -> r.path("actorLogin").asString())
                .contains(manager.login(), executive.login());
    }

    @Test
    void aPullLogsTheReportsItDeliversToTheDevice() {
        String report = draft(worker, site, day());
        Person colleague = world.worker(site);
        JsonNode pulled = expect(colleague.api().post("/api/v1/sync/pull", pull()), 200).body();
        assertThat(pulled.path("reports").valueStream().map(r -> r.path("id").asString())).contains(report);

        assertThat(reads("actorId=" + colleague.id())).singleElement().satisfies(read -> {
            assertThat(read.path("action").asString()).isEqualTo("PULLED");
            assertThat(read.path("siteId").asString()).isEqualTo(site);
            assertThat(read.path("ids").valueStream().map(JsonNode::asString)).contains(report);
        });
    }

    @Test
    void downloadingAPhotoOrItsThumbnailIsLogged() throws InterruptedException {
        String report = draft(worker, site, day());
        String photo = expect(worker.api().postBytes("/api/v1/reports/" + report + "/photos", Images.jpeg(64, 48),
                "image/jpeg"), 201).id();
        expect(manager.api().get("/api/v1/photos/" + photo + "/content"), 200);
        expect(thumbnailOnceMade(manager, photo), 200);

        assertThat(readsOf(photo)).extracting(r -> r.path("action").asString() + " " + r.path("actorLogin").asString())
                .containsExactlyInAnyOrder("DOWNLOADED " + manager.login(), "PREVIEWED " + manager.login());
        assertThat(readsOf(photo)).allSatisfy(read -> {
            assertThat(read.path("entityType").asString()).isEqualTo("Photo");
            assertThat(read.path("siteId").asString()).isEqualTo(site);
        });
    }

    @Test
    void aRefusedOrFailedReadIsNoRead() {
        String report = draft(worker, site, day());
        String otherSite = world.site();
        Person stranger = world.worker(otherSite);
        Person outsider = world.manager(world.portfolio(otherSite));
        Person administrator = world.administrator();
        String photo = expect(worker.api().postBytes("/api/v1/reports/" + report + "/photos", Images.jpeg(32, 32),
                "image/jpeg"), 201).id();

        assertThat(stranger.api().get("/api/v1/reports/" + report).status()).isEqualTo(404);
        assertThat(outsider.api().get("/api/v1/reports/" + report).status()).isEqualTo(404);
        assertThat(administrator.api().get("/api/v1/reports/" + report).status()).isEqualTo(403);
        assertThat(stranger.api().get("/api/v1/photos/" + photo + "/content").status()).isEqualTo(404);
        assertThat(stranger.api().get("/api/v1/photos/" + photo + "/thumbnail").status()).isEqualTo(404);
        assertThat(outsider.api().get("/api/v1/reports/" + UUID.randomUUID()).status()).isEqualTo(404);
        assertThat(outsider.api().get("/api/v1/reports?siteId=" + site).status()).isEqualTo(200);
        assertThat(stranger.api().get("/api/v1/reports?size=0").status()).isEqualTo(400);
        Map<String, Object> badCursor = pull();
        badCursor.put("cursor", "not-a-cursor");
        assertThat(stranger.api().post("/api/v1/sync/pull", badCursor).status()).isEqualTo(400);

        for (Person refused : List.of(stranger, outsider, administrator)) {
            assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_events WHERE actor_id = :actor AND action IN (:reads)")
                    .param("actor", UUID.fromString(refused.id())).param("reads", ReadAccessLog.ACTIONS)
                    .query(Long.class).single()).as(refused.login()).isZero();
        }
        assertThat(readsOf(report)).isEmpty();
    }

    @Test
    void theLogIsScopedLikeTheAuditTrailAndApartFromIt() {
        String report = draft(worker, site, day());
        expect(worker.api().get("/api/v1/reports/" + report), 200);
        Person outsider = world.manager(world.portfolio(world.site()));

        assertThat(reads("entityId=" + report, manager)).isNotEmpty();
        assertThat(expect(outsider.api().get("/api/v1/audit/reads?entityId=" + report), 200).body().path("total")
                .asLong()).isZero();
        assertThat(worker.api().get("/api/v1/audit/reads").status()).isEqualTo(403);
        assertThat(world.anonymous().get("/api/v1/audit/reads").status()).isEqualTo(401);
        assertThat(expect(world.admin().get("/api/v1/audit/events?size=500&entityType=DailyReport&entityId=" + report),
                200).body().path("items").valueStream().map(e -> e.path("action").asString()))
                .as("the audit trail lists changes; reads are in their own log").containsExactly("REPORT_CREATED");
        assertThat(world.admin().get("/api/v1/audit/reads?size=501").status()).isEqualTo(400);
        assertThat(world.admin().get("/api/v1/audit/reads?entityId=a%00b").status()).isEqualTo(400);
    }

    @Test
    void anExportIsLoggedByTheOneCallItMakes() {
        String report = draft(worker, site, day());
        Actor executive = new Actor(UUID.randomUUID(), "exporting-executive", "Exporter", Role.EXECUTIVE);
        publisher.publishEvent(RecordsRead.exported(executive, "DailyReport",
                List.of(new RecordsRead.Item(UUID.fromString(report), UUID.fromString(site)))));

        assertThat(readsOf(report)).anySatisfy(read -> {
            assertThat(read.path("action").asString()).isEqualTo("EXPORTED");
            assertThat(read.path("actorLogin").asString()).isEqualTo("exporting-executive");
        });
    }

    @Test
    void aMonthEndAndItsCsvLogTheReportsWhoseWordsTheyGive() {
        LocalDate day = day();
        Map<String, Object> toldBody = Fixtures.report(site, day);
        @SuppressWarnings("unchecked")
        Map<String, Object> toldContent = (Map<String, Object>) toldBody.get("content");
        toldContent.put("delays", "Crane late by two hours");
        String told = expect(worker.api().post("/api/v1/reports", toldBody), 201).id();
        expect(worker.api().post("/api/v1/reports/" + told + "/submit"), 200);
        Map<String, Object> quietBody = Fixtures.report(site, day());
        @SuppressWarnings("unchecked")
        Map<String, Object> quietContent = (Map<String, Object>) quietBody.get("content");
        quietContent.put("delays", null);
        quietContent.put("safetyIncidents", "None");
        String quiet = expect(worker.api().post("/api/v1/reports", quietBody), 201).id();
        expect(worker.api().post("/api/v1/reports/" + quiet + "/submit"), 200);
        String month = "month=" + java.time.YearMonth.from(day) + "&siteId=" + site;

        expect(manager.api().get("/api/v1/insights/month-end?" + month), 200);
        expect(manager.api().get("/api/v1/insights/month-end.csv?" + month), 200);

        assertThat(readsOf(told)).extracting(r -> r.path("action").asString() + " " + r.path("actorLogin").asString())
                .containsExactlyInAnyOrder("LISTED " + manager.login(), "EXPORTED " + manager.login());
        assertThat(readsOf(quiet)).as("the figures are sums; only what a report says is a read of it").isEmpty();
    }

    @Test
    void readsAreSealedAndChainedAndTheirIndexIsVerified() {
        String report = draft(worker, site, day());
        expect(manager.api().get("/api/v1/reports/" + report), 200);
        JsonNode verification = expect(world.admin().get("/api/v1/audit/verification"), 200).body();
        assertThat(verification.path("intact").asBoolean()).as(verification.toString()).isTrue();
        UUID read = UUID.fromString(readsOf(report).getFirst().path("id").asString());
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_chain WHERE event_id = ?").param(read).query(Long.class)
                .single()).isOne();

        jdbc.sql("DELETE FROM audit_reads WHERE entity_id = ? AND event_id = ?").params(report, read).update();
        try {
            AuditChain.Verification removed = chain.verify();
            assertThat(removed.intact()).isFalse();
            assertThat(removed.problem()).contains("audit_reads");
            assertThat(readsOf(report)).as("the index finds reads by record").isEmpty();
        } finally {
            jdbc.sql("INSERT INTO audit_reads (entity_id, event_id) VALUES (?, ?)").params(report, read).update();
        }
        assertThat(chain.verify().intact()).isTrue();

        String forged = UUID.randomUUID().toString();
        jdbc.sql("INSERT INTO audit_reads (entity_id, event_id) VALUES (?, ?)").params(forged, read).update();
        try {
            assertThat(chain.verify().problem()).contains("audit_reads");
        } finally {
            jdbc.sql("DELETE FROM audit_reads WHERE entity_id = ?").param(forged).update();
        }
        assertThat(chain.verify().intact()).isTrue();
    }

    private List<JsonNode> readsOf(String entityId) {
        return reads("entityId=" + entityId);
    }

    private List<JsonNode> reads(String query) {
        return reads(query, null);
    }

    private List<JsonNode> reads(String query, Person as) {
        Api api = as == null ? world.admin() : as.api();
        return expect(api.get("/api/v1/audit/reads?size=500&" + query), 200).body().path("items").valueStream()
                .toList();
    }

    private Map<String, Object> pull() {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("protocolVersion", 1);
        request.put("clientVersion", "0.1.0");
        request.put("deviceId", UUID.randomUUID().toString());
        request.put("cursor", "");
        request.put("limit", 500);
        request.put("knownSiteIds", List.of());
        return request;
    }

    private static LocalDate day() {
        return DAY.plusDays(DAYS.incrementAndGet());
    }

    private static Api.Answer thumbnailOnceMade(Person person, String photo) throws InterruptedException {
        for (int attempt = 0; attempt < 600; attempt++) {
            Api.Answer answer = person.api().get("/api/v1/photos/" + photo + "/thumbnail");
            if (answer.status() != 404 || !answer.problemType().endsWith("/thumbnail-pending")) {
                return answer;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no thumbnail of " + photo);
    }
}
