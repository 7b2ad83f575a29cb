package app.fieldbook.client.replica;

import app.fieldbook.protocol.CrewRow;
import app.fieldbook.protocol.Report;
import app.fieldbook.protocol.ReportContent;
import app.fieldbook.protocol.ReportField;
import app.fieldbook.protocol.ReportStatus;
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
 * A report as a flat set of field values keyed by the wire names of the {@link ReportField}s an operation
 * carries, in the JSON form operations carry: the shape the outbox stores changes in and the server
 * compares bases in.
 */
public final class ReportFieldValues {

    private final JsonMapper json;

    public ReportFieldValues(JsonMapper json) {
        this.json = json;
    }

    public ObjectNode of(UUID siteId, LocalDate date, ReportStatus status, String returnComment, ReportContent content) {
        return of(new Report(null, siteId, date, null, status, content, returnComment, null, null, null, 0, null, null,
                null));
    }

    public ObjectNode of(Report report) {
        Report complete = report.content() != null ? report : new Report(report.id(), report.siteId(), report.date(),
                report.authorId(), report.status(), ReportContent.empty(), report.returnComment(),
                report.submittedAt(), report.decidedAt(), report.decidedBy(), report.version(), report.createdAt(),
                report.updatedAt(), report.updatedBy());
        ObjectNode fields = json.createObjectNode();
        for (ReportField field : ReportField.values()) {
            if (field.isSynced()) {
                fields.set(field.wireName(), node(field, field.valueIn(complete)));
            }
        }
        return fields;
    }

    /** The fields a report gets from the server when its creation is applied, before the created values. */
    public ObjectNode created() {
        ObjectNode fields = json.createObjectNode();
        fields.put(ReportField.STATUS.wireName(), ReportStatus.DRAFT.name());
        fields.set(ReportField.RETURN_COMMENT.wireName(), NullNode.getInstance());
        return fields;
    }

    /** A copy of {@code fields} with the content replaced. */
    public ObjectNode withContent(ObjectNode fields, ReportContent content) {
        ObjectNode copy = fields.deepCopy();
        for (ReportField field : ReportField.content()) {
            copy.set(field.wireName(), node(field, field.valueIn(content)));
        }
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
        return ReportField.contentOf(field -> switch (field.kind()) {
            case NUMBER -> decimal(fields, field.wireName());
            case CREW -> crew(fields);
            case ID, DATE, STATUS, TEXT -> text(fields, field.wireName());
        });
    }

    public ReportStatus status(ObjectNode fields) {
        String status = text(fields, ReportField.STATUS.wireName());
        return status == null ? ReportStatus.DRAFT : ReportStatus.valueOf(status);
    }

    public String returnComment(ObjectNode fields) {
        return text(fields, ReportField.RETURN_COMMENT.wireName());
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

    /** A field's value as operations carry it: ids, dates and statuses as their text, the rest as JSON. */
    private JsonNode node(ReportField field, Object value) {
        return switch (field.kind()) {
            case ID, DATE, STATUS -> node(value == null ? null : value.toString());
            case TEXT, NUMBER, CREW -> node(value);
        };
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
        JsonNode value = fields.get(ReportField.CREW.wireName());
        return value == null || value.isNull() ? List.of() : Arrays.asList(json.treeToValue(value, CrewRow[].class));
    }
}
