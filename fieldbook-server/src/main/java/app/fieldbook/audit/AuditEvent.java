package app.fieldbook.audit;

import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * One entry of the audit trail.
 *
 * @param changes JSON object of the changed fields, each {@code {"before": ..., "after": ...}}; null when
 *     nothing was changed (a sign-in, a refused access)
 * @param occurredAt when it happened, to the microsecond (what both databases store), so that the fields
 *     sealed before the insert are the fields read back
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

    AuditEvent {
        occurredAt = occurredAt.truncatedTo(ChronoUnit.MICROS);
    }

    /**
     * The event's fields in a fixed order, as the unkeyed links (those made before the chain had a key)
     * hashed them. A null field and the text {@code null} look alike here; {@link #encoded()} tells them apart.
     */
    String canonical() {
        return String.join("\u001f", id.toString(), occurredAt.toInstant().toString(), String.valueOf(actorId),
                String.valueOf(actorLogin), action, entityType, String.valueOf(entityId), String.valueOf(siteId),
                String.valueOf(changes), String.valueOf(requestId), String.valueOf(clientAddress));
    }

    /**
     * The event's fields in a fixed order, as the keyed links and the seal cover them: each field is its
     * length, a colon and its text, or {@code -} when it is null, so that no two different events encode alike.
     */
    String encoded() {
        StringBuilder encoded = new StringBuilder();
        Stream.of(id, occurredAt.toInstant(), actorId, actorLogin, action, entityType, entityId, siteId, changes,
                requestId, clientAddress).map(field -> field == null ? null : Objects.toString(field))
                .forEach(field -> encoded.append(field == null ? "-" : field.length() + ":" + field).append('|'));
        return encoded.toString();
    }
}
