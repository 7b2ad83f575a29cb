package app.fieldbook.protocol;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;

/**
 * One change made on a device, replayed on the server exactly once.
 *
 * @param operationId generated on the device; a replay with the same id returns the recorded result
 * @param baseVersion the entity version the device edited (0 for a create)
 * @param changes the changed fields with their base and new values; empty for a delete
 * @param madeAt when the change was made on the device
 */
public record Operation(
        @NotNull UUID operationId,
        @NotBlank @Size(max = 40) String entity,
        @NotNull UUID entityId,
        @NotNull OperationKind kind,
        @Min(0) long baseVersion,
        @Size(max = 50) Map<String, FieldChange> changes,
        OffsetDateTime madeAt) {

    public Operation {
        changes = changes == null ? Map.of() : Map.copyOf(changes);
    }
}
