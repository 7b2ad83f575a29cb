package app.fieldbook.client;

import static app.fieldbook.client.TestDevices.HARBOUR;
import static app.fieldbook.client.TestDevices.NORTH;
import static app.fieldbook.client.TestDevices.content;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.fieldbook.client.LoopbackServer.Fault;
import app.fieldbook.client.SyncSummary.Interruption;
import app.fieldbook.client.http.SyncApi;
import app.fieldbook.client.store.LocalStore;
import app.fieldbook.client.store.OutboxEntry;
import app.fieldbook.client.store.StoredPhoto;
import app.fieldbook.protocol.Photo;
import app.fieldbook.protocol.PullResponse;
import app.fieldbook.protocol.Report;
import app.fieldbook.protocol.ReportContent;
import app.fieldbook.protocol.ReportField;
import app.fieldbook.protocol.ReportStatus;
import app.fieldbook.protocol.SyncProtocol;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class PushingChangesTest extends SignedInDeviceTest {

    private static final LocalDate DAY = LocalDate.of(2025, 6, 2);

    @Test
    void everyPushCarriesTheProtocolAndClientVersionsAndTheDeviceStatus() {
        client.createReport(NORTH.id(), DAY, content("Poured deck 4"));

        client.sync();

        JsonNode push = server.received("POST", "/api/v1/sync/push").getFirst().json();
        assertThat(push.get("protocolVersion").asInt()).isEqualTo(SyncProtocol.VERSION);
        assertThat(push.get("clientVersion").asString()).isEqualTo("0.1.0");
        assertThat(push.get("deviceId").asString()).isEqualTo(client.deviceId().toString());
        assertThat(push.get("device").get("outboxDepth").asInt()).isEqualTo(1);
        assertThat(push.get("device").get("oldestPendingAt").asString()).startsWith("2025-06-02T16:30");
        assertThat(push.get("device").get("pendingPhotos").asInt()).isZero();
        assertThat(push.get("device").get("appVersion").asString()).isEqualTo("fieldbook-client/0.1.0-SNAPSHOT");
        JsonNode pull = server.received("POST", "/api/v1/sync/pull").getLast().json();
        assertThat(pull.get("device").get("outboxDepth").asInt()).isZero();
        assertThat(pull.get("knownSiteIds")).hasSize(2);
    }

    @Test
    void aCreateWhoseAnswerWasLostWhileItsReportWasPulledShowsTheServersReportOnceAnswered() {
        UUID serverId = UUID.randomUUID();
        LocalReport mine = client.createReport(NORTH.id(), DAY, content("Poured deck 4, mine"));
        server.mergingCreate(mine.id(), serverId, 2);
        for (int i = 0; i < Backoff.STANDARD.attemptsPerCall(); i++) {
            server.failNext("/api/v1/sync/push", Fault.dropAnswer());
        }
        Report theirs = PullingChangesTest.report(serverId, NORTH, DAY, ReportStatus.SUBMITTED,
                "Poured deck 4, from the tablet", 3);
        server.page(PullingChangesTest.page("c-3", false, List.of(theirs), List.of(), List.of()));
        client.sync();
        assertThat(client.report(mine.id()).orElseThrow().waitingChanges()).as("the answer was lost").isOne();
        clock.advance(Backoff.STANDARD.cap());

        client.sync();

        assertThat(client.report(mine.id())).isEmpty();
        LocalReport shown = client.report(serverId).orElseThrow();
        assertThat(shown.waitingChanges()).isZero();
        assertThat(shown.version()).isEqualTo(3);
        assertThat(shown.status()).isEqualTo(ReportStatus.SUBMITTED);
        assertThat(shown.content().workPerformed()).isEqualTo("Poured deck 4, from the tablet");
    }

    @Test
    void aCreateMergedIntoTheServersReportIsRekeyedWithItsLaterChangesAndPhotos() throws Exception {
        UUID serverId = UUID.randomUUID();
        LocalReport report = client.createReport(NORTH.id(), DAY, content("Poured deck 4"));
        server.mergingCreate(report.id(), serverId, 3);
        client.editReport(report.id(), content("Poured deck 4 and 5"));
        PhotoUpload photo = client.attachPhoto(report.id(), photoFile(), PhotoDetails.captioned("Deck"));

        SyncSummary summary = client.sync();

        assertThat(summary.waiting()).isZero();
        assertThat(client.report(report.id())).isEmpty();
        LocalReport merged = client.report(serverId).orElseThrow();
        assertThat(merged.version()).isEqualTo(5);
        assertThat(merged.content().workPerformed()).isEqualTo("Poured deck 4 and 5");
        List<JsonNode> operations = server.pushedOperations();
        JsonNode update = operations.stream().filter(op -> op.get("kind").asString().equals("UPDATE")).findFirst()
                .orElseThrow();
        assertThat(update.get("entityId").asString()).isEqualTo(serverId.toString());
        assertThat(update.get("baseVersion").asLong()).isEqualTo(4);
        JsonNode photoCreate = operations.stream().filter(op -> op.get("entity").asString().equals("Photo"))
                .findFirst().orElseThrow();
        assertThat(photoCreate.get("changes").get("reportId").get("value").asString()).isEqualTo(serverId.toString());
        assertThat(client.photoUploads()).singleElement().satisfies(upload -> {
            assertThat(upload.photoId()).isEqualTo(photo.photoId());
            assertThat(upload.reportId()).isEqualTo(serverId);
        });
    }

    @Test
    void aRefusedChangeLeavesTheOutboxIsKeptForThePersonAndTheReportReturnsToTheServersValues() {
        LocalReport report = client.createReport(NORTH.id(), DAY, content("Poured deck 4"));
        client.sync();
        client.editReport(report.id(), content("Poured deck 5"));
        server.deciding(operation -> LoopbackServer.rejected(operation, 409, "report-status"));

        SyncSummary summary = client.sync();

        assertThat(summary.rejected()).isEqualTo(1);
        assertThat(client.state().outboxDepth()).isZero();
        assertThat(client.report(report.id()).orElseThrow().content().workPerformed()).isEqualTo("Poured deck 4");
        RejectedChange rejected = client.rejectedChanges().getFirst();
        assertThat(rejected.entityId()).isEqualTo(report.id());
        assertThat(rejected.status()).isEqualTo(409);
        assertThat(rejected.problemType()).endsWith("/report-status");
        assertThat(rejected.changes()).containsEntry(ReportField.WORK_PERFORMED.wireName(), "Poured deck 5");
        assertThat(client.state().rejectedChanges()).isEqualTo(1);

        client.sync();
        assertThat(server.pushedOperations()).as("a refused change is never sent again").hasSize(2);
    }

    @Test
    void aRefusedCreateTakesTheReportAndEveryChangeWaitingForItAlong() throws Exception {
        LocalReport report = client.createReport(NORTH.id(), DAY, content("Poured deck 4"));
        client.editReport(report.id(), content("Poured deck 5"));
        client.attachPhoto(report.id(), photoFile(), PhotoDetails.none());
        server.deciding(operation -> LoopbackServer.rejected(operation, 422, "unknown-site"));

        client.sync();

        assertThat(client.report(report.id())).isEmpty();
        assertThat(client.state().outboxDepth()).isZero();
        assertThat(client.rejectedChanges()).hasSize(3);
        assertThat(server.pushedOperations()).as("only the create reached the server").hasSize(1);
        assertThat(client.photoUploads()).singleElement()
                .satisfies(upload -> assertThat(upload.state()).isEqualTo(PhotoUpload.State.FAILED));
    }

    @Test
    void aChangeThatBreaksTheServerHoldsUpOnlyItselfAndTheChangesOfItsRecord() {
        LocalReport poison = client.createReport(NORTH.id(), DAY, content("Poison"));
        client.editReport(poison.id(), content("Poison, edited"));
        LocalReport healthy = client.createReport(HARBOUR.id(), DAY, content("Healthy"));
        LocalReport later = client.createReport(NORTH.id(), DAY.plusDays(1), content("Later"));
        server.failingBatches(batch -> batch.stream()
                .anyMatch(op -> op.entityId().equals(poison.id())) ? 500 : 0);

        SyncSummary summary = client.sync();

        assertThat(summary.applied()).isEqualTo(2);
        assertThat(summary.waiting()).isEqualTo(2);
        assertThat(summary.interruption()).isEqualTo(Interruption.NONE);
        assertThat(client.report(healthy.id()).orElseThrow().synced()).isTrue();
        assertThat(client.report(later.id()).orElseThrow().synced()).isTrue();
        assertThat(server.pushedOperations()).as("the poison's update is never sent before its create")
                .noneMatch(op -> op.get("kind").asString().equals("UPDATE"));
        try (LocalStore store = store()) {
            OutboxEntry postponed = store.outbox().of(poison.id()).getFirst();
            assertThat(postponed.kind().name()).isEqualTo("CREATE");
            assertThat(postponed.nextAttemptAt()).isAfter(clock.instant());
            assertThat(postponed.lastError()).contains("500");
        }
    }

    @Test
    void aReportIsNotSubmittedBeforeAPhotoAttachedEarlierIsAnnounced() throws Exception {
        LocalReport report = client.createReport(NORTH.id(), DAY, content("Poured deck 4"));
        client.sync();
        PhotoUpload photo = client.attachPhoto(report.id(), photoFile(), PhotoDetails.captioned("Deck"));
        client.submitReport(report.id());
        server.failingBatches(batch -> batch.stream()
                .anyMatch(op -> op.entityId().equals(photo.photoId())) ? 500 : 0);

        client.sync();

        assertThat(server.pushedOperations()).as("the submit waits for the photo taken before it")
                .noneMatch(op -> op.get("kind").asString().equals("UPDATE"));
        server.failingBatches(batch -> 0);
        clock.advance(Backoff.STANDARD.cap());

        client.sync();

        List<String> order = server.pushedOperations().stream().filter(op -> !op.get("kind").asString().equals("CREATE")
                || op.get("entity").asString().equals("Photo")).map(op -> op.get("entity").asString()).distinct().toList();
        assertThat(order).containsExactly("Photo", "DailyReport");
        assertThat(client.state().outboxDepth()).isZero();
    }

    @Test
    void aPostponedChangeIsRetriedByALaterSyncWithoutANewChangeButNotBeforeItsTime() {
        LocalReport poison = client.createReport(NORTH.id(), DAY, content("Poison"));
        boolean[] broken = {true};
        server.failingBatches(batch -> broken[0] ? 500 : 0);
        client.sync();
        int pushes = server.received("POST", "/api/v1/sync/push").size();

        client.sync();
        assertThat(server.received("POST", "/api/v1/sync/push")).as("not due yet").hasSize(pushes);

        broken[0] = false;
        clock.advance(Backoff.STANDARD.cap());
        SyncSummary summary = client.sync();

        assertThat(summary.applied()).isEqualTo(1);
        assertThat(client.report(poison.id()).orElseThrow().synced()).isTrue();
    }

    @Test
    void anInvalidChangeIsRefusedForGoodOnceAloneAndTheOthersFlow() {
        LocalReport invalid = client.createReport(NORTH.id(), DAY, content("Invalid"));
        LocalReport valid = client.createReport(HARBOUR.id(), DAY, content("Valid"));
        server.failingBatches(batch -> batch.stream()
                .anyMatch(op -> op.entityId().equals(invalid.id())) ? 400 : 0);

        SyncSummary summary = client.sync();

        assertThat(summary.applied()).isEqualTo(1);
        assertThat(summary.rejected()).isEqualTo(1);
        assertThat(client.report(valid.id()).orElseThrow().synced()).isTrue();
        assertThat(client.report(invalid.id())).isEmpty();
        assertThat(client.rejectedChanges()).singleElement()
                .satisfies(rejected -> assertThat(rejected.status()).isEqualTo(400));
    }

    @Test
    void aBusyServerIsRetriedAfterTheWaitItAsksFor() {
        client.createReport(NORTH.id(), DAY, content("Poured deck 4"));
        server.failNext("/api/v1/sync/push", Fault.status(503, "Retry-After", "7"));

        SyncSummary summary = client.sync();

        assertThat(summary.applied()).isEqualTo(1);
        assertThat(clock.sleeps()).containsExactly(Duration.ofSeconds(7));
    }

    @Test
    void aServerAskingForALongWaitEndsTheSyncAndIsNotCalledBeforeThen() {
        client.createReport(NORTH.id(), DAY, content("Poured deck 4"));
        server.failNext("/api/v1/sync/push", Fault.status(429, "Retry-After", "600"));

        SyncSummary summary = client.sync();

        assertThat(summary.interruption()).isEqualTo(Interruption.SERVER_BUSY);
        assertThat(summary.retryAt()).isEqualTo(clock.instant().plusSeconds(600));
        assertThat(summary.waiting()).isEqualTo(1);
        assertThat(clock.sleeps()).isEmpty();
        int requests = server.received().size();

        clock.advance(Duration.ofSeconds(599));
        assertThat(client.sync().interruption()).isEqualTo(Interruption.SERVER_BUSY);
        assertThat(server.received()).hasSize(requests);

        clock.advance(Duration.ofSeconds(2));
        assertThat(client.sync().applied()).isEqualTo(1);
    }

    @Test
    void aDroppedConnectionIsRetriedWithAJitteredBackoff() {
        client.createReport(NORTH.id(), DAY, content("Poured deck 4"));
        server.failNext("/api/v1/sync/push", Fault.drop());
        server.failNext("/api/v1/sync/push", Fault.drop());

        SyncSummary summary = client.sync();

        assertThat(summary.applied()).isEqualTo(1);
        assertThat(clock.sleeps()).hasSize(2);
        assertThat(clock.sleeps().get(0)).isLessThanOrEqualTo(Backoff.STANDARD.ceiling(0));
        assertThat(clock.sleeps().get(1)).isLessThanOrEqualTo(Backoff.STANDARD.ceiling(1));
    }

    @Test
    void anAnswerLostAgainAndAgainPostponesTheChangeWhichIsLaterResentAndAppliedOnlyOnce() {
        LocalReport report = client.createReport(NORTH.id(), DAY, content("Poured deck 4"));
        for (int i = 0; i < Backoff.STANDARD.attemptsPerCall(); i++) {
            server.failNext("/api/v1/sync/push", Fault.dropAnswer());
        }

        SyncSummary lost = client.sync();

        assertThat(lost.waiting()).isEqualTo(1);
        assertThat(server.operationsApplied()).isEqualTo(1);
        clock.advance(Backoff.STANDARD.cap());

        SyncSummary resent = client.sync();

        assertThat(resent.applied()).isEqualTo(1);
        assertThat(server.operationsApplied()).isEqualTo(1);
        List<JsonNode> sent = server.pushedOperations();
        assertThat(sent).hasSize(Backoff.STANDARD.attemptsPerCall() + 1);
        assertThat(sent).allSatisfy(operation -> assertThat(operation).isEqualTo(sent.getFirst()));
        assertThat(client.report(report.id()).orElseThrow().version()).isEqualTo(1);
    }

    @Test
    void aWaitingChangeTellsWhyItWaitsAndWhenASyncSendsItAgain() {
        client.createReport(NORTH.id(), DAY, content("Poured deck 4"));
        for (int i = 0; i < Backoff.STANDARD.attemptsPerCall(); i++) {
            server.failNext("/api/v1/sync/push", Fault.dropAnswer());
        }

        SyncSummary lost = client.sync();

        assertThat(lost.complete()).isFalse();
        assertThat(client.waitingChanges()).singleElement().satisfies(waiting -> {
            assertThat(waiting.lastError()).isEqualTo("The connection to the server was lost.");
            assertThat(waiting.nextAttemptAt()).isAfter(clock.instant());
        });
        clock.advance(Backoff.STANDARD.cap());
        assertThat(client.waitingChanges()).singleElement()
                .satisfies(waiting -> assertThat(waiting.nextAttemptAt()).as("due: the next sync sends it").isNull());
    }

    @Test
    void aSyncCutOffGivesItsCauseAsTheReasonEveryUntriedChangeAndPhotoWaits() throws Exception {
        LocalReport report = client.createReport(NORTH.id(), DAY, content("Poured deck 4"));
        client.attachPhoto(report.id(), photoFile(), PhotoDetails.captioned("Deck"));
        server.close();

        client.sync();

        assertThat(client.waitingChanges()).hasSize(2).allSatisfy(waiting -> {
            assertThat(waiting.lastError()).isEqualTo("The server cannot be reached.");
            assertThat(waiting.nextAttemptAt()).isNull();
        });
        assertThat(client.photoUploads()).singleElement()
                .satisfies(upload -> assertThat(upload.error()).isEqualTo("The server cannot be reached."));
    }

    @Test
    void aBrokenConnectionCountsAgainstAChangeOnlyWhenTheServerAnsweredTheRestOfTheSync() {
        LocalReport report = client.createReport(NORTH.id(), DAY, content("Poured deck 4"));
        for (int i = 0; i < Backoff.STANDARD.attemptsPerCall(); i++) {
            server.failNext("/api/v1/sync/push", Fault.drop());
            server.failNext("/api/v1/sync/pull", Fault.drop());
        }

        SyncSummary offline = client.sync();

        assertThat(offline.interruption()).isEqualTo(Interruption.SERVER_UNREACHABLE);
        try (LocalStore store = store()) {
            assertThat(store.outbox().all()).singleElement().satisfies(entry -> {
                assertThat(entry.nextAttemptAt()).as("released: the network was down, not the change").isNull();
                assertThat(entry.lastError()).contains("connection");
            });
        }
        assertThat(client.sync().applied()).as("sent at once when the network is back").isEqualTo(1);
        assertThat(client.report(report.id()).orElseThrow().synced()).isTrue();
    }

    @Test
    void aDeviceKilledAfterSendingResendsTheSameChangeAfterARestart() {
        LocalReport report = client.createReport(NORTH.id(), DAY, content("Poured deck 4"));
        client.close();
        server.failNext("/api/v1/sync/push", Fault.dropAnswer());
        Sleeper killed = duration -> {
            throw new InterruptedException("the device's app was killed");
        };
        client = TestDevices.device(directory, server, clock).sleeper(killed).open();

        assertThatThrownBy(client::sync).isInstanceOf(SyncInterrupted.class);
        assertThat(Thread.interrupted()).isTrue();
        client.close();
        assertThat(server.operationsApplied()).as("the server applied it; the answer was lost").isEqualTo(1);

        client = TestDevices.device(directory, server, clock).open();
        client.sync();

        assertThat(client.state().outboxDepth()).isZero();
        assertThat(client.report(report.id()).orElseThrow().version()).isEqualTo(1);
        assertThat(server.operationsApplied()).isEqualTo(1);
        List<JsonNode> sent = server.pushedOperations();
        assertThat(sent).hasSize(2);
        assertThat(sent.get(1)).isEqualTo(sent.get(0));
    }

    @Test
    void anUnreachableServerLeavesEveryChangeReadyForTheNextSync() {
        LocalReport report = client.createReport(NORTH.id(), DAY, content("Poured deck 4"));
        server.close();

        SyncSummary summary = client.sync();

        assertThat(summary.interruption()).isEqualTo(Interruption.SERVER_UNREACHABLE);
        assertThat(summary.waiting()).isEqualTo(1);
        assertThat(client.report(report.id()).orElseThrow().waitingChanges()).isEqualTo(1);
        try (LocalStore store = store()) {
            assertThat(store.outbox().all()).singleElement()
                    .satisfies(entry -> assertThat(entry.nextAttemptAt()).as("not the change's fault").isNull());
        }
    }

    @Test
    void aClientTooOldIsToldToUpdateAndDoesNotRetry() {
        client.createReport(NORTH.id(), DAY, content("Poured deck 4"));
        server.failNext("/api/v1/sync/push", Fault.problem(426, "client-too-old",
                Map.of("minimumClientVersion", "9.0.0")));

        assertThatThrownBy(client::sync).isInstanceOfSatisfying(ClientUpdateRequired.class, update -> {
            assertThat(update.minimumClientVersion()).contains("9.0.0");
            assertThat(update.getMessage()).contains("Please update");
        });

        assertThat(server.received("POST", "/api/v1/sync/push")).hasSize(1);
        assertThat(clock.sleeps()).isEmpty();
        assertThat(client.state().minimumClientVersion()).isEqualTo("9.0.0");
        assertThat(client.state().outboxDepth()).isEqualTo(1);
    }

    @Test
    void aRevokedTokenAsksToSignInAgainAndKeepsTheChanges() {
        client.createReport(NORTH.id(), DAY, content("Poured deck 4"));
        server.failNext("/api/v1/sync/push", Fault.problem(401, "unauthenticated", Map.of()));

        assertThatThrownBy(client::sync).isInstanceOf(NotSignedIn.class);

        assertThat(client.signedIn()).isFalse();
        assertThat(client.state().outboxDepth()).isEqualTo(1);
        assertThatThrownBy(client::sync).isInstanceOf(NotSignedIn.class);
        client.signIn(LoopbackServer.LOGIN, LoopbackServer.PASSWORD.toCharArray());
        assertThat(client.sync().applied()).isEqualTo(1);
    }

    @Test
    void theServersIdOfAReportNeverSplitsItsChanges() {
        LocalReport report = client.createReport(NORTH.id(), DAY, content("Poured deck 4"));
        ReportContent content = report.content();
        for (int i = 0; i < 5; i++) {
            client.editReport(report.id(), new ReportContent(content.weather(), content.crew(), "Edit " + i, null,
                    null, null, null));
        }

        client.sync();

        List<String> kinds = server.pushedOperations().stream().map(op -> op.get("kind").asString()).toList();
        assertThat(kinds).containsExactly("CREATE", "UPDATE", "UPDATE", "UPDATE", "UPDATE", "UPDATE");
        List<Long> bases = server.pushedOperations().stream().map(op -> op.get("baseVersion").asLong()).toList();
        assertThat(bases).containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void aPhotoCopyPulledWhileItsAnnouncementsAnswerWasLostBecomesTheDevicesCopyOnceAnswered() throws Exception {
        LocalReport report = client.createReport(NORTH.id(), DAY, content("Poured deck 4"));
        client.sync();
        PhotoUpload photo = client.attachPhoto(report.id(), photoFile(), PhotoDetails.captioned("Deck"));
        for (int i = 0; i < Backoff.STANDARD.attemptsPerCall(); i++) {
            server.failNext("/api/v1/sync/push", Fault.dropAnswer());
        }
        Photo theirs = new Photo(photo.photoId(), report.id(), photo.sha256(), "image/jpeg", photo.size(),
                "Deck, north side", null, null, null, true, 2, OffsetDateTime.parse("2025-06-02T16:00:00Z"), false);
        server.page(new PullResponse("c-3", false, List.of(), List.of(theirs), List.of(), List.of(), List.of(),
                List.of(NORTH, HARBOUR), List.of()));
        client.sync();
        clock.advance(Backoff.STANDARD.cap());

        client.sync();

        try (LocalStore store = store()) {
            StoredPhoto stored = store.photos().find(photo.photoId()).orElseThrow();
            assertThat(stored.serverCopy()).isNull();
            assertThat(stored.photo().caption()).isEqualTo("Deck, north side");
            assertThat(stored.photo().version()).isEqualTo(2);
        }
    }

    private LocalStore store() {
        return LocalStore.open(directory.resolve("client.db"), SyncApi.jsonMapper());
    }

    private Path photoFile() throws Exception {
        Path file = directory.resolve("deck-" + UUID.randomUUID() + ".jpg");
        Files.write(file, new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 1, 2, 3});
        return file;
    }
}
