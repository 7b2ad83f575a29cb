package app.fieldbook.client.store;

import app.fieldbook.protocol.OperationKind;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;
import tools.jackson.databind.node.ObjectNode;

/**
 * One change waiting in the outbox.
 *
 * @param seq its place in the outbox; changes of one entity are sent in this order
 * @param changes the changed fields and their new values; the bases are added when the change is sent
 * @param dependsOn an entity whose earlier changes must be acknowledged first (a photo's report)
 * @param sentJson the operation exactly as first sent, so that every retry sends the same body
 * @param attempts how many times it was sent
 * @param nextAttemptAt not to be sent before this time, after a failure that was its own
 */
public record OutboxEntry(
        long seq,
        UUID operationId,
        String entity,
        UUID entityId,
        OperationKind kind,
        ObjectNode changes,
        UUID dependsOn,
        OffsetDateTime madeAt,
        String sentJson,
        int attempts,
        Instant nextAttemptAt,
        String lastError) {

    /** Whether it may have reached the server (and so must never change). */
    public boolean sent() {
        return sentJson != null;
    }
}
