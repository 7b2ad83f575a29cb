package app.fieldbook.client.replica;

import static app.fieldbook.protocol.ReportFields.CREW;
import static app.fieldbook.protocol.ReportFields.DATE;
import static app.fieldbook.protocol.ReportFields.DELAYS;
import static app.fieldbook.protocol.ReportFields.MATERIALS;
import static app.fieldbook.protocol.ReportFields.NOTES;
import static app.fieldbook.protocol.ReportFields.RETURN_COMMENT;
import static app.fieldbook.protocol.ReportFields.SAFETY_INCIDENTS;
import static app.fieldbook.protocol.ReportFields.SITE_ID;
import static app.fieldbook.protocol.ReportFields.STATUS;
import static app.fieldbook.protocol.ReportFields.WEATHER_CONDITIONS;
import static app.fieldbook.protocol.ReportFields.WEATHER_TEMPERATURE;
import static app.fieldbook.protocol.ReportFields.WORK_PERFORMED;

import app.fieldbook.protocol.CrewRow;
import app.fieldbook.protocol.Report;
import app.fieldbook.protocol.ReportContent;
import app.fieldbook.protocol.ReportStatus;
import app.fieldbook.protocol.Weather;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.NullNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A report as a flat set of field values keyed by the names of {@code ReportFields}, in the JSON form
 * operations carry: the shape the outbox stores changes in and the server compares bases in.
 */
public final class ReportFieldValues {

    private final JsonMapper json;

    public ReportFieldValues(JsonMapper json) {
        this.json = json;
    }

    public ObjectNode of(UUID siteId, LocalDate date, ReportStatus status, String returnComment, ReportContent content) {
        ObjectNode fields = json.createObjectNode();
        fields.put(SITE_ID, siteId.toString());
        fields.put(DATE, date.toString());
        fields.put(STATUS, status.name());
        fields.set(RETURN_COMMENT, node(returnComment));
        return withContent(fields, content);
    }

    public ObjectNode of(Report report) {
        return of(report.siteId(), report.date(), report.status(), report.returnComment(),
                report.content() == null ? ReportContent.empty() : report.content());
    }

    /** The fields a report gets from the server when its creation is applied, before the created values. */
    public ObjectNode created() {
        ObjectNode fields = json.createObjectNode();
        fields.put(STATUS, ReportStatus.DRAFT.name());
        fields.set(RETURN_COMMENT, NullNode.getInstance());
        return fields;
    }

    /** A copy of {@code fields} with the content replaced. */
    public ObjectNode withContent(ObjectNode fields, ReportContent content) {
        ObjectNode copy = fields.deepCopy();
        copy.set(WEATHER_CONDITIONS, node(content.weather().conditions()));
        copy.set(WEATHER_TEMPERATURE, node(content.weather().temperatureCelsius()));
        copy.set(CREW, json.valueToTree(content.crew()));
        copy.set(WORK_PERFORMED, node(content.workPerformed()));
        copy.set(DELAYS, node(content.delays()));
        copy.set(SAFETY_INCIDENTS, node(content.safetyIncidents()));
        copy.set(MATERIALS, node(content.materials()));
        copy.set(NOTES, node(content.notes()));
        return copy;
    }

    /** The fields of {@code names} whose values differ between {@code from} and {@code to}, with the values of {@code to}. */
    public ObjectNode changed(ObjectNode from, ObjectNode to, Collection<String> names) {
        ObjectNode changes = json.createObjectNode();
        for (String name : names) {
            JsonNode value = to.get(name) == null ? NullNode.getInstance() : to.get(name);
            if (!same(from.get(name), value)) {
                changes.set(name, value);
            }
        }
        return changes;
    }

    /** A copy of {@code fields} with {@code changes} written over it. */
    public ObjectNode applied(ObjectNode fields, ObjectNode changes) {
        ObjectNode copy = fields.deepCopy();
        for (Map.Entry<String, JsonNode> change : changes.properties()) {
            copy.set(change.getKey(), change.getValue());
        }
        return copy;
    }

    public ReportContent content(ObjectNode fields) {
        return new ReportContent(
                new Weather(text(fields, WEATHER_CONDITIONS), decimal(fields, WEATHER_TEMPERATURE)),
                crew(fields),
                text(fields, WORK_PERFORMED),
                text(fields, DELAYS),
                text(fields, SAFETY_INCIDENTS),
                text(fields, MATERIALS),
                text(fields, NOTES));
    }

    public ReportStatus status(ObjectNode fields) {
        String status = text(fields, STATUS);
        return status == null ? ReportStatus.DRAFT : ReportStatus.valueOf(status);
    }

    public String returnComment(ObjectNode fields) {
        return text(fields, RETURN_COMMENT);
    }

    /** Equal as JSON values, numbers compared by value ({@code 18} is {@code 18.0}); absent is null. */
    public static boolean same(JsonNode left, JsonNode right) {
        JsonNode a = left == null ? NullNode.getInstance() : left;
        JsonNode b = right == null ? NullNode.getInstance() : right;
        return a.equals((x, y) -> x.isNumber() && y.isNumber()
                ? x.decimalValue().compareTo(y.decimalValue())
                : x.equals(y) ? 0 : 1, b);
    }

    public JsonNode node(Object value) {
        return value == null ? NullNode.getInstance() : json.valueToTree(value);
    }

    private static String text(ObjectNode fields, String name) {
        JsonNode value = fields.get(name);
        return value == null || value.isNull() ? null : value.asString();
    }

    private static BigDecimal decimal(ObjectNode fields, String name) {
        JsonNode value = fields.get(name);
        return value == null || value.isNull() ? null : value.decimalValue();
    }

    private List<CrewRow> crew(ObjectNode fields) {
        JsonNode value = fields.get(CREW);
        return value == null || value.isNull() ? List.of() : Arrays.asList(json.treeToValue(value, CrewRow[].class));
    }
}
