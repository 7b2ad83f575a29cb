package app.fieldbook.sync.push;

import app.fieldbook.protocol.Operation;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Binds and validates one operation as a device sent it. One that cannot be bound or is invalid is told
 * apart with what can still be read of it (its operation id, entity id and base version), so that it is
 * refused on its own and the rest of its batch is applied.
 */
@Component
class DecodingOperations {

    /** An operation as sent: one that could be read, or one that could not, with why. */
    sealed interface Decoded {
    }

    record Readable(Operation operation) implements Decoded {
    }

    /**
     * An operation that cannot be applied as sent.
     *
     * @param operationId its operation id if that can be read (null otherwise)
     * @param detail which field is wrong, and how
     */
    record Unreadable(JsonNode sent, UUID operationId, UUID entityId, long baseVersion, String detail)
            implements Decoded {
    }

    private final JsonMapper json;
    private final Validator validator;

    DecodingOperations(JsonMapper json, Validator validator) {
        this.json = json;
        this.validator = validator;
    }

    Decoded decode(JsonNode sent) {
        if (sent == null || !sent.isObject()) {
            return unreadable(sent, "An operation must be a JSON object.");
        }
        Operation operation;
        try {
            operation = json.treeToValue(sent, Operation.class);
        } catch (JacksonException unreadable) {
            return unreadable(sent, "The field " + path(unreadable) + " of the operation has the wrong type or format.");
        }
        Set<ConstraintViolation<Operation>> violations = validator.validate(operation);
        if (!violations.isEmpty()) {
            return unreadable(sent, violations.stream()
                    .map(violation -> "The field " + violation.getPropertyPath() + " " + violation.getMessage() + ".")
                    .sorted().reduce((one, other) -> one + " " + other).orElseThrow());
        }
        return new Readable(operation);
    }

    private static Unreadable unreadable(JsonNode sent, String detail) {
        JsonNode baseVersion = sent == null ? null : sent.get("baseVersion");
        long base = baseVersion != null && baseVersion.isIntegralNumber() && baseVersion.canConvertToLong()
                ? baseVersion.asLong() : 0;
        return new Unreadable(sent, uuidIn(sent, "operationId"), uuidIn(sent, "entityId"), base, detail);
    }

    private static UUID uuidIn(JsonNode sent, String field) {
        JsonNode value = sent == null ? null : sent.get(field);
        if (value == null || !value.isString()) {
            return null;
        }
        try {
            return UUID.fromString(value.asString());
        } catch (IllegalArgumentException notAnId) {
            return null;
        }
    }

    private static String path(JacksonException unreadable) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference reference : unreadable.getPath()) {
            if (reference.getPropertyName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? "(unknown)" : path.toString();
    }
}
