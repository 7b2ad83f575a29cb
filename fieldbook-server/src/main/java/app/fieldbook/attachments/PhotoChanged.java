package app.fieldbook.attachments;

import java.util.Map;
import java.util.UUID;

/** A photo was attached to or removed from a report; published inside the transaction of the change. */
public record PhotoChanged(String action, UUID photoId, UUID reportId, UUID siteId, Map<String, Object> before,
        Map<String, Object> after) {
}
