package app.fieldbook.audit;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * One entry of the audit trail.
 *
 * @param changes JSON object of the changed fields, each {@code {"before": ..., "after": ...}}; null when
 *     nothing was changed (a sign-in, a refused access)
 */
record AuditEvent(
        UUID id,
        OffsetDateTime occurredAt,
        UUID actorId,
        String actorLogin,
        String action,
        String entityType,
        String entityId,
        UUID siteId,
        String changes,
        String requestId,
        String clientAddress) {

    /** The event's fields in a fixed order, as hashed into the chain. */
    String canonical() {
        return String.join("\u001f", id.toString(), occurredAt.toInstant().toString(), String.valueOf(actorId),
                String.valueOf(actorLogin), action, entityType, String.valueOf(entityId), String.valueOf(siteId),
                String.valueOf(changes), String.valueOf(requestId), String.valueOf(clientAddress));
    }
}
