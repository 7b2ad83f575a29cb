package app.fieldbook.client;

import static app.fieldbook.client.TestDevices.NORTH;
import static app.fieldbook.client.TestDevices.content;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.fieldbook.protocol.CrewRow;
import app.fieldbook.protocol.ReportContent;
import app.fieldbook.protocol.ReportField;
import app.fieldbook.protocol.ReportStatus;
import app.fieldbook.protocol.Weather;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class WritingReportsOfflineTest extends SignedInDeviceTest {

    private static final LocalDate DAY = LocalDate.of(2025, 6, 2);

    @Test
    void aNewReportIsACreateOfEveryContentFieldBasedOnNothing() {
        LocalReport report = client.createReport(NORTH.id(), DAY, content("Poured deck 4"));

        assertThat(report.status()).isEqualTo(ReportStatus.DRAFT);
        assertThat(report.waitingChanges()).isEqualTo(1);
        client.sync();

        JsonNode create = server.pushedOperations().getFirst();
        assertThat(create.get("kind").asString()).isEqualTo("CREATE");
        assertThat(create.get("entityId").asString()).isEqualTo(report.id().toString());
        assertThat(create.get("baseVersion").asLong()).isZero();
        assertThat(create.get("changes").propertyNames()).containsExactlyInAnyOrderElementsOf(
                concat(List.of(ReportField.SITE_ID.wireName(), ReportField.DATE.wireName()), ReportField.contentNames()));
        create.get("changes").forEach(change -> assertThat(change.get("base").isNull()).isTrue());
        JsonNode changes = create.get("changes");
        assertThat(changes.get(ReportField.SITE_ID.wireName()).get("value").asString()).isEqualTo(NORTH.id().toString());
        assertThat(changes.get(ReportField.DATE.wireName()).get("value").asString()).isEqualTo("2025-06-02");
        assertThat(changes.get(ReportField.WEATHER_TEMPERATURE.wireName()).get("value").decimalValue()).isEqualByComparingTo("18.5");
        assertThat(changes.get(ReportField.CREW.wireName()).get("value").get(0).get("headcount").asInt()).isEqualTo(6);
        assertThat(changes.get(ReportField.DELAYS.wireName()).get("value").isNull()).isTrue();
        assertThat(create.get("madeAt").asString()).startsWith("2025-06-02T16:30");
        assertThat(client.report(report.id()).orElseThrow().version()).isEqualTo(1);
        assertThat(client.report(report.id()).orElseThrow().synced()).isTrue();
    }

    @Test
    void anEditSendsOnlyTheChangedFieldsBasedOnTheLastAcknowledgedCopy() {
        LocalReport report = client.createReport(NORTH.id(), DAY, content("Poured deck 4"));
        client.sync();

        ReportContent before = client.report(report.id()).orElseThrow().content();
        client.editReport(report.id(), new ReportContent(before.weather(), before.crew(), "Poured deck 4 and 5",
                before.delays(), before.safetyIncidents(), before.materials(), "Pump late"));
        client.sync();

        JsonNode update = server.pushedOperations().getLast();
        assertThat(update.get("kind").asString()).isEqualTo("UPDATE");
        assertThat(update.get("baseVersion").asLong()).isEqualTo(1);
        assertThat(update.get("changes").propertyNames())
                .containsExactlyInAnyOrder(ReportField.WORK_PERFORMED.wireName(), ReportField.NOTES.wireName());
        assertThat(update.get("changes").get(ReportField.WORK_PERFORMED.wireName()).get("base").asString()).isEqualTo("Poured deck 4");
        assertThat(update.get("changes").get(ReportField.WORK_PERFORMED.wireName()).get("value").asString())
                .isEqualTo("Poured deck 4 and 5");
        assertThat(update.get("changes").get(ReportField.NOTES.wireName()).get("base").isNull()).isTrue();
        assertThat(client.report(report.id()).orElseThrow().version()).isEqualTo(2);
    }

    @Test
    void anEditMadeBeforeTheCreateWasAcknowledgedIsBasedOnTheCreatesResult() {
        LocalReport report = client.createReport(NORTH.id(), DAY, content("Poured deck 4"));
        ReportContent before = report.content();
        client.editReport(report.id(), new ReportContent(before.weather(), before.crew(), "Formwork", null, null,
                before.materials(), null));

        client.sync();

        List<LoopbackServer.Received> pushes = server.received("POST", "/api/v1/sync/push");
        assertThat(pushes).as("one request per change of the same report, in order").hasSize(2);
        JsonNode update = pushes.get(1).json().get("operations").get(0);
        assertThat(update.get("kind").asString()).isEqualTo("UPDATE");
        assertThat(update.get("baseVersion").asLong()).isEqualTo(1);
        assertThat(update.get("changes").get(ReportField.WORK_PERFORMED.wireName()).get("base").asString())
                .isEqualTo("Poured deck 4");
        assertThat(client.state().outboxDepth()).isZero();
    }

    @Test
    void submittingChangesTheStatusFromItsBaseToSubmitted() {
        LocalReport report = client.createReport(NORTH.id(), DAY, content("Poured deck 4"));
        client.sync();

        LocalReport submitted = client.submitReport(report.id());
        client.sync();

        assertThat(submitted.status()).isEqualTo(ReportStatus.SUBMITTED);
        JsonNode status = server.pushedOperations().getLast().get("changes").get(ReportField.STATUS.wireName());
        assertThat(status.get("base").asString()).isEqualTo("DRAFT");
        assertThat(status.get("value").asString()).isEqualTo("SUBMITTED");
    }

    @Test
    void aSubmittedReportCannotBeEditedOrSubmittedAgain() {
        LocalReport report = client.createReport(NORTH.id(), DAY, content("Poured deck 4"));
        client.submitReport(report.id());

        assertThatThrownBy(() -> client.editReport(report.id(), content("Changed my mind")))
                .isInstanceOf(ChangeRefused.class).hasMessageContaining("SUBMITTED");
        assertThatThrownBy(() -> client.submitReport(report.id())).isInstanceOf(ChangeRefused.class);
        assertThat(client.state().outboxDepth()).isEqualTo(2);
    }

    @Test
    void contentTheServerWouldRefuseIsRefusedWhileWriting() {
        ReportContent hot = new ReportContent(new Weather("Heat", new BigDecimal("71")), null, null, null, null, null,
                null);
        ReportContent nobody = new ReportContent(null, List.of(new CrewRow(" ", null, 3, BigDecimal.ONE)), null, null,
                null, null, null);
        ReportContent overtime = new ReportContent(null, List.of(new CrewRow("Steel", null, 3, new BigDecimal("1.125"))),
                null, null, null, null, null);

        assertThatThrownBy(() -> client.createReport(NORTH.id(), DAY, hot)).isInstanceOf(ChangeRefused.class)
                .hasMessageContaining("between -90 and 70");
        assertThatThrownBy(() -> client.createReport(NORTH.id(), DAY, nobody)).isInstanceOf(ChangeRefused.class)
                .hasMessageContaining("trade");
        assertThatThrownBy(() -> client.createReport(NORTH.id(), DAY, overtime)).isInstanceOf(ChangeRefused.class)
                .hasMessageContaining("2 decimals");
        LocalReport report = client.createReport(NORTH.id(), DAY, content("Fine"));
        assertThatThrownBy(() -> client.editReport(report.id(), new ReportContent(null, null, "x".repeat(20_001), null,
                null, null, null))).isInstanceOf(ChangeRefused.class).hasMessageContaining("20000 characters");
        assertThat(client.state().outboxDepth()).isEqualTo(1);
    }

    @Test
    void anEditThatChangesNothingQueuesNothing() {
        LocalReport report = client.createReport(NORTH.id(), DAY, content("Poured deck 4"));

        client.editReport(report.id(), content("Poured deck 4"));

        assertThat(client.state().outboxDepth()).isEqualTo(1);
    }

    @Test
    void aSecondReportOfTheSameSiteAndDayIsRefused() {
        LocalReport first = client.createReport(NORTH.id(), DAY, content("Poured deck 4"));

        assertThatThrownBy(() -> client.createReport(NORTH.id(), DAY, content("Again")))
                .isInstanceOf(ChangeRefused.class).hasMessageContaining(first.id().toString());
    }

    @Test
    void aReportForASiteTheDeviceDoesNotKnowIsRefused() {
        assertThatThrownBy(() -> client.createReport(UUID.randomUUID(), DAY, content("Somewhere")))
                .isInstanceOf(ChangeRefused.class).hasMessageContaining("Unknown site");
    }

    @Test
    void deletingADraftTheServerNeverSawRemovesItAndItsChanges() {
        LocalReport report = client.createReport(NORTH.id(), DAY, content("Poured deck 4"));
        client.editReport(report.id(), content("Poured deck 5"));

        client.deleteDraft(report.id());

        assertThat(client.report(report.id())).isEmpty();
        assertThat(client.state().outboxDepth()).isZero();
        client.sync();
        assertThat(server.pushedOperations()).isEmpty();
    }

    @Test
    void deletingASyncedDraftSendsADeleteOfItsVersion() {
        LocalReport report = client.createReport(NORTH.id(), DAY, content("Poured deck 4"));
        client.sync();

        client.deleteDraft(report.id());

        assertThat(client.reports()).isEmpty();
        assertThat(client.state().outboxDepth()).isEqualTo(1);
        client.sync();
        JsonNode delete = server.pushedOperations().getLast();
        assertThat(delete.get("kind").asString()).isEqualTo("DELETE");
        assertThat(delete.get("baseVersion").asLong()).isEqualTo(1);
        assertThat(client.state().outboxDepth()).isZero();
    }

    @Test
    void aSubmittedReportIsNotDeletedAsADraft() {
        LocalReport report = client.createReport(NORTH.id(), DAY, content("Poured deck 4"));
        client.submitReport(report.id());

        assertThatThrownBy(() -> client.deleteDraft(report.id())).isInstanceOf(ChangeRefused.class);
    }

    @Test
    void writingReportsNeedsSomeoneToHaveSignedInOnTheDevice(@TempDir Path elsewhere) {
        try (FieldbookClient fresh = TestDevices.device(elsewhere, server, clock).open()) {
            assertThatThrownBy(() -> fresh.createReport(NORTH.id(), DAY, content("x")))
                    .isInstanceOf(NotSignedIn.class);
        }
    }

    @Test
    void reportsAreKeptAcrossRestartsOfTheDevice() {
        LocalReport report = client.createReport(NORTH.id(), DAY, content("Poured deck 4"));
        client.close();

        client = TestDevices.device(directory, server, clock).open();

        assertThat(client.report(report.id()).orElseThrow().content()).isEqualTo(report.content());
        assertThat(client.state().outboxDepth()).isEqualTo(1);
    }

    private static List<String> concat(List<String> first, List<String> second) {
        return java.util.stream.Stream.concat(first.stream(), second.stream()).toList();
    }
}
