package app.fieldbook.client.store;

import app.fieldbook.protocol.OperationKind;
import java.time.OffsetDateTime;
import java.util.UUID;
import tools.jackson.databind.node.ObjectNode;

/**
 * A change the server refused for good, kept for the person to see (and copy what they wrote).
 *
 * @param status the HTTP-like status of the refusal (403, 404, 409, 413, 422, ...)
 * @param problemType the stable problem type of the refusal, when the server gave one
 */
public record StoredRejection(
        UUID operationId,
        String entity,
        UUID entityId,
        OperationKind kind,
        ObjectNode changes,
        OffsetDateTime madeAt,
        int status,
        String problemType,
        String detail,
        OffsetDateTime rejectedAt) {
}
