package app.fieldbook.sync;

import static app.fieldbook.Fixtures.expect;
import static app.fieldbook.sync.SyncDevice.edit;
import static org.assertj.core.api.Assertions.assertThat;

import app.fieldbook.Api;
import app.fieldbook.Fixtures;
import app.fieldbook.Fixtures.Person;
import app.fieldbook.FullStackTest;
import java.time.LocalDate;
import java.util.LinkedHashMap;
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
 * Pushing over HTTP, as two devices of a field worker would: each operation is applied once, merged
 * with what changed meanwhile or kept as a conflict, and refused on its own when it is wrong.
 */
@FullStackTest
class SyncPushTest {

    private static final LocalDate DAY = LocalDate.of(2026, 9, 7);

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    Fixtures world;
    String site;
    Person worker;
    Person manager;
    SyncDevice phone;
    SyncDevice tablet;

    @BeforeEach
    void world() {
        world = new Fixtures(port);
        site = world.site();
        worker = world.worker(site);
        manager = world.manager(world.portfolio(site));
        phone = new SyncDevice(worker.api(), site);
        tablet = new SyncDevice(worker.api(), site);
    }

    @Test
    void aReplayedOperationIsAppliedOnceAndAnswersTheSameResult() {
        Map<String, Object> create = phone.create(UUID.randomUUID(), DAY, "Poured slab");
        JsonNode first = phone.push(create);
        JsonNode again = phone.push(create);
        assertThat(first.path("outcome").asString()).isEqualTo("APPLIED");
        assertThat(again).isEqualTo(first);
        String reportId = first.path("entityId").asString();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM daily_reports WHERE id = ?").param(UUID.fromString(reportId))
                .query(Long.class).single()).isOne();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_events WHERE entity_id = ? AND action = 'REPORT_CREATED'")
                .param(reportId).query(Long.class).single()).isOne();
    }

    @Test
    void theSameOperationIdWithAnotherBodyIsRefused() {
        Map<String, Object> create = phone.create(UUID.randomUUID(), DAY.plusDays(1), "Poured slab");
        phone.push(create);
        Map<String, Object> forged = new LinkedHashMap<>(create);
        forged.put("entityId", UUID.randomUUID().toString());
        JsonNode result = phone.push(forged);
        assertThat(result.path("status").asInt()).isEqualTo(409);
        assertThat(result.path("problemType").asString()).endsWith("/operation-id-reused");
    }

    @Test
    void editsOfDifferentFieldsMergeAndEditsOfTheSameFieldBecomeAConflictThatBothDevicesSee() {
        String report = phone.push(phone.create(UUID.randomUUID(), DAY.plusDays(2), "Formwork")).path("entityId").asString();
        JsonNode fromPhone = phone.push(phone.update(report, 1, Map.of(
                "workPerformed", edit("Formwork", "Formwork and rebar"),
                "notes", edit(null, "Phone note"))));
        JsonNode fromTablet = tablet.push(tablet.update(report, 1, Map.of(
                "workPerformed", edit("Formwork", "Formwork, rebar, pour"),
                "delays", edit(null, "Crane late"))));
        assertThat(fromPhone.path("outcome").asString()).isEqualTo("APPLIED");
        assertThat(fromTablet.path("outcome").asString()).isEqualTo("CONFLICT");
        assertThat(fromTablet.path("conflictIds").size()).isOne();

        JsonNode merged = expect(worker.api().get("/api/v1/reports/" + report), 200).body();
        assertThat(merged.path("content").path("workPerformed").asString()).isEqualTo("Formwork and rebar");
        assertThat(merged.path("content").path("notes").asString()).isEqualTo("Phone note");
        assertThat(merged.path("content").path("delays").asString()).isEqualTo("Crane late");

        JsonNode conflict = expect(manager.api().get("/api/v1/sync/conflicts"), 200).body().valueStream()
                .filter(c -> c.path("entityId").asString().equals(report)).findFirst().orElseThrow();
        assertThat(conflict.path("field").asString()).isEqualTo("workPerformed");
        assertThat(conflict.path("serverValue").asString()).isEqualTo("Formwork and rebar");
        assertThat(conflict.path("clientValue").asString()).isEqualTo("Formwork, rebar, pour");
        assertThat(conflict.path("clientChangedBy").asString()).isEqualTo(worker.id());

        // an executive sees it, and leaves the decision to the author or the site's manager
        String resolution = "/api/v1/sync/conflicts/" + conflict.path("id").asString() + "/resolution";
        Fixtures.Person executive = world.executive();
        assertThat(executive.api().get("/api/v1/sync/conflicts").body().valueStream()
                .map(c -> c.path("id").asString())).contains(conflict.path("id").asString());
        assertThat(executive.api().post(resolution, Map.of("choice", "SERVER")).problemType()).endsWith("/not-resolver");
        assertThat(openConflictFields(report)).containsExactly("workPerformed");

        expect(worker.api().post(resolution, Map.of("choice", "CLIENT")), 200);
        JsonNode onPhone = phone.pullAll();
        JsonNode onTablet = tablet.pullAll();
        assertThat(reportIn(onPhone, report).path("content")).isEqualTo(reportIn(onTablet, report).path("content"));
        assertThat(reportIn(onPhone, report).path("content").path("workPerformed").asString())
                .isEqualTo("Formwork, rebar, pour");
        assertThat(worker.api().get("/api/v1/sync/conflicts").body().valueStream()
                .filter(c -> c.path("entityId").asString().equals(report))).isEmpty();
    }

    @Test
    void twoDevicesCreatingTheSameDaysReportEndWithOneReportAndAConflictForWhatDiffers() {
        JsonNode first = phone.push(phone.create(UUID.randomUUID(), DAY.plusDays(3), "From the phone"));
        JsonNode second = tablet.push(tablet.create(UUID.randomUUID(), DAY.plusDays(3), "From the tablet"));
        assertThat(second.path("entityId").asString()).isEqualTo(first.path("entityId").asString());
        assertThat(second.path("outcome").asString()).isEqualTo("CONFLICT");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM daily_reports WHERE site_id = ? AND report_date = ?")
                .params(UUID.fromString(site), DAY.plusDays(3)).query(Long.class).single()).isOne();
        assertThat(openConflictFields(first.path("entityId").asString())).containsExactly("workPerformed");
    }

    @Test
    void aCreateThatMeetsTheSameDaysReportLeavesWhatItDidNotFillAloneAndConflictsOnNothing() {
        LocalDate day = DAY.plusDays(4);
        Map<String, Object> filled = phone.create(UUID.randomUUID(), day, "Rebar tied");
        changesOf(filled).put("weather.temperatureCelsius", edit(null, 18.5));
        String report = phone.push(filled).path("entityId").asString();

        Map<String, Object> empty = tablet.create(UUID.randomUUID(), day, "Rebar tied");
        changesOf(empty).put("crew", edit(null, List.of()));
        changesOf(empty).put("weather.temperatureCelsius", edit(null, null));
        changesOf(empty).put("notes", edit(null, "Inspector came at noon"));
        JsonNode merged = tablet.push(empty);

        assertThat(merged.path("entityId").asString()).isEqualTo(report);
        assertThat(merged.path("outcome").asString()).isEqualTo("APPLIED");
        assertThat(openConflictFields(report)).isEmpty();
        JsonNode onServer = expect(worker.api().get("/api/v1/reports/" + report), 200).body().path("content");
        assertThat(onServer.path("weather").path("temperatureCelsius").asDouble()).isEqualTo(18.5);
        assertThat(onServer.path("crew").size()).isOne();
        assertThat(onServer.path("notes").asString()).isEqualTo("Inspector came at noon");
    }

    @Test
    void aCreateForASiteNotAssignedIsRefusedRecordedAndWritesNothing() {
        String otherSite = world.site();
        Map<String, Object> create = phone.create(UUID.randomUUID(), DAY.plusDays(13), "Not my site");
        @SuppressWarnings("unchecked")
        Map<String, Object> changes = new LinkedHashMap<>((Map<String, Object>) create.get("changes"));
        changes.put("siteId", edit(null, otherSite));
        create.put("changes", changes);
        JsonNode refused = phone.push(create);
        assertThat(refused.path("outcome").asString()).isEqualTo("REJECTED");
        assertThat(refused.path("status").asInt()).isEqualTo(422);
        assertThat(refused.path("problemType").asString()).endsWith("/unknown-site");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM daily_reports WHERE site_id = ?").param(UUID.fromString(otherSite))
                .query(Long.class).single()).isZero();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_events WHERE action = 'ACCESS_DENIED' AND site_id = ?")
                .param(UUID.fromString(otherSite)).query(Long.class).single()).isPositive();
        assertThat(phone.push(create)).isEqualTo(refused);
    }

    @Test
    void aCreateWithTheIdOfAReportTheWorkerCannotSeeIsRefusedAndChangesNothing() {
        String otherSite = world.site();
        SyncDevice strangers = new SyncDevice(world.worker(otherSite).api(), site);
        UUID id = UUID.randomUUID();
        Map<String, Object> theirs = strangers.create(id, DAY.plusDays(14), "Theirs");
        @SuppressWarnings("unchecked")
        Map<String, Object> changes = new LinkedHashMap<>((Map<String, Object>) theirs.get("changes"));
        changes.put("siteId", edit(null, otherSite));
        theirs.put("changes", changes);
        assertThat(strangers.push(theirs).path("outcome").asString()).isEqualTo("APPLIED");

        JsonNode mine = phone.push(phone.create(id, DAY.plusDays(14), "Mine"));
        assertThat(mine.path("outcome").asString()).isEqualTo("REJECTED");
        assertThat(mine.path("status").asInt()).isEqualTo(409);
        assertThat(mine.path("problemType").asString()).endsWith("/id-taken");
        assertThat(jdbc.sql("SELECT work_performed FROM daily_reports WHERE id = ?").param(id).query(String.class)
                .single()).isEqualTo("Theirs");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM daily_reports WHERE site_id = ?").param(UUID.fromString(site))
                .query(Long.class).single()).isZero();
    }

    @Test
    void aCreateWithTheIdOfACoWorkersReportOnTheSameSiteIsRefusedAndChangesNothing() {
        SyncDevice coWorkers = new SyncDevice(world.worker(site).api(), site);
        UUID id = UUID.randomUUID();
        assertThat(coWorkers.push(coWorkers.create(id, DAY.plusDays(38), "Theirs")).path("outcome").asString())
                .isEqualTo("APPLIED");
        long version = jdbc.sql("SELECT version FROM daily_reports WHERE id = ?").param(id).query(Long.class).single();

        for (LocalDate day : List.of(DAY.plusDays(38), DAY.plusDays(39))) {
            JsonNode mine = phone.push(phone.create(id, day, "Mine"));
            assertThat(mine.path("outcome").asString()).isEqualTo("REJECTED");
            assertThat(mine.path("status").asInt()).isEqualTo(409);
            assertThat(mine.path("problemType").asString()).endsWith("/id-taken");
        }
        assertThat(jdbc.sql("SELECT work_performed FROM daily_reports WHERE id = ?").param(id).query(String.class)
                .single()).isEqualTo("Theirs");
        assertThat(jdbc.sql("SELECT version FROM daily_reports WHERE id = ?").param(id).query(Long.class).single())
                .isEqualTo(version);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM sync_conflicts WHERE entity_id = ?").param(id).query(Long.class)
                .single()).isZero();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM daily_reports WHERE author_id = ?").param(UUID.fromString(worker.id()))
                .query(Long.class).single()).isZero();
    }

    @Test
    void aCreateOfTheAuthorsOwnReportUnderAnotherOperationIdIsNoChange() {
        UUID id = UUID.randomUUID();
        JsonNode first = phone.push(phone.create(id, DAY.plusDays(40), "Poured"));
        JsonNode again = tablet.push(tablet.create(id, DAY.plusDays(40), "Poured"));
        assertThat(again.path("outcome").asString()).isEqualTo("APPLIED");
        assertThat(again.path("entityId").asString()).isEqualTo(id.toString());
        assertThat(again.path("entityVersion").asLong()).isEqualTo(first.path("entityVersion").asLong());
        assertThat(openConflictFields(id.toString())).isEmpty();
    }

    @Test
    void aDeleteAgainstAConcurrentEditIsAConflictAndTheReportStays() {
        String report = phone.push(phone.create(UUID.randomUUID(), DAY.plusDays(4), "Draft")).path("entityId").asString();
        tablet.push(tablet.update(report, 1, Map.of("notes", edit(null, "Still needed"))));
        JsonNode deleted = phone.push(phone.delete(report, 1));
        assertThat(deleted.path("outcome").asString()).isEqualTo("CONFLICT");
        expect(worker.api().get("/api/v1/reports/" + report), 200);
        assertThat(openConflictFields(report)).containsExactly("_record");
    }

    @Test
    void anEditOfAReportDeletedMeanwhileIsAConflictThatKeepsTheEdit() {
        String report = phone.push(phone.create(UUID.randomUUID(), DAY.plusDays(8), "Draft")).path("entityId").asString();
        assertThat(tablet.push(tablet.delete(report, 1)).path("outcome").asString()).isEqualTo("APPLIED");
        JsonNode late = phone.push(phone.update(report, 1, Map.of("notes", edit(null, "Written offline"))));
        assertThat(late.path("outcome").asString()).isEqualTo("CONFLICT");
        expect(worker.api().get("/api/v1/reports/" + report), 404);
        JsonNode conflict = worker.api().get("/api/v1/sync/conflicts").body().valueStream()
                .filter(c -> c.path("entityId").asString().equals(report)).findFirst().orElseThrow();
        assertThat(conflict.path("field").asString()).isEqualTo("notes@edit_of_deleted");
        assertThat(conflict.path("siteId").asString()).isEqualTo(site);
        assertThat(conflict.path("clientValue").asString()).isEqualTo("Written offline");
    }

    @Test
    void anEditOfAReportThatNeverExistedOrIsOutOfScopeIsNotFound() {
        JsonNode unknown = phone.push(phone.update(UUID.randomUUID().toString(), 1,
                Map.of("notes", edit(null, "Lost"))));
        assertThat(unknown.path("outcome").asString()).isEqualTo("REJECTED");
        assertThat(unknown.path("status").asInt()).isEqualTo(404);

        String report = phone.push(phone.create(UUID.randomUUID(), DAY.plusDays(9), "Draft")).path("entityId").asString();
        assertThat(phone.push(phone.delete(report, 1)).path("outcome").asString()).isEqualTo("APPLIED");
        SyncDevice stranger = new SyncDevice(world.worker(world.site()).api(), site);
        JsonNode elsewhere = stranger.push(stranger.update(report, 1, Map.of("notes", edit(null, "Not mine"))));
        assertThat(elsewhere.path("outcome").asString()).isEqualTo("REJECTED");
        assertThat(elsewhere.path("status").asInt()).isEqualTo(404);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM sync_conflicts WHERE entity_id = ?").param(UUID.fromString(report))
                .query(Long.class).single()).isZero();
    }

    @Test
    void anEditOfAReportApprovedMeanwhileIsAConflictNotASilentOverwrite() {
        String report = phone.push(phone.create(UUID.randomUUID(), DAY.plusDays(5), "Done")).path("entityId").asString();
        phone.push(phone.update(report, 1, Map.of("status", edit("DRAFT", "SUBMITTED"))));
        expect(manager.api().post("/api/v1/reports/" + report + "/approve"), 200);
        JsonNode late = tablet.push(tablet.update(report, 1, Map.of("notes", edit(null, "Late thought"))));
        assertThat(late.path("outcome").asString()).isEqualTo("CONFLICT");
        JsonNode stored = worker.api().get("/api/v1/reports/" + report).body();
        assertThat(stored.path("status").asString()).isEqualTo("APPROVED");
        assertThat(stored.path("content").path("notes").isNull()).isTrue();
        assertThat(openConflictFields(report)).containsExactly("notes@edit_of_locked");
    }

    @Test
    void aWorkerCannotApproveOrMoveAReportBySync() {
        String report = phone.push(phone.create(UUID.randomUUID(), DAY.plusDays(6), "x")).path("entityId").asString();
        phone.push(phone.update(report, 1, Map.of("status", edit("DRAFT", "SUBMITTED"))));
        JsonNode approve = phone.push(phone.update(report, 2, Map.of("status", edit("SUBMITTED", "APPROVED"))));
        assertThat(approve.path("outcome").asString()).isEqualTo("REJECTED");
        assertThat(approve.path("status").asInt()).isEqualTo(403);
        JsonNode move = phone.push(phone.update(report, 2, Map.of("siteId", edit(site, world.site()))));
        assertThat(move.path("outcome").asString()).isEqualTo("REJECTED");
        assertThat(move.path("problemType").asString()).endsWith("/field-not-writable");
        assertThat(worker.api().get("/api/v1/reports/" + report).body().path("status").asString()).isEqualTo("SUBMITTED");
    }

    @Test
    void aWorkerPromotedToManagerCannotApproveOrReturnTheirOwnReportBySync() {
        String report = phone.push(phone.create(UUID.randomUUID(), DAY.plusDays(8), "Mine")).path("entityId").asString();
        phone.push(phone.update(report, 1, Map.of("status", edit("DRAFT", "SUBMITTED"))));
        world.promoteToManager(worker, world.portfolio(site));
        long events = jdbc.sql("SELECT COUNT(*) FROM audit_events WHERE entity_id = ?").param(report)
                .query(Long.class).single();
        JsonNode approve = phone.push(phone.update(report, 2, Map.of("status", edit("SUBMITTED", "APPROVED"))));
        JsonNode giveBack = tablet.push(tablet.update(report, 2, Map.of("status", edit("SUBMITTED", "RETURNED"),
                "returnComment", edit(null, "Mine"))));
        for (JsonNode refused : List.of(approve, giveBack)) {
            assertThat(refused.path("outcome").asString()).isEqualTo("REJECTED");
            assertThat(refused.path("status").asInt()).isEqualTo(403);
            assertThat(refused.path("problemType").asString()).endsWith("/own-report");
        }
        JsonNode stored = worker.api().get("/api/v1/reports/" + report).body();
        assertThat(stored.path("status").asString()).isEqualTo("SUBMITTED");
        assertThat(stored.path("version").asLong()).isEqualTo(2);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_events WHERE entity_id = ?").param(report)
                .query(Long.class).single()).isEqualTo(events);
    }

    @Test
    void anOldClientIsToldToUpdateAndTheDeviceStatusIsKept() {
        Map<String, Object> push = phone.request(List.of());
        push.put("clientVersion", "0.0.9");
        Api.Answer old = worker.api().post("/api/v1/sync/push", push);
        assertThat(old.status()).isEqualTo(426);
        assertThat(old.problemType()).endsWith("/client-too-old");
        assertThat(old.body().path("minimumClientVersion").asString()).isEqualTo("0.1.0");

        expect(worker.api().post("/api/v1/sync/push", phone.request(List.of())), 200);
        Map<String, Object> device = jdbc.sql("SELECT * FROM sync_devices WHERE device_id = ?").param(phone.id)
                .query().singleRow();
        assertThat(device.get("outbox_depth")).isEqualTo(3);
        assertThat(device.get("app_version")).isEqualTo("0.1.0");
        assertThat(device.get("user_id")).isEqualTo(UUID.fromString(worker.id()));
    }

    @Test
    void eachMalformedOperationOfABatchIsRefusedOnItsOwnAndTheRestIsApplied() throws Exception {
        String report = phone.push(phone.create(UUID.randomUUID(), DAY.plusDays(30), "x")).path("entityId").asString();
        byte[] jpeg = app.fieldbook.Images.jpeg(32, 32);
        String sha256 = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(jpeg));
        UUID before = UUID.randomUUID();
        UUID after = UUID.randomUUID();
        Map<String, Object> badDate = phone.create(UUID.randomUUID(), DAY.plusDays(32), "Bad date");
        changesOf(badDate).put("date", edit(null, "2026-13-45"));
        Map<String, Object> badMadeAt = phone.create(UUID.randomUUID(), DAY.plusDays(33), "Bad clock");
        badMadeAt.put("madeAt", "yesterday");
        Map<String, Object> badTakenAt = photoAnnouncement(report, sha256, jpeg.length);
        changesOf(badTakenAt).put("takenAt", edit(null, "after lunch"));
        Map<String, Object> negativeSize = photoAnnouncement(report, sha256, -5);
        Map<String, Object> notHex = photoAnnouncement(report, "xyz" + sha256.substring(3), jpeg.length);
        Map<String, Object> shortHash = photoAnnouncement(report, sha256.substring(1), jpeg.length);
        Map<String, Object> noOperationId = phone.create(UUID.randomUUID(), DAY.plusDays(34), "No id");
        noOperationId.remove("operationId");
        List<Map<String, Object>> batch = List.of(phone.create(before, DAY.plusDays(31), "Before"), badDate, badMadeAt,
                badTakenAt, negativeSize, notHex, shortHash, noOperationId, phone.create(after, DAY.plusDays(35), "After"));

        JsonNode results = expect(worker.api().post("/api/v1/sync/push", phone.request(batch)), 200).body()
                .path("results");

        assertThat(results.size()).isEqualTo(batch.size());
        assertThat(results.get(0).path("outcome").asString()).isEqualTo("APPLIED");
        assertThat(results.get(8).path("outcome").asString()).isEqualTo("APPLIED");
        Map<Integer, String> fieldNamed = Map.of(1, "date", 2, "madeAt", 3, "takenAt", 4, "size", 5, "sha256",
                6, "sha256", 7, "operationId");
        fieldNamed.forEach((index, field) -> {
            JsonNode refused = results.get(index);
            assertThat(refused.path("outcome").asString()).as("operation %d", index).isEqualTo("REJECTED");
            assertThat(refused.path("status").asInt()).as("operation %d", index).isEqualTo(422);
            assertThat(refused.path("problemType").asString()).as("operation %d", index)
                    .endsWith(index >= 4 && index <= 6 ? "/invalid-photo" : "/invalid-operation");
            assertThat(refused.path("detail").asString()).as("operation %d", index).contains(field);
        });
        for (int index = 1; index < 7; index++) {
            assertThat(results.get(index).path("operationId").asString()).isEqualTo(batch.get(index).get("operationId"));
        }
        assertThat(results.get(7).path("operationId").isNull()).isTrue();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM daily_reports WHERE id IN (?, ?)").params(before, after)
                .query(Long.class).single()).isEqualTo(2);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM daily_reports WHERE site_id = ?").param(UUID.fromString(site))
                .query(Long.class).single()).isEqualTo(3);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM photos WHERE report_id = ?").param(UUID.fromString(report))
                .query(Long.class).single()).isZero();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM sync_operations WHERE operation_id = ?")
                .param(UUID.fromString((String) badMadeAt.get("operationId"))).query(Long.class).single()).isOne();

        JsonNode again = expect(worker.api().post("/api/v1/sync/push", phone.request(batch)), 200).body()
                .path("results");
        assertThat(again).isEqualTo(results);
    }

    @Test
    void aPushWithoutADeviceIdIsRefusedAsAWhole() {
        Map<String, Object> request = phone.request(List.of(phone.create(UUID.randomUUID(), DAY.plusDays(36), "x")));
        request.remove("deviceId");
        Api.Answer refused = worker.api().post("/api/v1/sync/push", request);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.problemType()).endsWith("/invalid-request");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM daily_reports WHERE site_id = ?").param(UUID.fromString(site))
                .query(Long.class).single()).isZero();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> changesOf(Map<String, Object> operation) {
        return (Map<String, Object>) operation.get("changes");
    }

    private Map<String, Object> photoAnnouncement(String report, String sha256, long size) {
        Map<String, Object> announce = phone.operation(UUID.randomUUID().toString(), "CREATE", 0,
                new LinkedHashMap<>(Map.of("reportId", edit(null, report), "sha256", edit(null, sha256),
                        "size", edit(null, size))));
        announce.put("entity", "Photo");
        return announce;
    }

    private List<String> openConflictFields(String reportId) {
        return worker.api().get("/api/v1/sync/conflicts").body().valueStream()
                .filter(c -> c.path("entityId").asString().equals(reportId))
                .map(c -> c.path("field").asString()).toList();
    }

    private static JsonNode reportIn(JsonNode pull, String id) {
        return pull.path("reports").valueStream().filter(r -> r.path("id").asString().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("report " + id + " not pulled"));
    }
}
