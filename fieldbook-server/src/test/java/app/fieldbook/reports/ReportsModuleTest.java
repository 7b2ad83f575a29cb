package app.fieldbook.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.fieldbook.ModuleTest;
import app.fieldbook.RejectedRequest;
import app.fieldbook.Rows;
import app.fieldbook.identity.Actor;
import app.fieldbook.protocol.NewReport;
import app.fieldbook.protocol.ReportContent;
import app.fieldbook.protocol.ReportStatus;
import app.fieldbook.reports.ReportEvent.ReportApproved;
import app.fieldbook.reports.ReportEvent.ReportCreated;
import app.fieldbook.reports.ReportEvent.ReportDeleted;
import app.fieldbook.reports.ReportEvent.ReportEdited;
import app.fieldbook.reports.ReportEvent.ReportReopened;
import app.fieldbook.reports.ReportEvent.ReportReturned;
import app.fieldbook.reports.ReportEvent.ReportSubmitted;
import java.time.LocalDate;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.test.PublishedEvents;
import org.springframework.modulith.test.Scenario;

/** The reports module on its own: each change of a report publishes the event that says what happened. */
@ModuleTest
class ReportsModuleTest {

    private static final AtomicInteger DAYS = new AtomicInteger();

    @Autowired
    DailyReporting reporting;

    @Autowired
    Reports reports;

    @Autowired
    JdbcClient jdbc;

    UUID site;
    Actor worker;
    Actor manager;

    @BeforeEach
    void world() {
        Rows rows = new Rows(jdbc);
        site = rows.site();
        worker = rows.worker(site);
        manager = rows.manager(site);
    }

    @Test
    void submittingADraftPublishesReportSubmitted(Scenario scenario) {
        UUID report = draft();
        scenario.stimulate(() -> reporting.submit(report, worker))
                .andWaitForEventOfType(ReportSubmitted.class)
                .matchingMappedValue(ReportSubmitted::reportId, report)
                .toArriveAndVerify(submitted -> {
                    assertThat(submitted.actor()).isEqualTo(worker);
                    assertThat(submitted.siteId()).isEqualTo(site);
                    assertThat(submitted.before()).containsEntry("status", "DRAFT");
                    assertThat(submitted.after()).containsEntry("status", "SUBMITTED");
                });
    }

    @Test
    void creatingADraftPublishesReportCreatedWithItsFields(Scenario scenario) {
        UUID report = UUID.randomUUID();
        scenario.stimulate(() -> reporting.create(new NewReport(report, site, nextDay(), content("Formwork")), worker))
                .andWaitForEventOfType(ReportCreated.class)
                .matchingMappedValue(ReportCreated::reportId, report)
                .toArriveAndVerify(created -> {
                    assertThat(created.actor()).isEqualTo(worker);
                    assertThat(created.before()).isEmpty();
                    assertThat(created.after()).containsEntry("workPerformed", "Formwork");
                });
    }

    @Test
    void eachStepOfTheReviewPublishesItsOwnEvent(PublishedEvents events) {
        UUID report = draft();
        reporting.edit(report, 1, content("Rebar placed"), worker);
        reporting.submit(report, worker);
        reporting.returnToAuthor(report, "Hours missing", manager);
        reporting.submit(report, worker);
        reporting.approve(report, manager);
        reporting.reopen(report, "Typo", manager);

        assertThat(events.ofType(ReportEdited.class).matchingValue(ReportEdited::reportId, report)).hasSize(1);
        assertThat(events.ofType(ReportSubmitted.class).matchingValue(ReportSubmitted::reportId, report)).hasSize(2);
        assertThat(events.ofType(ReportReturned.class).matchingValue(ReportReturned::reportId, report))
                .singleElement().satisfies(returned -> {
                    assertThat(returned.actor()).isEqualTo(manager);
                    assertThat(returned.after()).containsEntry("returnComment", "Hours missing");
                });
        assertThat(events.ofType(ReportApproved.class).matchingValue(ReportApproved::reportId, report)).hasSize(1);
        assertThat(events.ofType(ReportReopened.class).matchingValue(ReportReopened::reportId, report)).hasSize(1);
    }

    @Test
    void aStatusChangeFromSyncPublishesTheSameEventAsTheSameDecisionOverHttp(PublishedEvents events) {
        UUID report = draft();
        reporting.submit(report, worker);
        reporting.approve(report, manager);
        long approved = reports.findVisible(report, manager).orElseThrow().version();
        reports.transition(report, approved, ReportStatus.RETURNED, "Wrong date", manager);

        assertThat(events.ofType(ReportReopened.class).matchingValue(ReportReopened::reportId, report)).hasSize(1);
        assertThat(events.ofType(ReportReturned.class).matchingValue(ReportReturned::reportId, report)).isEmpty();
    }

    @Test
    void aStatusChangeFromSyncAtAnOlderVersionIsRefusedAndPublishesNothing(PublishedEvents events) {
        UUID report = draft();
        reporting.edit(report, 1, content("Rebar placed"), worker);
        assertThatThrownBy(() -> reports.transition(report, 1, ReportStatus.SUBMITTED, null, worker))
                .isInstanceOfSatisfying(RejectedRequest.class,
                        stale -> assertThat(stale.getStatusCode().value()).isEqualTo(409));
        assertThat(events.ofType(ReportSubmitted.class).matchingValue(ReportSubmitted::reportId, report)).isEmpty();
    }

    @Test
    void submittingASubmittedReportAgainPublishesNothing(PublishedEvents events) {
        UUID report = draft();
        reporting.submit(report, worker);
        reporting.submit(report, worker);
        assertThat(events.ofType(ReportSubmitted.class).matchingValue(ReportSubmitted::reportId, report)).hasSize(1);
    }

    @Test
    void deletingADraftPublishesReportDeletedWithItsLastFields(Scenario scenario) {
        UUID report = draft();
        scenario.stimulate(() -> reporting.delete(report, 1, worker))
                .andWaitForEventOfType(ReportDeleted.class)
                .matchingMappedValue(ReportDeleted::reportId, report)
                .toArriveAndVerify(deleted -> {
                    assertThat(deleted.before()).containsEntry("workPerformed", "Formwork level 2");
                    assertThat(deleted.after()).isEmpty();
                });
        assertThat(reports.findVisible(report, worker)).isEmpty();
    }

    private UUID draft() {
        return reporting.create(new NewReport(null, site, nextDay(), content("Formwork level 2")), worker).report()
                .id();
    }

    private static LocalDate nextDay() {
        return LocalDate.of(2026, 2, 1).plusDays(DAYS.incrementAndGet());
    }

    private static ReportContent content(String work) {
        return new ReportContent(null, null, work, null, null, null, null);
    }
}
