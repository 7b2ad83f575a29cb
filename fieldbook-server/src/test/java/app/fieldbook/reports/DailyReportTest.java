package app.fieldbook.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.fieldbook.RejectedRequest;
import app.fieldbook.identity.Actor;
import app.fieldbook.identity.Role;
import app.fieldbook.protocol.ReportContent;
import app.fieldbook.protocol.ReportStatus;
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
        DailyReport edited = draft.edit(author, content("Poured"), NOW);
        DailyReport submitted = edited.submit(author, NOW);
        DailyReport returned = submitted.returnToAuthor(manager, "Add hours", NOW);
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
        DailyReport submitted = draft.submit(author, NOW);
        assertRefused(() -> submitted.edit(author, content("x"), NOW), 409);
        DailyReport returned = submitted.returnToAuthor(manager, "why", NOW);
        assertThat(returned.edit(author, content("fixed"), NOW).content().workPerformed()).isEqualTo("fixed");
    }

    @Test
    void submittingTwiceChangesNothing() {
        DailyReport submitted = draft.submit(author, NOW);
        assertThat(submitted.submit(author, NOW.plusHours(1))).isSameAs(submitted);
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
        DailyReport submitted = draft.submit(author, NOW);
        assertRefused(() -> submitted.approve(author, NOW), 403);
        assertRefused(() -> submitted.returnToAuthor(actor(Role.EXECUTIVE), "x", NOW), 403);
        DailyReport approved = submitted.approve(manager, NOW);
        assertThat(approved.status()).isEqualTo(ReportStatus.APPROVED);
        assertThat(approved.approve(manager, NOW)).isSameAs(approved);
    }

    @Test
    void anApprovedReportIsReadOnlyUntilAManagerReopensIt() {
        DailyReport approved = draft.submit(author, NOW).approve(manager, NOW);
        assertRefused(() -> approved.edit(author, content("late"), NOW), 409);
        assertRefused(() -> approved.submit(author, NOW), 409);
        assertRefused(() -> approved.returnToAuthor(manager, "x", NOW), 409);
        assertRefused(() -> approved.reopen(author, "x", NOW), 403);
        DailyReport reopened = approved.reopen(manager, "Wrong date", NOW);
        assertThat(reopened.status()).isEqualTo(ReportStatus.RETURNED);
        assertThat(reopened.isEditableBy(author)).isTrue();
        assertRefused(() -> reopened.reopen(manager, "again", NOW), 409);
    }

    @Test
    void onlyTheAuthorDeletesAndOnlyADraft() {
        draft.requireDeletableBy(author);
        assertRefused(() -> draft.requireDeletableBy(colleague), 403);
        DailyReport submitted = draft.submit(author, NOW);
        assertRefused(() -> submitted.requireDeletableBy(author), 409);
    }

    @Test
    void theAuditedFieldsNameEverySection() {
        assertThat(draft.edit(author, content("Poured"), NOW).auditedFields()).containsKeys("status",
                "weather.conditions", "weather.temperatureCelsius", "crew", "workPerformed", "delays",
                "safetyIncidents", "materials", "notes", "returnComment").containsEntry("workPerformed", "Poured");
    }

    private static void assertRefused(Runnable change, int status) {
        assertThatThrownBy(change::run).isInstanceOfSatisfying(RejectedRequest.class,
                rejected -> assertThat(rejected.getStatusCode().value()).isEqualTo(status));
    }

    private static ReportContent content(String work) {
        return new ReportContent(null, null, work, null, null, null, null);
    }

    private static Actor actor(Role role) {
        return new Actor(UUID.randomUUID(), role.name().toLowerCase(), role.name(), role);
    }
}
