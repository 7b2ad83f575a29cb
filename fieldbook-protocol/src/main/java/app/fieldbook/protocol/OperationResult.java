package app.fieldbook.protocol;

import java.util.List;
import java.util.UUID;

/**
 * The server's acknowledgement of one operation. Once the device has it, the operation may leave the
 * outbox: it is applied, stands as a conflict, or was refused for good.
 *
 * @param operationId the operation's id; null only for an operation refused because its id could not be read
 * @param status an HTTP-like status of this operation: 200 applied, 409 conflict or operation id reused
 *     with another body, 403/404/422 rejected
 * @param entityId the id of the entity on the server; differs from the operation's when a create met
 *     the report of the same site, day and author created elsewhere
 * @param entityVersion the entity's version after the operation
 * @param conflictIds the conflicts this operation left
 * @param problemType a stable problem type when rejected (as in RFC 9457 answers)
 */
public record OperationResult(
        UUID operationId,
        OperationOutcome outcome,
        int status,
        UUID entityId,
        long entityVersion,
        List<UUID> conflictIds,
        String problemType,
        String detail) {

    public OperationResult {
        conflictIds = conflictIds == null ? List.of() : List.copyOf(conflictIds);
    }
}
