package app.fieldbook.client;

import app.fieldbook.protocol.OperationKind;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A change made on this device that the server has not acknowledged yet.
 *
 * @param attempts how many times it was sent
 * @param lastError why it is still waiting, for people; null when it was never tried and failed
 * @param nextAttemptAt the first time a sync sends it again; null when the next sync sends it
 */
public record WaitingChange(
        UUID operationId,
        String entity,
        UUID entityId,
        OperationKind kind,
        OffsetDateTime madeAt,
        int attempts,
        String lastError,
        Instant nextAttemptAt) {
}
