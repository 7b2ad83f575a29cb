package app.fieldbook.client;

import app.fieldbook.protocol.OperationKind;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;

/**
 * A change the server refused for good. It left the outbox (it will never be sent again) and the
 * device's copy went back to the server's values; what the person wrote is kept here.
 *
 * @param changes the refused fields and the values they were to get
 * @param status the status of the refusal: 403 not allowed, 404 not found, 409 not in this state, 413
 *     too large, 422 invalid
 */
public record RejectedChange(
        UUID operationId,
        String entity,
        UUID entityId,
        OperationKind kind,
        Map<String, Object> changes,
        OffsetDateTime madeAt,
        int status,
        String problemType,
        String detail,
        OffsetDateTime rejectedAt) {
}
