package app.fieldbook.attachments;

import app.fieldbook.identity.Actor;
import java.util.Map;
import java.util.UUID;

/**
 * Something that happened to a photo of a report, published inside the transaction that did it: who did
 * it, to which photo of which report and site, and the photo's audited fields before and after.
 */
public sealed interface PhotoEvent {

    Actor actor();

    UUID photoId();

    UUID reportId();

    UUID siteId();

    /** The photo's audited fields before the change; empty for a new photo. */
    Map<String, Object> before();

    /** The photo's audited fields after the change; empty for a removed photo. */
    Map<String, Object> after();

    /** The author attached a photo to a report: uploaded with its content, or announced by a device before it. */
    record PhotoAttached(Actor actor, UUID photoId, UUID reportId, UUID siteId, Map<String, Object> after)
            implements PhotoEvent {

        @Override
        public Map<String, Object> before() {
            return Map.of();
        }
    }

    /** The content of an announced photo arrived, matched its announcement and was stored. */
    record PhotoStored(Actor actor, UUID photoId, UUID reportId, UUID siteId, Map<String, Object> before,
            Map<String, Object> after) implements PhotoEvent {
    }

    /** The author wrote, changed or cleared a photo's caption. */
    record PhotoRecaptioned(Actor actor, UUID photoId, UUID reportId, UUID siteId, Map<String, Object> before,
            Map<String, Object> after) implements PhotoEvent {
    }

    /** The author removed a photo, or deleted the draft it was attached to. */
    record PhotoRemoved(Actor actor, UUID photoId, UUID reportId, UUID siteId, Map<String, Object> before)
            implements PhotoEvent {

        @Override
        public Map<String, Object> after() {
            return Map.of();
        }
    }
}
