package app.fieldbook.sync;

import static app.fieldbook.Fixtures.expect;
import static org.assertj.core.api.Assertions.assertThat;

import app.fieldbook.Api;
import app.fieldbook.Fixtures;
import app.fieldbook.Fixtures.Person;
import app.fieldbook.FullStackTest;
import app.fieldbook.InsertsAtCommit;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/** The sync protocol over HTTP, as two devices of field workers and a manager's would use it. */
@FullStackTest
class SyncTest {

    private static final LocalDate DAY = LocalDate.of(2026, 9, 7);

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    ChangeFeed feed;

    @Autowired
    InsertsAtCommit inserts;

    @Autowired
    PhotoUploads uploads;

    @Autowired
    org.springframework.core.env.Environment environment;

    Fixtures world;
    String site;
    Person worker;
    Person manager;
    Device phone;
    Device tablet;

    @BeforeEach
    void world() {
        world = new Fixtures(port);
        site = world.site();
        worker = world.worker(site);
        manager = world.manager(world.portfolio(site));
        phone = new Device(worker.api());
        tablet = new Device(worker.api());
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

        expect(worker.api().post("/api/v1/sync/conflicts/" + conflict.path("id").asString() + "/resolution",
                Map.of("choice", "CLIENT")), 200);
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

    @SuppressWarnings("unchecked")
    private static Map<String, Object> changesOf(Map<String, Object> operation) {
        return (Map<String, Object>) operation.get("changes");
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
        Device strangers = new Device(world.worker(otherSite).api());
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
        Device stranger = new Device(world.worker(world.site()).api());
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
    void aChangeCommittedAfterALaterOneIsStillPulled() throws Exception {
        String early = phone.push(phone.create(UUID.randomUUID(), DAY.plusDays(7), "early")).path("entityId").asString();
        phone.pullAll();
        CountDownLatch written = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        var executor = Executors.newSingleThreadExecutor();
        try {
            Future<?> slow = executor.submit(() -> transactions.executeWithoutResult(status -> {
                feed.record("DailyReport", UUID.fromString(early), UUID.fromString(site), false);
                inserts.flush(); // the row is in the table, not committed, while a later change commits
                written.countDown();
                await(release);
            }));
            assertThat(written.await(10, TimeUnit.SECONDS)).isTrue();
            String later = phone.push(phone.create(UUID.randomUUID(), DAY.plusDays(8), "later")).path("entityId").asString();
            JsonNode before = phone.pullAll();
            assertThat(ids(before)).contains(later).doesNotContain(early);
            release.countDown();
            slow.get(10, TimeUnit.SECONDS);
            JsonNode after = phone.pullAll();
            assertThat(ids(after)).contains(early);
        } finally {
            release.countDown();
            executor.shutdownNow();
        }
    }

    @Test
    void aDeviceThatLostASiteIsToldToDropItsData() {
        phone.push(phone.create(UUID.randomUUID(), DAY.plusDays(9), "x"));
        JsonNode first = phone.pullAll();
        assertThat(first.path("sites").valueStream().map(s -> s.path("id").asString())).contains(site);
        expect(world.admin().put("/api/v1/users/" + worker.id() + "/sites", Map.of("siteIds", List.of())), 200);
        JsonNode after = phone.pullAll();
        assertThat(after.path("dropSiteIds").valueStream().map(JsonNode::asString)).containsExactly(site);
        assertThat(after.path("sites").size()).isZero();
    }

    @Test
    void aDeviceGivenASiteGetsItsWholeHistoryPageByPage() throws Exception {
        String other = world.site();
        Person builder = world.worker(other);
        Device buildersPhone = new Device(builder.api());
        Device buildersTablet = new Device(builder.api());
        List<Map<String, Object>> creates = new java.util.ArrayList<>();
        for (int day = 0; day < 120; day++) {
            creates.add(buildersPhone.createAt(other, UUID.randomUUID(), DAY.minusDays(day), "Day " + day));
        }
        List<String> history = buildersPhone.pushAll(creates).valueStream()
                .map(result -> result.path("entityId").asString()).toList();
        String edited = history.get(0);
        buildersPhone.push(buildersPhone.update(edited, 1, Map.of("notes", edit(null, "From the phone"))));
        JsonNode conflicted = buildersTablet.push(buildersTablet.update(edited, 1,
                Map.of("notes", edit(null, "From the tablet"))));
        assertThat(conflicted.path("outcome").asString()).isEqualTo("CONFLICT");
        String conflict = conflicted.path("conflictIds").get(0).asString();
        String removed = history.get(1);
        buildersPhone.push(buildersPhone.delete(removed, 1));
        byte[] jpeg = app.fieldbook.Images.jpeg(64, 64);
        UUID photo = UUID.randomUUID();
        Map<String, Object> announce = buildersPhone.operation(photo.toString(), "CREATE", 0, Map.of(
                "reportId", edit(null, history.get(2)), "sha256", edit(null, java.util.HexFormat.of().formatHex(
                        java.security.MessageDigest.getInstance("SHA-256").digest(jpeg))),
                "size", edit(null, jpeg.length)));
        announce.put("entity", "Photo");
        assertThat(buildersPhone.push(announce).path("outcome").asString()).isEqualTo("APPLIED");
        String third = world.site();
        Device thirdsPhone = new Device(world.worker(third).api());
        List<Map<String, Object>> thirdCreates = new java.util.ArrayList<>();
        for (int day = 0; day < 40; day++) {
            thirdCreates.add(thirdsPhone.createAt(third, UUID.randomUUID(), DAY.minusDays(day), "Third " + day));
        }
        List<String> thirdHistory = thirdsPhone.pushAll(thirdCreates).valueStream()
                .map(result -> result.path("entityId").asString()).toList();

        String portfolio = world.portfolio(site);
        Person boss = world.manager(portfolio);
        Device bossesPhone = new Device(boss.api());
        phone.push(phone.create(UUID.randomUUID(), DAY.plusDays(30), "On the first site"));
        Pulled before = bossesPhone.pullLikeAClient(25);
        assertThat(before.reports()).doesNotContainAnyElementsOf(history);
        assertThat(before.sites()).containsExactly(site);

        expect(world.admin().put("/api/v1/users/" + boss.id() + "/portfolios",
                Map.of("portfolioIds", List.of(portfolio, world.portfolio(other, third)))), 200);
        Pulled after = bossesPhone.pullLikeAClient(25);

        List<String> live = history.stream().filter(id -> !id.equals(removed)).toList();
        assertThat(after.reports()).containsAll(live).containsAll(thirdHistory).doesNotContain(removed);
        assertThat(after.photos()).containsExactly(photo.toString());
        assertThat(after.conflicts()).containsExactly(conflict);
        assertThat(after.sites()).containsExactlyInAnyOrder(site, other, third);
        assertThat(after.largestPage()).isLessThanOrEqualTo(25);
        assertThat(after.pages()).isGreaterThan((live.size() + thirdHistory.size()) / 25).isLessThan(20);

        Pulled again = bossesPhone.pullLikeAClient(25);
        assertThat(again.reports()).as("nothing is sent twice once the device holds the sites").isEmpty();
        assertThat(again.pages()).isOne();
    }

    @Test
    void aSiteGivenWhileTheDeviceCatchesUpOnAnotherIsNotSkipped() {
        List<String> twoSites = new java.util.ArrayList<>(List.of(world.site(), world.site()));
        twoSites.sort(java.util.Comparator.naturalOrder());
        String first = twoSites.get(0);
        String second = twoSites.get(1);
        Map<String, List<String>> histories = new HashMap<>();
        for (String each : twoSites) {
            Device filer = new Device(world.worker(each).api());
            List<Map<String, Object>> creates = new java.util.ArrayList<>();
            for (int day = 0; day < 30; day++) {
                creates.add(filer.createAt(each, UUID.randomUUID(), DAY.minusDays(day), "History " + day));
            }
            histories.put(each, filer.pushAll(creates).valueStream()
                    .map(result -> result.path("entityId").asString()).toList());
        }
        String own = world.portfolio(site);
        Person boss = world.manager(own);
        Device bossesPhone = new Device(boss.api());
        phone.push(phone.create(UUID.randomUUID(), DAY.plusDays(31), "So the feed is past the start"));
        bossesPhone.pullLikeAClient(10);

        // the round starts on the site that sorts second, and the one that sorts first comes during it
        String secondsPortfolio = world.portfolio(second);
        expect(world.admin().put("/api/v1/users/" + boss.id() + "/portfolios",
                Map.of("portfolioIds", List.of(own, secondsPortfolio))), 200);
        Pulled started = bossesPhone.pullLikeAClient(10, 1);
        assertThat(started.sites()).doesNotContain(second);
        expect(world.admin().put("/api/v1/users/" + boss.id() + "/portfolios",
                Map.of("portfolioIds", List.of(own, secondsPortfolio, world.portfolio(first)))), 200);
        Pulled rest = bossesPhone.pullLikeAClient(10);
        Pulled nextSync = bossesPhone.pullLikeAClient(10);

        Set<String> held = new java.util.HashSet<>(started.reports());
        held.addAll(rest.reports());
        held.addAll(nextSync.reports());
        assertThat(held).containsAll(histories.get(second)).containsAll(histories.get(first));
        assertThat(nextSync.sites()).contains(first, second);
    }

    @Test
    void aPullShowsOnlyWhatTheCallerMaySee() {
        String otherSite = world.site();
        Person stranger = world.worker(otherSite);
        Device strangers = new Device(stranger.api());
        String mine = phone.push(phone.create(UUID.randomUUID(), DAY.plusDays(10), "mine")).path("entityId").asString();
        assertThat(ids(strangers.pullAll())).doesNotContain(mine);
        JsonNode managers = new Device(manager.api()).pullAll();
        assertThat(ids(managers)).contains(mine);
        assertThat(managers.path("people").valueStream().map(p -> p.path("id").asString() + " " + p.path("name")
                .asString())).contains(worker.id() + " Test " + worker.login(), manager.id() + " Test " + manager.login());
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
    void aPhotoAnnouncedWithItsReportIsPendingUntilItsContentArrivesInResumableChunks() throws Exception {
        String report = phone.push(phone.create(UUID.randomUUID(), DAY.plusDays(11), "x")).path("entityId").asString();
        byte[] jpeg = app.fieldbook.Images.jpeg(800, 600);
        String sha256 = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(jpeg));
        UUID photo = UUID.randomUUID();
        Map<String, Object> announce = phone.operation(photo.toString(), "CREATE", 0, Map.of(
                "reportId", edit(null, report), "sha256", edit(null, sha256), "size", edit(null, jpeg.length),
                "caption", edit(null, "North wall")));
        announce.put("entity", "Photo");
        assertThat(phone.push(announce).path("outcome").asString()).isEqualTo("APPLIED");

        JsonNode pending = manager.api().get("/api/v1/photos/" + photo).body();
        assertThat(pending.path("pending").asBoolean()).isTrue();
        assertThat(manager.api().get("/api/v1/photos/" + photo + "/content").status()).isEqualTo(404);
        assertThat(new Device(manager.api()).pullAll().path("photos").valueStream()
                .map(p -> p.path("id").asString())).contains(photo.toString());

        JsonNode started = expect(startUpload(phone, photo, jpeg), 200).body();
        assertThat(started.path("offset").asLong()).isZero();
        int half = jpeg.length / 2;
        JsonNode first = expect(chunk(photo, 0, java.util.Arrays.copyOfRange(jpeg, 0, half)), 200).body();
        assertThat(first.path("offset").asLong()).isEqualTo(half);
        assertThat(first.path("receipt").isNull()).isTrue();

        Api.Answer wrongOffset = chunk(photo, 0, java.util.Arrays.copyOfRange(jpeg, 0, half));
        assertThat(wrongOffset.status()).isEqualTo(409);
        assertThat(wrongOffset.body().path("offset").asLong()).isEqualTo(half);

        assertThat(expect(worker.api().get("/api/v1/sync/uploads/" + photo), 200).body().path("offset").asLong())
                .isEqualTo(half);
        JsonNode done = expect(chunk(photo, half, java.util.Arrays.copyOfRange(jpeg, half, jpeg.length)), 200).body();
        assertThat(done.path("receipt").path("sha256").asString()).isEqualTo(sha256);
        assertThat(done.path("receipt").path("contentType").asString()).isEqualTo("image/jpeg");
        assertThat(expect(manager.api().get("/api/v1/photos/" + photo + "/content"), 200).raw().body()).isEqualTo(jpeg);
        assertThat(manager.api().get("/api/v1/photos/" + photo).body().path("pending").asBoolean()).isFalse();
    }

    @Test
    void contentThatDoesNotMatchTheAnnouncedHashIsRefusedAndTheUploadStartsOver() throws Exception {
        String report = phone.push(phone.create(UUID.randomUUID(), DAY.plusDays(12), "x")).path("entityId").asString();
        byte[] jpeg = app.fieldbook.Images.jpeg(64, 64);
        byte[] other = app.fieldbook.Images.png(64, 64);
        String sha256 = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(jpeg));
        UUID photo = UUID.randomUUID();
        Map<String, Object> announce = phone.operation(photo.toString(), "CREATE", 0, Map.of(
                "reportId", edit(null, report), "sha256", edit(null, sha256), "size", edit(null, other.length)));
        announce.put("entity", "Photo");
        phone.push(announce);
        Api.Answer wrong = chunk(photo, 0, other);
        assertThat(wrong.status()).isEqualTo(422);
        assertThat(wrong.problemType()).endsWith("/hash-mismatch");
        assertThat(worker.api().get("/api/v1/sync/uploads/" + photo).body().path("offset").asLong()).isZero();
        assertThat(worker.api().get("/api/v1/photos/" + photo).body().path("pending").asBoolean()).isTrue();
    }

    @Test
    void aSlowUploadDoesNotHoldUpTheUploadOfAnotherPhoto() throws Exception {
        byte[] slowContent = app.fieldbook.Images.jpeg(400, 300);
        byte[] quickContent = app.fieldbook.Images.jpeg(300, 200);
        UUID slow = announcePhoto(slowContent, DAY.plusDays(20));
        UUID quick = announcePhoto(quickContent, DAY.plusDays(21));
        int firstPart = slowContent.length / 3;
        try (java.net.Socket device = new java.net.Socket("127.0.0.1", port)) {
            var out = device.getOutputStream();
            sendFirstPart(device, slow, slowContent, firstPart);
            assertThat(offsetOf(slow)).as("the slow upload has begun").isEqualTo(firstPart);

            JsonNode done = expect(chunk(quick, 0, quickContent), 200).body();
            assertThat(done.path("receipt").path("photoId").asString()).isEqualTo(quick.toString());
            Api.Answer busy = chunk(slow, firstPart, java.util.Arrays.copyOfRange(slowContent, firstPart,
                    slowContent.length));
            assertThat(busy.status()).isEqualTo(409);
            assertThat(busy.problemType()).endsWith("/upload-busy");
            assertThat(busy.body().path("offset").asLong()).isEqualTo(firstPart);

            out.write(slowContent, firstPart, slowContent.length - firstPart);
            out.flush();
            String status = new java.io.BufferedReader(new java.io.InputStreamReader(device.getInputStream(),
                    java.nio.charset.StandardCharsets.US_ASCII)).readLine();
            assertThat(status).startsWith("HTTP/1.1 200");
        }
        assertThat(expect(manager.api().get("/api/v1/photos/" + slow + "/content"), 200).raw().body())
                .isEqualTo(slowContent);
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void anUploadCutByTheNetworkIsLoggedAsOneQuietLineAndResumesFromWhatArrived(CapturedOutput log)
            throws Exception {
        byte[] content = app.fieldbook.Images.jpeg(400, 300);
        UUID photo = announcePhoto(content, DAY.plusDays(26));
        int part = content.length / 2;
        try (java.net.Socket device = new java.net.Socket("127.0.0.1", port)) {
            sendFirstPart(device, photo, content, part);
        }
        for (int i = 0; i < 200 && !log.getAll().contains("went away"); i++) {
            Thread.sleep(50);
        }

        assertThat(log.getAll()).contains("The client went away during PATCH /api/v1/sync/uploads/" + photo);
        assertThat(log.getAll().lines().filter(line -> line.contains(" ERROR ") || line.startsWith("\tat ")))
                .as("no error, no stack trace").isEmpty();
        long have = offsetOf(photo);
        assertThat(have).isEqualTo(part);
        expect(chunk(photo, have, java.util.Arrays.copyOfRange(content, (int) have, content.length)), 200);
        assertThat(expect(manager.api().get("/api/v1/photos/" + photo + "/content"), 200).raw().body())
                .isEqualTo(content);
    }

    @Test
    void partialUploadsNobodyWillCompleteAreDeleted() throws Exception {
        byte[] content = app.fieldbook.Images.jpeg(200, 200);
        byte[] half = java.util.Arrays.copyOfRange(content, 0, content.length / 2);
        UUID fresh = announcePhoto(content, DAY.plusDays(22));
        UUID stale = announcePhoto(content, DAY.plusDays(23));
        UUID removed = announcePhoto(content, DAY.plusDays(24));
        for (UUID photo : List.of(fresh, stale, removed)) {
            expect(chunk(photo, 0, half), 200);
        }
        java.nio.file.Files.setLastModifiedTime(partialOf(stale),
                java.nio.file.attribute.FileTime.from(java.time.Instant.now().minus(java.time.Duration.ofDays(8))));
        Map<String, Object> removal = phone.operation(removed.toString(), "DELETE", 1, Map.of());
        removal.put("entity", "Photo");
        assertThat(phone.push(removal).path("outcome").asString()).isEqualTo("APPLIED");

        uploads.forgetAbandoned();

        assertThat(offsetOf(fresh)).isEqualTo(half.length);
        assertThat(java.nio.file.Files.exists(partialOf(fresh))).isTrue();
        assertThat(java.nio.file.Files.exists(partialOf(stale))).isFalse();
        assertThat(java.nio.file.Files.exists(partialOf(removed))).isFalse();
        assertThat(offsetOf(stale)).as("the device starts over").isZero();
        JsonNode again = expect(chunk(stale, 0, content), 200).body();
        assertThat(again.path("receipt").path("sha256").asString()).isNotEmpty();
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

    @Test
    void onlyTheUserAndDeviceThatAnnouncedAPhotoMaySendItsBytes() throws Exception {
        byte[] jpeg = app.fieldbook.Images.jpeg(400, 300);
        UUID photo = announcePhoto(jpeg, DAY.plusDays(37));
        int half = jpeg.length / 2;
        expect(chunk(phone, photo, 0, java.util.Arrays.copyOfRange(jpeg, 0, half)), 200);
        byte[] partial = java.nio.file.Files.readAllBytes(partialOf(photo));
        var modified = java.nio.file.attribute.FileTime.from(java.time.Instant.parse("2026-09-01T00:00:00Z"));
        java.nio.file.Files.setLastModifiedTime(partialOf(photo), modified);
        byte[] rest = java.util.Arrays.copyOfRange(jpeg, half, jpeg.length);
        Device managersDevice = new Device(manager.api());
        Device executivesDevice = new Device(world.executive().api());

        for (Api.Answer refused : List.of(chunk(managersDevice, photo, half, rest),
                chunk(executivesDevice, photo, half, rest), chunk(tablet, photo, half, rest),
                chunk(null, photo, half, rest),
                startUpload(managersDevice, photo, jpeg), startUpload(tablet, photo, jpeg))) {
            assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
            assertThat(refused.problemType()).isEqualTo("https://fieldbook.app/problems/not-uploader");
        }
        Api.Answer tooLong = chunk(phone, photo, half, java.util.Arrays.copyOf(rest, rest.length + 1));
        assertThat(tooLong.status()).isEqualTo(413);
        assertThat(tooLong.problemType()).endsWith("/upload-too-long");
        assertThat(java.nio.file.Files.readAllBytes(partialOf(photo))).isEqualTo(partial);
        assertThat(java.nio.file.Files.getLastModifiedTime(partialOf(photo))).isEqualTo(modified);

        assertThat(expect(startUpload(phone, photo, jpeg), 200).body().path("offset").asLong()).isEqualTo(half);
        JsonNode done = expect(chunk(phone, photo, half, rest), 200).body();
        assertThat(done.path("receipt").path("sha256").asString()).isEqualTo(sha256(jpeg));
        assertThat(expect(manager.api().get("/api/v1/photos/" + photo + "/content"), 200).raw().body()).isEqualTo(jpeg);
    }

    @Test
    void aCreateWithTheIdOfACoWorkersReportOnTheSameSiteIsRefusedAndChangesNothing() {
        Device coWorkers = new Device(world.worker(site).api());
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

    private Map<String, Object> photoAnnouncement(String report, String sha256, long size) {
        Map<String, Object> announce = phone.operation(UUID.randomUUID().toString(), "CREATE", 0,
                new LinkedHashMap<>(Map.of("reportId", edit(null, report), "sha256", edit(null, sha256),
                        "size", edit(null, size))));
        announce.put("entity", "Photo");
        return announce;
    }

    private static String sha256(byte[] content) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(content));
    }

    private Api.Answer startUpload(Device device, UUID photo, byte[] content) throws Exception {
        return device.api.send("POST", "/api/v1/sync/uploads", Map.of("photoId", photo.toString(),
                "sha256", sha256(content), "size", content.length), Map.of("Fieldbook-Device-Id", device.id.toString()));
    }

    private UUID announcePhoto(byte[] content, LocalDate day) throws Exception {
        String report = phone.push(phone.create(UUID.randomUUID(), day, "x")).path("entityId").asString();
        String sha256 = java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(content));
        UUID photo = UUID.randomUUID();
        Map<String, Object> announce = phone.operation(photo.toString(), "CREATE", 0, Map.of(
                "reportId", edit(null, report), "sha256", edit(null, sha256), "size", edit(null, content.length)));
        announce.put("entity", "Photo");
        assertThat(phone.push(announce).path("outcome").asString()).isEqualTo("APPLIED");
        return photo;
    }

    /**
     * Starts the phone's upload of the whole photo on a connection of its own, sends only its first
     * {@code part} bytes, and waits until the server has them.
     */
    private void sendFirstPart(java.net.Socket device, UUID photo, byte[] content, int part) throws Exception {
        var out = device.getOutputStream();
        out.write(("PATCH /api/v1/sync/uploads/" + photo + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                + "\r\nAuthorization: Bearer " + token(worker.api()) + "\r\nFieldbook-Device-Id: " + phone.id
                + "\r\nUpload-Offset: 0"
                + "\r\nContent-Type: application/offset+octet-stream\r\nContent-Length: " + content.length
                + "\r\nConnection: close\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        out.write(content, 0, part);
        out.flush();
        for (int i = 0; i < 200 && offsetOf(photo) < part; i++) {
            Thread.sleep(50);
        }
    }

    private long offsetOf(UUID photo) {
        return expect(worker.api().get("/api/v1/sync/uploads/" + photo), 200).body().path("offset").asLong();
    }

    private java.nio.file.Path partialOf(UUID photo) {
        return java.nio.file.Path.of(environment.getProperty("fieldbook.sync.upload-directory", "./data/uploads"))
                .resolve(photo + ".part");
    }

    /** A chunk of the photo's content as the device sends it; a null device sends no device id. */
    private java.net.http.HttpRequest uploadRequest(Device device, UUID photo, long offset,
            java.net.http.HttpRequest.BodyPublisher body) {
        Api api = device == null ? worker.api() : device.api;
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(api.base()
                        + "/api/v1/sync/uploads/" + photo))
                .timeout(java.time.Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token(api))
                .header("Upload-Offset", Long.toString(offset))
                .header("Content-Type", "application/offset+octet-stream");
        if (device != null) {
            request.header("Fieldbook-Device-Id", device.id.toString());
        }
        return request.method("PATCH", body).build();
    }

    private Api.Answer chunk(UUID photo, long offset, byte[] bytes) {
        return chunk(phone, photo, offset, bytes);
    }

    private Api.Answer chunk(Device device, UUID photo, long offset, byte[] bytes) {
        try {
            var request = uploadRequest(device, photo, offset,
                    java.net.http.HttpRequest.BodyPublishers.ofByteArray(bytes));
            var response = java.net.http.HttpClient.newHttpClient().send(request,
                    java.net.http.HttpResponse.BodyHandlers.ofByteArray());
            String type = response.headers().firstValue("Content-Type").orElse(null);
            JsonNode body = tools.jackson.databind.json.JsonMapper.builder().build().readTree(response.body());
            return new Api.Answer(response.statusCode(), body, type, response);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String token(Api api) {
        return api.token();
    }

    private List<String> openConflictFields(String reportId) {
        return worker.api().get("/api/v1/sync/conflicts").body().valueStream()
                .filter(c -> c.path("entityId").asString().equals(reportId))
                .map(c -> c.path("field").asString()).toList();
    }

    private static List<String> ids(JsonNode pull) {
        return pull.path("reports").valueStream().map(r -> r.path("id").asString()).toList();
    }

    private static JsonNode reportIn(JsonNode pull, String id) {
        return pull.path("reports").valueStream().filter(r -> r.path("id").asString().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("report " + id + " not pulled"));
    }

    private static Map<String, Object> edit(Object base, Object value) {
        Map<String, Object> edit = new HashMap<>();
        edit.put("base", base);
        edit.put("value", value);
        return edit;
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** What a device holds after pulling, and the size of the largest page it got (records in it). */
    private record Pulled(List<String> reports, List<String> photos, List<String> conflicts, List<String> sites,
            int largestPage, int pages) {
    }

    /** A device speaking the sync protocol: its own id, its cursor, operations it builds. */
    private final class Device {

        final UUID id = UUID.randomUUID();
        final Api api;
        final Set<String> heldSites = new java.util.LinkedHashSet<>();
        String cursor = "";

        Device(Api api) {
            this.api = api;
        }

        Map<String, Object> create(UUID reportId, LocalDate date, String work) {
            return createAt(site, reportId, date, work);
        }

        Map<String, Object> createAt(String siteId, UUID reportId, LocalDate date, String work) {
            Map<String, Object> changes = new LinkedHashMap<>();
            changes.put("siteId", edit(null, siteId));
            changes.put("date", edit(null, date.toString()));
            changes.put("workPerformed", edit(null, work));
            changes.put("crew", edit(null, List.of(Map.of("trade", "Concrete", "headcount", 3, "hours", 24))));
            return operation(reportId.toString(), "CREATE", 0, changes);
        }

        Map<String, Object> update(String reportId, long base, Map<String, Object> changes) {
            return operation(reportId, "UPDATE", base, changes);
        }

        Map<String, Object> delete(String reportId, long base) {
            return operation(reportId, "DELETE", base, Map.of());
        }

        Map<String, Object> operation(String entityId, String kind, long base, Map<String, Object> changes) {
            Map<String, Object> operation = new LinkedHashMap<>();
            operation.put("operationId", UUID.randomUUID().toString());
            operation.put("entity", "DailyReport");
            operation.put("entityId", entityId);
            operation.put("kind", kind);
            operation.put("baseVersion", base);
            operation.put("changes", changes);
            operation.put("madeAt", "2026-09-07T16:30:00Z");
            return operation;
        }

        Map<String, Object> request(List<Map<String, Object>> operations) {
            Map<String, Object> request = new LinkedHashMap<>();
            request.put("protocolVersion", 1);
            request.put("clientVersion", "0.1.0");
            request.put("deviceId", id.toString());
            request.put("device", Map.of("outboxDepth", 3, "oldestPendingAt", "2026-09-07T10:00:00Z",
                    "pendingPhotos", 1, "appVersion", "0.1.0"));
            request.put("operations", operations);
            return request;
        }

        JsonNode pushAll(List<Map<String, Object>> operations) {
            JsonNode results = expect(api.post("/api/v1/sync/push", request(operations)), 200).body().path("results");
            assertThat(results.size()).isEqualTo(operations.size());
            assertThat(results.valueStream().map(r -> r.path("outcome").asString())).containsOnly("APPLIED");
            return results;
        }

        /**
         * Pulls until the server has no more, as the Java client does: it reports the sites it holds (the
         * sites it was sent and the sites of its reports) and keeps what each page brings.
         */
        Pulled pullLikeAClient(int limit) {
            return pullLikeAClient(limit, 1000);
        }

        Pulled pullLikeAClient(int limit, int maxPages) {
            Set<String> reports = new java.util.LinkedHashSet<>();
            Set<String> photos = new java.util.LinkedHashSet<>();
            Set<String> conflicts = new java.util.LinkedHashSet<>();
            int largest = 0;
            int pages = 0;
            JsonNode page;
            do {
                Map<String, Object> request = request(List.of());
                request.remove("operations");
                request.put("cursor", cursor);
                request.put("limit", limit);
                request.put("knownSiteIds", List.copyOf(heldSites));
                page = expect(api.post("/api/v1/sync/pull", request), 200).body();
                cursor = page.path("cursor").asString();
                page.path("sites").valueStream().forEach(s -> heldSites.add(s.path("id").asString()));
                page.path("reports").valueStream().forEach(r -> {
                    reports.add(r.path("id").asString());
                    heldSites.add(r.path("siteId").asString());
                });
                page.path("deletions").valueStream().forEach(d -> reports.remove(d.path("id").asString()));
                page.path("photos").valueStream().forEach(p -> photos.add(p.path("id").asString()));
                page.path("conflicts").valueStream().forEach(c -> conflicts.add(c.path("id").asString()));
                largest = Math.max(largest, page.path("reports").size() + page.path("photos").size()
                        + page.path("conflicts").size() + page.path("deletions").size());
            } while (page.path("more").asBoolean() && ++pages < maxPages);
            List<String> sites = page.path("sites").valueStream().map(s -> s.path("id").asString()).toList();
            return new Pulled(List.copyOf(reports), List.copyOf(photos), List.copyOf(conflicts), sites, largest,
                    pages + 1);
        }

        JsonNode push(Map<String, Object> operation) {
            JsonNode results = expect(api.post("/api/v1/sync/push", request(List.of(operation))), 200).body()
                    .path("results");
            assertThat(results.size()).isOne();
            return results.get(0);
        }

        /** Pulls every page; answers the last page with all reports of all pages. */
        JsonNode pullAll() {
            List<JsonNode> reports = new java.util.ArrayList<>();
            JsonNode page;
            int pages = 0;
            do {
                Map<String, Object> request = request(List.of());
                request.remove("operations");
                request.put("cursor", cursor);
                request.put("limit", 100);
                request.put("knownSiteIds", List.of(site));
                page = expect(api.post("/api/v1/sync/pull", request), 200).body();
                cursor = page.path("cursor").asString();
                page.path("reports").valueStream().forEach(reports::add);
            } while (page.path("more").asBoolean() && ++pages < 100);
            var last = (tools.jackson.databind.node.ObjectNode) page;
            last.set("reports", last.arrayNode().addAll(reports));
            return last;
        }
    }
}
