package app.fieldbook.reports;

import app.fieldbook.identity.Actor;
import java.util.Map;
import java.util.UUID;

/**
 * Something that happened to a daily report, published inside the transaction that did it: who did it,
 * to which report of which site, and the report's audited fields before and after.
 */
public sealed interface ReportEvent {

    Actor actor();

    UUID reportId();

    UUID siteId();

    /** The report's audited fields before the change; empty for a new report. */
    Map<String, Object> before();

    /** The report's audited fields after the change; empty for a deleted report. */
    Map<String, Object> after();

    /** A field worker created a draft. */
    record ReportCreated(Actor actor, UUID reportId, UUID siteId, Map<String, Object> after) implements ReportEvent {

        @Override
        public Map<String, Object> before() {
            return Map.of();
        }
    }

    /**
     * The content of a report was replaced: by its author, or by a manager of its site settling a sync
     * conflict.
     */
    record ReportEdited(Actor actor, UUID reportId, UUID siteId, Map<String, Object> before,
            Map<String, Object> after) implements ReportEvent {
    }

    /** The author submitted a draft or returned report for review. */
    record ReportSubmitted(Actor actor, UUID reportId, UUID siteId, Map<String, Object> before,
            Map<String, Object> after) implements ReportEvent {
    }

    /** A manager returned a submitted report to its author, saying why. */
    record ReportReturned(Actor actor, UUID reportId, UUID siteId, Map<String, Object> before,
            Map<String, Object> after) implements ReportEvent {
    }

    /** A manager approved a submitted report. */
    record ReportApproved(Actor actor, UUID reportId, UUID siteId, Map<String, Object> before,
            Map<String, Object> after) implements ReportEvent {
    }

    /** A manager made an approved report editable by its author again, saying why. */
    record ReportReopened(Actor actor, UUID reportId, UUID siteId, Map<String, Object> before,
            Map<String, Object> after) implements ReportEvent {
    }

    /**
     * The author deleted a draft. Published in the transaction just before the report's row goes, so
     * that whatever hangs off the report (its photos) can go first.
     */
    record ReportDeleted(Actor actor, UUID reportId, UUID siteId, Map<String, Object> before)
            implements ReportEvent {

        @Override
        public Map<String, Object> after() {
            return Map.of();
        }
    }
}
