package app.fieldbook.client;

import static app.fieldbook.client.TestDevices.HARBOUR;
import static app.fieldbook.client.TestDevices.NORTH;
import static app.fieldbook.client.TestDevices.content;
import static org.assertj.core.api.Assertions.assertThat;

import app.fieldbook.protocol.Conflict;
import app.fieldbook.protocol.ConflictState;
import app.fieldbook.protocol.Deletion;
import app.fieldbook.protocol.OperationOutcome;
import app.fieldbook.protocol.OperationResult;
import app.fieldbook.protocol.PersonReference;
import app.fieldbook.protocol.PullResponse;
import app.fieldbook.protocol.Report;
import app.fieldbook.protocol.ReportContent;
import app.fieldbook.protocol.ReportStatus;
import app.fieldbook.protocol.SiteReference;
import app.fieldbook.protocol.SyncProtocol;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class PullingChangesTest extends SignedInDeviceTest {

    private static final LocalDate DAY = LocalDate.of(2025, 6, 2);
    private static final UUID MANAGER = UUID.fromString("00000000-0000-0000-0000-0000000000bb");

    @Test
    void pagesArePulledWhileTheServerHasMoreAndTheCursorIsKept() {
        Report first = report(UUID.randomUUID(), NORTH, DAY, ReportStatus.SUBMITTED, "Deck 4", 3);
        Report second = report(UUID.randomUUID(), HARBOUR, DAY, ReportStatus.APPROVED, "Crane", 7);
        server.page(page("c-1", true, List.of(first), List.of(), List.of()));
        server.page(page("c-2", false, List.of(second), List.of(), List.of()));

        SyncSummary summary = client.sync();

        assertThat(summary.reportsReceived()).isEqualTo(2);
        List<LoopbackServer.Received> pulls = server.received("POST", "/api/v1/sync/pull");
        assertThat(pulls.get(pulls.size() - 2).json().get("cursor").asString()).isEqualTo("c-sites");
        assertThat(pulls.getLast().json().get("cursor").asString()).isEqualTo("c-1");
        assertThat(client.reports()).extracting(LocalReport::id).containsExactlyInAnyOrder(first.id(), second.id());
        LocalReport approved = client.report(second.id()).orElseThrow();
        assertThat(approved.status()).isEqualTo(ReportStatus.APPROVED);
        assertThat(approved.version()).isEqualTo(7);
        assertThat(approved.content().workPerformed()).isEqualTo("Crane");
        assertThat(approved.synced()).isTrue();

        client.sync();
        assertThat(server.received("POST", "/api/v1/sync/pull").getLast().json().get("cursor").asString())
                .isEqualTo("c-2");
    }

    @Test
    void aPulledReportNeverOverwritesALocalEditStillWaitingButIsKeptBesideIt() {
        LocalReport mine = client.createReport(NORTH.id(), DAY, content("Poured deck 4"));
        client.sync();
        ReportContent local = client.editReport(mine.id(), content("Poured deck 4, mine")).content();
        server.failingBatches(batch -> 500);
        Report theirs = report(mine.id(), NORTH, DAY, ReportStatus.DRAFT, "Poured deck 4, theirs", 2);
        server.page(page("c-3", false, List.of(theirs), List.of(), List.of()));

        client.sync();

        LocalReport kept = client.report(mine.id()).orElseThrow();
        assertThat(kept.content()).isEqualTo(local);
        assertThat(kept.waitingChanges()).isEqualTo(1);
        assertThat(kept.version()).as("the waiting edit stays based on what the device saw").isEqualTo(1);
        assertThat(kept.serverCopy().content().workPerformed()).isEqualTo("Poured deck 4, theirs");
        assertThat(kept.serverCopy().version()).isEqualTo(2);
    }

    @Test
    void aServerCopyPulledWhileTheAnswerWasLostIsShownOnceTheChangeIsAnsweredFromTheServersRecord() {
        LocalReport mine = editLosingItsAnswersWhileAManagerApproves();
        assertThat(client.report(mine.id()).orElseThrow().waitingChanges()).as("the answer was lost").isOne();
        clock.advance(Backoff.STANDARD.cap());

        client.sync();

        LocalReport shown = client.report(mine.id()).orElseThrow();
        assertThat(shown.waitingChanges()).isZero();
        assertThat(shown.status()).isEqualTo(ReportStatus.APPROVED);
        assertThat(shown.content().workPerformed()).isEqualTo("Poured deck 4");
        assertThat(shown.version()).isEqualTo(3);
        assertThat(shown.serverCopy()).isNull();
    }

    @Test
    void aServerCopyStaysBesideWhileLaterChangesWaitSoTheirBasesAreWhatThePersonSaw() {
        LocalReport mine = editLosingItsAnswersWhileAManagerApproves();
        client.submitReport(mine.id());
        clock.advance(Backoff.STANDARD.cap());

        client.sync();

        JsonNode submit = server.pushedOperations().getLast();
        assertThat(submit.get("changes").get("status").get("base").asString())
                .as("the submit is based on the draft the person saw, not on the approval it never saw")
                .isEqualTo("DRAFT");
        LocalReport shown = client.report(mine.id()).orElseThrow();
        assertThat(shown.waitingChanges()).isZero();
        assertThat(shown.status()).isEqualTo(ReportStatus.APPROVED);
        assertThat(shown.content().workPerformed()).isEqualTo("Poured deck 4");
        assertThat(shown.serverCopy()).isNull();
    }

    @Test
    void aServerCopyOlderThanTheAnsweredChangeIsDroppedAndTheChangeKept() {
        LocalReport mine = client.createReport(NORTH.id(), DAY, content("Poured deck 4"));
        client.sync();
        client.editReport(mine.id(), content("Poured deck 4, mine"));
        server.deciding(operation -> new OperationResult(operation.operationId(),
                OperationOutcome.APPLIED, 200, mine.id(), 3, List.of(), null, null));
        server.failingBatches(batch -> 500);
        server.page(page("c-3", false, List.of(report(mine.id(), NORTH, DAY, ReportStatus.DRAFT, "Theirs", 2)),
                List.of(), List.of()));
        client.sync();
        server.failingBatches(batch -> 0);
        clock.advance(Backoff.STANDARD.cap());

        client.sync();

        LocalReport shown = client.report(mine.id()).orElseThrow();
        assertThat(shown.content().workPerformed()).isEqualTo("Poured deck 4, mine");
        assertThat(shown.version()).isEqualTo(3);
        assertThat(shown.serverCopy()).isNull();
    }

    @Test
    void aPulledReportReplacesTheDevicesCopyWhenNothingWaits() {
        LocalReport mine = client.createReport(NORTH.id(), DAY, content("Poured deck 4"));
        client.sync();
        Report returned = report(mine.id(), NORTH, DAY, ReportStatus.RETURNED, "Poured deck 4", 3);
        server.page(page("c-3", false, List.of(returned), List.of(), List.of()));

        client.sync();

        LocalReport updated = client.report(mine.id()).orElseThrow();
        assertThat(updated.status()).isEqualTo(ReportStatus.RETURNED);
        assertThat(updated.version()).isEqualTo(3);
        assertThat(updated.serverCopy()).isNull();
        assertThat(updated.editable()).isTrue();
    }

    @Test
    void anOlderCopyThanTheDevicesIsIgnored() {
        LocalReport mine = client.createReport(NORTH.id(), DAY, content("Poured deck 4"));
        client.sync();
        client.editReport(mine.id(), content("Poured deck 5"));
        client.sync();
        server.page(page("c-4", false, List.of(report(mine.id(), NORTH, DAY, ReportStatus.DRAFT, "Stale", 1)),
                List.of(), List.of()));

        client.sync();

        assertThat(client.report(mine.id()).orElseThrow().content().workPerformed()).isEqualTo("Poured deck 5");
    }

    @Test
    void aDroppedSiteIsForgottenAndItsWaitingChangesAreKeptAsRefused() throws Exception {
        Report synced = report(UUID.randomUUID(), HARBOUR, DAY, ReportStatus.SUBMITTED, "Crane", 2);
        server.page(page("c-1", false, List.of(synced), List.of(), List.of()));
        client.sync();
        LocalReport waiting = client.createReport(HARBOUR.id(), DAY.plusDays(1), content("Unsent"));
        Path file = directory.resolve("crane.jpg");
        Files.write(file, new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 1, 2, 3});
        client.attachPhoto(waiting.id(), file, PhotoDetails.none());
        server.failingBatches(batch -> 500);
        server.page(new PullResponse("c-2", false, List.of(), List.of(), List.of(), List.of(),
                List.of(HARBOUR.id()), List.of(NORTH), List.of()));

        client.sync();

        assertThat(client.reports()).isEmpty();
        assertThat(client.sites()).containsExactly(NORTH);
        assertThat(client.rejectedChanges()).hasSize(2).allSatisfy(rejected -> {
            assertThat(rejected.status()).isEqualTo(403);
            assertThat(rejected.detail()).contains("no longer have access");
        });
        assertThat(client.photoUploads()).singleElement()
                .satisfies(upload -> assertThat(upload.state()).isEqualTo(PhotoUpload.State.FAILED));
        assertThat(client.state().outboxDepth()).isZero();
    }

    @Test
    void deletionsRemoveTheRecordsTheServerNoLongerHas() {
        Report gone = report(UUID.randomUUID(), NORTH, DAY, ReportStatus.DRAFT, "Gone", 2);
        server.page(page("c-1", false, List.of(gone), List.of(), List.of()));
        client.sync();
        server.page(new PullResponse("c-2", false, List.of(), List.of(), List.of(),
                List.of(new Deletion(SyncProtocol.REPORT, gone.id())), List.of(), List.of(), List.of()));

        SyncSummary summary = client.sync();

        assertThat(summary.removed()).isEqualTo(1);
        assertThat(client.report(gone.id())).isEmpty();
    }

    @Test
    void conflictsAndPeopleAreKeptForTheDeviceToShow() {
        LocalReport mine = client.createReport(NORTH.id(), DAY, content("Poured deck 4"));
        client.sync();
        Conflict conflict = conflict(mine.id());
        server.page(page("c-2", false, List.of(), List.of(conflict),
                List.of(new PersonReference(MANAGER, "Maria Manager"))));

        SyncSummary summary = client.sync();

        assertThat(summary.conflictsReceived()).isEqualTo(1);
        assertThat(client.conflicts()).containsExactly(conflict);
        assertThat(client.personName(MANAGER)).contains("Maria Manager");
        assertThat(client.state().openConflicts()).isEqualTo(1);
    }

    /**
     * A synced draft edited on the device; the server records the edit as a conflict at version 3 (a manager
     * approved the report meanwhile), but every answer of the sync's pushes is lost, while its pull brings
     * the approved report.
     */
    private LocalReport editLosingItsAnswersWhileAManagerApproves() {
        LocalReport mine = client.createReport(NORTH.id(), DAY, content("Poured deck 4"));
        client.sync();
        client.editReport(mine.id(), content("Poured deck 4, mine"));
        server.deciding(operation -> new OperationResult(operation.operationId(),
                OperationOutcome.CONFLICT, 409, mine.id(), 3, List.of(UUID.randomUUID()), null, null));
        for (int i = 0; i < Backoff.STANDARD.attemptsPerCall(); i++) {
            server.failNext("/api/v1/sync/push", LoopbackServer.Fault.dropAnswer());
        }
        server.page(page("c-3", false, List.of(report(mine.id(), NORTH, DAY, ReportStatus.APPROVED, "Poured deck 4", 3)),
                List.of(), List.of()));
        client.sync();
        return mine;
    }

    static Conflict conflict(UUID reportId) {
        return new Conflict(UUID.randomUUID(), SyncProtocol.REPORT, reportId, NORTH.id(), "workPerformed",
                "Deck 4 (manager)", MANAGER, OffsetDateTime.parse("2025-06-02T15:00:00Z"), "Deck 4 (worker)",
                LoopbackServer.USER_ID, UUID.randomUUID(), OffsetDateTime.parse("2025-06-02T14:00:00Z"),
                ConflictState.OPEN, null, null, null, 1);
    }

    static Report report(UUID id, SiteReference site, LocalDate day, ReportStatus status, String work, long version) {
        ReportContent content = content(work);
        return new Report(id, site.id(), day, LoopbackServer.USER_ID, status, content,
                status == ReportStatus.RETURNED ? "Add the crane hours" : null, null, null, null, version,
                OffsetDateTime.parse("2025-06-02T08:00:00Z"), OffsetDateTime.parse("2025-06-02T15:00:00Z"), MANAGER);
    }

    static PullResponse page(String cursor, boolean more, List<Report> reports, List<Conflict> conflicts,
            List<PersonReference> people) {
        return new PullResponse(cursor, more, reports, List.of(), conflicts, List.of(), List.of(),
                List.of(NORTH, HARBOUR), people);
    }
}
