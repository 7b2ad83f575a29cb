package app.fieldbook.audit;

import app.fieldbook.AppendedIds;
import app.fieldbook.attachments.PhotoChanged;
import app.fieldbook.identity.AccessDenied;
import app.fieldbook.identity.Actor;
import app.fieldbook.identity.SignInFailed;
import app.fieldbook.identity.SignedIn;
import app.fieldbook.identity.SignedOut;
import app.fieldbook.identity.UserChanged;
import app.fieldbook.reports.ReportChanged;
import app.fieldbook.sites.AssignmentsChanged;
import app.fieldbook.sites.PortfolioChanged;
import app.fieldbook.sites.SiteChanged;
import app.fieldbook.sync.ConflictRecorded;
import app.fieldbook.sync.DeviceDataLost;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes the audit trail. A change is recorded by a synchronous listener that joins the transaction
 * of the change ({@link Propagation#MANDATORY}): the event commits with the change or not at all. A
 * refused access is recorded after the refused request's transaction ends, in a transaction of its
 * own, because that request's work is rolled back.
 */
@Component
class AuditTrail {

    private final AuditEvents events;
    private final JsonMapper json;
    private final Clock clock;

    AuditTrail(AuditEvents events, JsonMapper json, Clock clock) {
        this.events = events;
        this.json = json;
        this.clock = clock;
    }

    @EventListener
    @Transactional(propagation = Propagation.MANDATORY)
    void recordInSameTransaction(UserChanged change) {
        record(Actor.current().orElse(null), null, "USER_" + change.action(), "User", change.userId(), null,
                change.before(), change.after());
    }

    @EventListener
    @Transactional(propagation = Propagation.MANDATORY)
    void recordInSameTransaction(SiteChanged change) {
        record(Actor.current().orElse(null), null, "SITE_" + change.action(), "Site", change.siteId(),
                change.siteId(), change.before(), change.after());
    }

    @EventListener
    @Transactional(propagation = Propagation.MANDATORY)
    void recordInSameTransaction(PortfolioChanged change) {
        record(Actor.current().orElse(null), null, "PORTFOLIO_" + change.action(), "Portfolio", change.portfolioId(),
                null, change.before(), change.after());
    }

    @EventListener
    @Transactional(propagation = Propagation.MANDATORY)
    void recordInSameTransaction(AssignmentsChanged change) {
        record(Actor.current().orElse(null), null, "ASSIGNMENTS_CHANGED", "User", change.userId(), null,
                change.before(), change.after());
    }

    @EventListener
    @Transactional(propagation = Propagation.MANDATORY)
    void recordInSameTransaction(ReportChanged change) {
        record(Actor.current().orElse(null), null, "REPORT_" + change.action(), "DailyReport", change.reportId(),
                change.siteId(), change.before(), change.after());
    }

    @EventListener
    @Transactional(propagation = Propagation.MANDATORY)
    void recordInSameTransaction(PhotoChanged change) {
        record(Actor.current().orElse(null), null, "PHOTO_" + change.action(), "Photo", change.photoId(),
                change.siteId(), change.before(), change.after());
    }

    @EventListener
    @Transactional(propagation = Propagation.MANDATORY)
    void recordInSameTransaction(ConflictRecorded change) {
        record(Actor.current().orElse(null), null, "CONFLICT_" + change.action(), "Conflict", change.conflictId(),
                change.siteId(), change.before(), change.after());
    }

    @EventListener
    @Transactional(propagation = Propagation.MANDATORY)
    void recordInSameTransaction(DeviceDataLost lost) {
        Map<String, Object> after = new LinkedHashMap<>();
        after.put("userId", lost.userId().toString());
        after.put("changes", lost.changes());
        after.put("photos", lost.photos());
        after.put("lastReportedAt", lost.lastReportedAt() == null ? null : lost.lastReportedAt().toString());
        record(Actor.current().orElse(null), null, "DEVICE_DATA_LOST", "Device", lost.deviceId(), null, Map.of(), after);
    }

    @EventListener
    @Transactional(propagation = Propagation.MANDATORY)
    void recordInSameTransaction(SignedIn signedIn) {
        record(signedIn.actor(), null, "SIGNED_IN", "User", signedIn.actor().id(), null, Map.of(),
                Map.of("method", signedIn.method()));
    }

    @EventListener
    @Transactional(propagation = Propagation.MANDATORY)
    void recordInSameTransaction(SignedOut signedOut) {
        record(signedOut.actor(), null, "SIGNED_OUT", "User", signedOut.actor().id(), null, Map.of(),
                Map.of("method", signedOut.method()));
    }

    @EventListener
    @Transactional(propagation = Propagation.MANDATORY)
    void recordInSameTransaction(SignInFailed failure) {
        record(null, failure.login(), "SIGN_IN_FAILED", "User", null, null, Map.of(),
                Map.of("reason", failure.reason()));
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMPLETION, fallbackExecution = true)
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    void recordInOwnTransaction(AccessDenied denied) {
        Map<String, Object> after = new LinkedHashMap<>();
        after.put("resource", denied.resource());
        after.put("reason", denied.reason());
        record(denied.actor(), null, "ACCESS_DENIED", denied.resource().contains(" ") ? "Request" : denied.resource(),
                denied.resourceId(), denied.siteId(), Map.of(), after);
    }

    private void record(Actor actor, String login, String action, String entityType, Object entityId, UUID siteId,
            Map<String, Object> before, Map<String, Object> after) {
        RequestOrigin.Origin origin = RequestOrigin.current().orElse(new RequestOrigin.Origin(null, null));
        Map<String, Map<String, Object>> changes = changes(before, after);
        events.insert(new AuditEvent(
                AppendedIds.next(),
                OffsetDateTime.now(clock),
                actor == null ? null : actor.id(),
                actor == null ? login : actor.login(),
                action,
                entityType,
                entityId == null ? null : entityId.toString(),
                siteId,
                changes.isEmpty() ? null : json.writeValueAsString(changes),
                origin.requestId(),
                origin.clientAddress()));
    }

    /** The fields whose values differ, each with its value before and after. */
    static Map<String, Map<String, Object>> changes(Map<String, Object> before, Map<String, Object> after) {
        Set<String> fields = new LinkedHashSet<>(before.keySet());
        fields.addAll(after.keySet());
        Map<String, Map<String, Object>> changes = new LinkedHashMap<>();
        for (String field : fields) {
            Object was = before.get(field);
            Object is = after.get(field);
            if (!Objects.equals(was, is)) {
                Map<String, Object> change = new LinkedHashMap<>();
                change.put("before", was);
                change.put("after", is);
                changes.put(field, change);
            }
        }
        return changes;
    }
}
