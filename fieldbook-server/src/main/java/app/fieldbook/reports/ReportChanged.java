package app.fieldbook.reports;

import java.util.Map;
import java.util.UUID;

/**
 * A daily report was created, edited, submitted, returned, approved, reopened or deleted; published
 * inside the transaction of the change.
 */
public record ReportChanged(String action, UUID reportId, UUID siteId, long version, Map<String, Object> before,
        Map<String, Object> after) {
}
