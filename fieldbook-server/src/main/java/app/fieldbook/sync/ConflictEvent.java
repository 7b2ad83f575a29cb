package app.fieldbook.sync;

import app.fieldbook.identity.Actor;
import app.fieldbook.protocol.ConflictResolution;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Something that happened to a sync conflict of a report, published inside the transaction that did it:
 * who did it, to which conflict of which report and site, and what was recorded or chosen.
 */
public sealed interface ConflictEvent {

    Actor actor();

    UUID conflictId();

    UUID reportId();

    UUID siteId();

    /** The conflict's audited fields before the event. */
    Map<String, Object> before();

    /** The conflict's audited fields after the event. */
    Map<String, Object> after();

    /** A pushed change to {@code field} could not be merged with the server's value, and was kept. */
    record ConflictRecorded(Actor actor, UUID conflictId, UUID reportId, UUID siteId, String field,
            Object serverValue, Object clientValue) implements ConflictEvent {

        @Override
        public Map<String, Object> before() {
            return Map.of();
        }

        @Override
        public Map<String, Object> after() {
            Map<String, Object> after = new LinkedHashMap<>();
            after.put("field", field);
            after.put("serverValue", serverValue);
            after.put("clientValue", clientValue);
            return after;
        }
    }

    /** Someone settled an open conflict by choosing a value ({@code null} when the report was deleted). */
    record ConflictResolved(Actor actor, UUID conflictId, UUID reportId, UUID siteId,
            ConflictResolution.Choice choice, Object value) implements ConflictEvent {

        @Override
        public Map<String, Object> before() {
            return Map.of("state", "OPEN");
        }

        @Override
        public Map<String, Object> after() {
            Map<String, Object> after = new LinkedHashMap<>();
            after.put("choice", choice.name());
            after.put("value", value);
            return after;
        }
    }
}
