package app.fieldbook.client.replica;

import static org.assertj.core.api.Assertions.assertThat;

import app.fieldbook.client.TestDevices;
import app.fieldbook.client.http.SyncApi;
import app.fieldbook.protocol.CrewRow;
import app.fieldbook.protocol.ReportContent;
import app.fieldbook.protocol.ReportField;
import app.fieldbook.protocol.ReportStatus;
import app.fieldbook.protocol.Weather;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class ReportFieldValuesTest {

    private final JsonMapper json = SyncApi.jsonMapper();
    private final ReportFieldValues values = new ReportFieldValues(json);

    @Test
    void aReportsContentSurvivesTheFieldForm() {
        ReportContent content = new ReportContent(new Weather("Rain", new BigDecimal("-3.5")),
                List.of(new CrewRow("Steel", null, 4, new BigDecimal("31.25"))), "Erected columns", "Crane late",
                "None", "Bolts", "Windy");

        ObjectNode fields = values.of(UUID.randomUUID(), LocalDate.of(2025, 6, 2), ReportStatus.DRAFT, null, content);

        assertThat(values.content(json.readValue(fields.toString(), ObjectNode.class))).isEqualTo(content);
        assertThat(values.status(fields)).isEqualTo(ReportStatus.DRAFT);
    }

    @Test
    void numbersAreTheSameByValueWhateverTheirScale() {
        ObjectNode before = values.withContent(json.createObjectNode(),
                new ReportContent(new Weather(null, new BigDecimal("18")), null, null, null, null, null, null));
        ObjectNode after = values.withContent(json.createObjectNode(),
                new ReportContent(new Weather(null, new BigDecimal("18.0")), null, null, null, null, null, null));

        assertThat(values.changed(before, after, ReportField.contentNames())).isEmpty();
    }

    @Test
    void onlyTheFieldsThatDifferAreChanged() {
        ReportContent first = TestDevices.content("Deck 4");
        ReportContent second = new ReportContent(first.weather(), List.of(), "Deck 4", null, null, "Rebar 2t", "New");

        ObjectNode changes = values.changed(values.withContent(json.createObjectNode(), first),
                values.withContent(json.createObjectNode(), second), ReportField.contentNames());

        assertThat(changes.propertyNames()).containsExactlyInAnyOrder(ReportField.CREW.wireName(), ReportField.NOTES.wireName());
        assertThat(changes.get(ReportField.CREW.wireName()).isEmpty()).isTrue();
    }
}
