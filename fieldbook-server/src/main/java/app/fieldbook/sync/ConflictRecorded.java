package app.fieldbook.sync;

import java.util.Map;
import java.util.UUID;

/**
 * A sync conflict was recorded or resolved; published inside the transaction that did it.
 *
 * @param action {@code RECORDED} or {@code RESOLVED}
 */
public record ConflictRecorded(String action, UUID conflictId, String entity, UUID entityId, UUID siteId,
        Map<String, Object> before, Map<String, Object> after) {
}
