package app.fieldbook.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.fieldbook.RejectedRequest;
import app.fieldbook.identity.Actor;
import app.fieldbook.identity.Role;
import app.fieldbook.protocol.ReportContent;
import app.fieldbook.protocol.ReportStatus;
import app.fieldbook.reports.ReportEvent.ReportApproved;
import app.fieldbook.reports.ReportEvent.ReportDeleted;
import app.fieldbook.reports.ReportEvent.ReportEdited;
import app.fieldbook.reports.ReportEvent.ReportReopened;
import app.fieldbook.reports.ReportEvent.ReportReturned;
import app.fieldbook.reports.ReportEvent.ReportSubmitted;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The life-cycle rules of a daily report, without Spring. */
class DailyReportTest {

    private static final OffsetDateTime NOW = OffsetDateTime.parse("2026-03-02T16:30:00Z");
    private final Actor author = actor(Role.WORKER);
    private final Actor colleague = actor(Role.WORKER);
    private final Actor manager = actor(Role.MANAGER);
    private final DailyReport draft = DailyReport.draft(UUID.randomUUID(), UUID.randomUUID(), LocalDate.of(2026, 3, 2),
            author, ReportContent.empty(), NOW);

    @Test
    void aNewReportIsADraftAtVersionOne() {
        assertThat(draft.status()).isEqualTo(ReportStatus.DRAFT);
        assertThat(draft.version()).isEqualTo(1);
    }

    @Test
    void everyChangeRaisesTheVersionByOne() {
        DailyReport edited = draft.edit(author, content("Poured"), NOW).report();
        DailyReport submitted = edited.submit(author, NOW).report();
        DailyReport returned = submitted.returnToAuthor(manager, "Add hours", NOW).report();
        assertThat(edited.version()).isEqualTo(2);
        assertThat(submitted.version()).isEqualTo(3);
        assertThat(returned.version()).isEqualTo(4);
        assertThat(returned.returnComment()).isEqualTo("Add hours");
        assertThat(returned.decidedBy()).isEqualTo(manager.id());
    }

    @Test
    void onlyTheAuthorEditsAndOnlyADraftOrReturnedReport() {
        assertRefused(() -> draft.edit(colleague, content("x"), NOW), 403);
        assertRefused(() -> draft.edit(manager, content("x"), NOW), 403);
        DailyReport submitted = draft.submit(author, NOW).report();
        assertRefused(() -> submitted.edit(author, content("x"), NOW), 409);
        DailyReport returned = submitted.returnToAuthor(manager, "why", NOW).report();
        assertThat(returned.edit(author, content("fixed"), NOW).report().content().workPerformed()).isEqualTo("fixed");
    }

    @Test
    void submittingTwiceChangesNothing() {
        DailyReport submitted = draft.submit(author, NOW).report();
        assertThat(submitted.submit(author, NOW.plusHours(1)).report()).isSameAs(submitted);
    }

    @Test
    void onlyTheAuthorSubmits() {
        assertRefused(() -> draft.submit(colleague, NOW), 403);
        assertRefused(() -> draft.submit(manager, NOW), 403);
    }

    @Test
    void onlyAManagerReturnsOrApprovesAndOnlyASubmittedReport() {
        assertRefused(() -> draft.approve(manager, NOW), 409);
        assertRefused(() -> draft.returnToAuthor(manager, "x", NOW), 409);
        DailyReport submitted = draft.submit(author, NOW).report();
        assertRefused(() -> submitted.approve(author, NOW), 403);
        assertRefused(() -> submitted.returnToAuthor(actor(Role.EXECUTIVE), "x", NOW), 403);
        DailyReport approved = submitted.approve(manager, NOW).report();
        assertThat(approved.status()).isEqualTo(ReportStatus.APPROVED);
        assertThat(approved.approve(manager, NOW).report()).isSameAs(approved);
    }

    @Test
    void anApprovedReportIsReadOnlyUntilAManagerReopensIt() {
        DailyReport approved = draft.submit(author, NOW).report().approve(manager, NOW).report();
        assertRefused(() -> approved.edit(author, content("late"), NOW), 409);
        assertRefused(() -> approved.submit(author, NOW), 409);
        assertRefused(() -> approved.returnToAuthor(manager, "x", NOW), 409);
        assertRefused(() -> approved.reopen(author, "x", NOW), 403);
        DailyReport reopened = approved.reopen(manager, "Wrong date", NOW).report();
        assertThat(reopened.status()).isEqualTo(ReportStatus.RETURNED);
        assertThat(reopened.isEditableBy(author)).isTrue();
        assertRefused(() -> reopened.reopen(manager, "again", NOW), 409);
    }

    @Test
    void theAuthorNeverDecidesOnTheirOwnReportEvenAfterBecomingAManager() {
        Actor promoted = new Actor(author.id(), author.login(), author.name(), Role.MANAGER);
        DailyReport submitted = draft.submit(author, NOW).report();
        assertRefused(() -> submitted.approve(promoted, NOW), 403, "own-report");
        assertRefused(() -> submitted.returnToAuthor(promoted, "x", NOW), 403, "own-report");
        assertRefused(() -> submitted.moveTo(ReportStatus.APPROVED, promoted, null, NOW), 403, "own-report");
        assertRefused(() -> submitted.moveTo(ReportStatus.RETURNED, promoted, null, NOW), 403, "own-report");
        DailyReport approved = submitted.approve(manager, NOW).report();
        assertRefused(() -> approved.approve(promoted, NOW), 403, "own-report");
        assertRefused(() -> approved.reopen(promoted, "x", NOW), 403, "own-report");
        assertRefused(() -> approved.moveTo(ReportStatus.RETURNED, promoted, null, NOW), 403, "own-report");
    }

    @Test
    void onlyTheAuthorDeletesAndOnlyADraft() {
        draft.requireDeletableBy(author);
        assertRefused(() -> draft.requireDeletableBy(colleague), 403);
        DailyReport submitted = draft.submit(author, NOW).report();
        assertRefused(() -> submitted.requireDeletableBy(author), 409);
    }

    @Test
    void theAuditedFieldsNameEverySection() {
        assertThat(draft.edit(author, content("Poured"), NOW).report().auditedFields()).containsKeys("status",
                "weather.conditions", "weather.temperatureCelsius", "crew", "workPerformed", "delays",
                "safetyIncidents", "materials", "notes", "returnComment").containsEntry("workPerformed", "Poured");
    }

    @Test
    void eachTransitionSaysWhatHappenedByWhomWithTheFieldsBeforeAndAfter() {
        DailyReport.Transition submitted = draft.submit(author, NOW);
        assertThat(submitted.event()).get().isInstanceOfSatisfying(ReportSubmitted.class, event -> {
            assertThat(event.actor()).isEqualTo(author);
            assertThat(event.reportId()).isEqualTo(draft.id());
            assertThat(event.siteId()).isEqualTo(draft.siteId());
            assertThat(event.before()).containsEntry("status", "DRAFT");
            assertThat(event.after()).containsEntry("status", "SUBMITTED");
        });
        assertThat(draft.edit(author, content("Poured"), NOW).event()).get().isInstanceOf(ReportEdited.class);
        DailyReport.Transition returned = submitted.report().returnToAuthor(manager, "Add hours", NOW);
        assertThat(returned.event()).get().isInstanceOfSatisfying(ReportReturned.class, event -> {
            assertThat(event.actor()).isEqualTo(manager);
            assertThat(event.after()).containsEntry("returnComment", "Add hours");
        });
        DailyReport approved = submitted.report().approve(manager, NOW).report();
        assertThat(submitted.report().approve(manager, NOW).event()).get().isInstanceOf(ReportApproved.class);
        assertThat(approved.reopen(manager, "Typo", NOW).event()).get().isInstanceOf(ReportReopened.class);
        assertThat(draft.delete(author)).isEqualTo(new ReportDeleted(author, draft.id(), draft.siteId(),
                draft.auditedFields()));
    }

    @Test
    void aTransitionThatChangesNothingSaysNothing() {
        DailyReport submitted = draft.submit(author, NOW).report();
        assertThat(submitted.submit(author, NOW).event()).isEmpty();
        DailyReport approved = submitted.approve(manager, NOW).report();
        assertThat(approved.approve(manager, NOW).event()).isEmpty();
    }

    @Test
    void aStatusAskedForBySyncIsReachedByTheTransitionThatLeadsThere() {
        DailyReport submitted = draft.moveTo(ReportStatus.SUBMITTED, author, null, NOW).report();
        assertThat(submitted.status()).isEqualTo(ReportStatus.SUBMITTED);
        DailyReport.Transition returned = submitted.moveTo(ReportStatus.RETURNED, manager, null, NOW);
        assertThat(returned.event()).get().isInstanceOf(ReportReturned.class);
        assertThat(returned.report().returnComment()).isEqualTo("Returned");
        DailyReport approved = submitted.moveTo(ReportStatus.APPROVED, manager, null, NOW).report();
        DailyReport.Transition reopened = approved.moveTo(ReportStatus.RETURNED, manager, "Wrong date", NOW);
        assertThat(reopened.event()).get().isInstanceOf(ReportReopened.class);
        assertThat(reopened.report().status()).isEqualTo(ReportStatus.RETURNED);
        assertThat(reopened.report().returnComment()).isEqualTo("Wrong date");
        assertRefused(() -> submitted.moveTo(ReportStatus.DRAFT, manager, null, NOW), 409);
        assertRefused(() -> draft.moveTo(ReportStatus.APPROVED, manager, null, NOW), 409);
    }

    private static void assertRefused(Runnable change, int status) {
        assertThatThrownBy(change::run).isInstanceOfSatisfying(RejectedRequest.class,
                rejected -> assertThat(rejected.getStatusCode().value()).isEqualTo(status));
    }

    private static void assertRefused(Runnable change, int status, String problemType) {
        assertThatThrownBy(change::run).isInstanceOfSatisfying(RejectedRequest.class, rejected -> {
            assertThat(rejected.getStatusCode().value()).isEqualTo(status);
            assertThat(rejected.getBody().getType()).hasToString(RejectedRequest.TYPE_BASE + problemType);
        });
    }

    private static ReportContent content(String work) {
        return new ReportContent(null, null, work, null, null, null, null);
    }

    private static Actor actor(Role role) {
        return new Actor(UUID.randomUUID(), role.name().toLowerCase(), role.name(), role);
    }
}
