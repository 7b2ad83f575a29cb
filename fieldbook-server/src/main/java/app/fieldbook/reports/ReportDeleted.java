package app.fieldbook.reports;

import java.util.UUID;

/** A draft report is about to be deleted, in this transaction; whatever hangs off it must go with it. */
public record ReportDeleted(UUID reportId, UUID siteId) {
}
