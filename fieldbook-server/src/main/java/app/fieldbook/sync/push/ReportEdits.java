package app.fieldbook.sync.push;

import app.fieldbook.RejectedRequest;
import app.fieldbook.protocol.FieldChange;
import app.fieldbook.protocol.Operation;
import app.fieldbook.protocol.OperationKind;
import app.fieldbook.protocol.ReportField;
import app.fieldbook.sync.merge.Change;
import app.fieldbook.sync.merge.ReportFieldValues;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;

/** The field changes of an operation on a report, decoded to the canonical values the merge compares. */
final class ReportEdits {

    private ReportEdits() {
    }

    /**
     * Each changed field with its base and new value, canonical.
     *
     * @throws RejectedRequest 403 {@code field-not-writable} for an update of a field fixed at creation
     * @throws IllegalArgumentException for an unknown field, a value of the wrong form, or a delete with changes
     */
    static Map<String, Change.Edit> of(Operation operation) {
        Map<String, Change.Edit> fields = new LinkedHashMap<>();
        for (Map.Entry<String, FieldChange> entry : operation.changes().entrySet()) {
            String field = entry.getKey();
            if (operation.kind() == OperationKind.UPDATE && !isUpdatable(field)) {
                throw new RejectedRequest(HttpStatus.FORBIDDEN,
                        "field-not-writable", "Field not writable", "The field " + field
                                + " of a report cannot be changed after it was created.");
            }
            FieldChange change = entry.getValue() == null ? new FieldChange(null, null) : entry.getValue();
            fields.put(field, new Change.Edit(ReportFieldValues.canonical(field, change.base()),
                    ReportFieldValues.canonical(field, change.value())));
        }
        if (operation.kind() == OperationKind.DELETE && !fields.isEmpty()) {
            throw new IllegalArgumentException("a delete carries no field changes");
        }
        return fields;
    }

    private static boolean isUpdatable(String field) {
        return ReportField.named(field).filter(ReportField::isUpdatable).isPresent();
    }

    /** The new value of a field a create must set; an {@link IllegalArgumentException} if it does not. */
    static String required(Map<String, Change.Edit> fields, String field) {
        Change.Edit edit = fields.get(field);
        if (edit == null || edit.value() == null) {
            throw new IllegalArgumentException("a new report needs " + field);
        }
        return (String) edit.value();
    }
}
