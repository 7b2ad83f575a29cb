package app.fieldbook.audit;

import app.fieldbook.AppendedIds;
import app.fieldbook.attachments.PhotoEvent;
import app.fieldbook.attachments.PhotoEvent.PhotoAttached;
import app.fieldbook.attachments.PhotoEvent.PhotoRecaptioned;
import app.fieldbook.attachments.PhotoEvent.PhotoRemoved;
import app.fieldbook.attachments.PhotoEvent.PhotoStored;
import app.fieldbook.identity.AccessDenied;
import app.fieldbook.identity.Actor;
import app.fieldbook.identity.CredentialRefused;
import app.fieldbook.identity.SecondFactorEvent;
import app.fieldbook.identity.SecondFactorEvent.RecoveryCodeUsed;
import app.fieldbook.identity.SecondFactorEvent.RecoveryCodesRegenerated;
import app.fieldbook.identity.SecondFactorEvent.SecondFactorEnrolled;
import app.fieldbook.identity.SecondFactorEvent.SecondFactorRemoved;
import app.fieldbook.identity.SignInFailed;
import app.fieldbook.identity.SignedIn;
import app.fieldbook.identity.SignedOut;
import app.fieldbook.identity.UserEvent;
import app.fieldbook.identity.UserEvent.PasskeyRegistered;
import app.fieldbook.identity.UserEvent.PasskeyRemoved;
import app.fieldbook.identity.UserEvent.PasswordChanged;
import app.fieldbook.identity.UserEvent.SecondFactorReset;
import app.fieldbook.identity.UserEvent.SessionsEnded;
import app.fieldbook.identity.UserEvent.UserCreated;
import app.fieldbook.identity.UserEvent.UserDisabled;
import app.fieldbook.identity.UserEvent.UserEdited;
import app.fieldbook.reports.ReportEvent;
import app.fieldbook.reports.ReportEvent.ReportApproved;
import app.fieldbook.reports.ReportEvent.ReportCreated;
import app.fieldbook.reports.ReportEvent.ReportDeleted;
import app.fieldbook.reports.ReportEvent.ReportEdited;
import app.fieldbook.reports.ReportEvent.ReportReopened;
import app.fieldbook.reports.ReportEvent.ReportReturned;
import app.fieldbook.reports.ReportEvent.ReportSubmitted;
import app.fieldbook.sites.AssignmentEvent;
import app.fieldbook.sites.PortfolioEvent;
import app.fieldbook.sites.PortfolioEvent.PortfolioCreated;
import app.fieldbook.sites.PortfolioEvent.PortfolioEdited;
import app.fieldbook.sites.SiteEvent;
import app.fieldbook.sites.SiteEvent.SiteCreated;
import app.fieldbook.sites.SiteEvent.SiteEdited;
import app.fieldbook.sync.ConflictEvent;
import app.fieldbook.sync.ConflictEvent.ConflictRecorded;
import app.fieldbook.sync.ConflictEvent.ConflictResolved;
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
 * Writes the audit trail. A change is recorded by a synchronous listener, one per family of events, that
 * joins the transaction of the change ({@link Propagation#MANDATORY}): the event commits with the change
 * or not at all. The action stored for each event is the audit trail's own name for it. A
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
    void recordInSameTransaction(UserEvent event) {
        String action = switch (event) {
            case UserCreated created -> "USER_CREATED";
            case UserEdited edited -> "USER_UPDATED";
            case UserDisabled disabled -> "USER_DISABLED";
            case PasswordChanged changed -> "USER_PASSWORD_CHANGED";
            case PasskeyRegistered registered -> "USER_PASSKEY_REGISTERED";
            case PasskeyRemoved removed -> "USER_PASSKEY_REMOVED";
            case SessionsEnded ended -> "USER_SESSIONS_ENDED";
            case SecondFactorReset reset -> "USER_SECOND_FACTOR_RESET";
        };
        record(event.actor(), null, action, "User", event.userId(), null, event.before(), event.after());
    }

    @EventListener
    @Transactional(propagation = Propagation.MANDATORY)
    void recordInSameTransaction(SiteEvent event) {
        String action = switch (event) {
            case SiteCreated created -> "SITE_CREATED";
            case SiteEdited edited -> "SITE_UPDATED";
        };
        record(event.actor(), null, action, "Site", event.siteId(), event.siteId(), event.before(), event.after());
    }

    @EventListener
    @Transactional(propagation = Propagation.MANDATORY)
    void recordInSameTransaction(PortfolioEvent event) {
        String action = switch (event) {
            case PortfolioCreated created -> "PORTFOLIO_CREATED";
            case PortfolioEdited edited -> "PORTFOLIO_UPDATED";
        };
        record(event.actor(), null, action, "Portfolio", event.portfolioId(), null, event.before(), event.after());
    }

    /** Replacing a worker's sites and a manager's portfolios are one action, told apart by the changed field. */
    @EventListener
    @Transactional(propagation = Propagation.MANDATORY)
    void recordInSameTransaction(AssignmentEvent event) {
        record(event.actor(), null, "ASSIGNMENTS_CHANGED", "User", event.userId(), null, event.before(),
                event.after());
    }

    @EventListener
    @Transactional(propagation = Propagation.MANDATORY)
    void recordInSameTransaction(ReportEvent event) {
        String action = switch (event) {
            case ReportCreated created -> "REPORT_CREATED";
            case ReportEdited edited -> "REPORT_UPDATED";
            case ReportSubmitted submitted -> "REPORT_SUBMITTED";
            case ReportReturned returned -> "REPORT_RETURNED";
            case ReportApproved approved -> "REPORT_APPROVED";
            case ReportReopened reopened -> "REPORT_REOPENED";
            case ReportDeleted deleted -> "REPORT_DELETED";
        };
        record(event.actor(), null, action, "DailyReport", event.reportId(), event.siteId(), event.before(),
                event.after());
    }

    @EventListener
    @Transactional(propagation = Propagation.MANDATORY)
    void recordInSameTransaction(PhotoEvent event) {
        String action = switch (event) {
            case PhotoAttached attached -> "PHOTO_CREATED";
            case PhotoStored stored -> "PHOTO_STORED";
            case PhotoRecaptioned recaptioned -> "PHOTO_UPDATED";
            case PhotoRemoved removed -> "PHOTO_DELETED";
        };
        record(event.actor(), null, action, "Photo", event.photoId(), event.siteId(), event.before(), event.after());
    }

    @EventListener
    @Transactional(propagation = Propagation.MANDATORY)
    void recordInSameTransaction(ConflictEvent event) {
        String action = switch (event) {
            case ConflictRecorded recorded -> "CONFLICT_RECORDED";
            case ConflictResolved resolved -> "CONFLICT_RESOLVED";
        };
        record(event.actor(), null, action, "Conflict", event.conflictId(), event.siteId(), event.before(),
                event.after());
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

    /** Never a key or a code: what happened, with the method, the proof given, or the recovery codes left. */
    @EventListener
    @Transactional(propagation = Propagation.MANDATORY)
    void recordInSameTransaction(SecondFactorEvent event) {
        Map<String, Object> after = new LinkedHashMap<>();
        String action = switch (event) {
            case SecondFactorEnrolled enrolled -> {
                after.put("method", enrolled.method());
                yield "SECOND_FACTOR_ENROLLED";
            }
            case SecondFactorRemoved removed -> {
                after.put("method", removed.method());
                after.put("proof", removed.proof());
                yield "SECOND_FACTOR_REMOVED";
            }
            case RecoveryCodesRegenerated regenerated -> "RECOVERY_CODES_REGENERATED";
            case RecoveryCodeUsed used -> {
                after.put("recoveryCodesLeft", used.left());
                yield "RECOVERY_CODE_USED";
            }
        };
        record(event.actor(), null, action, "User", event.actor().id(), null, Map.of(), after);
    }

    @EventListener
    @Transactional(propagation = Propagation.MANDATORY)
    void recordInSameTransaction(SignInFailed failure) {
        record(null, failure.login(), "SIGN_IN_FAILED", "User", null, null, Map.of(),
                Map.of("reason", failure.reason()));
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMPLETION, fallbackExecution = true)
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    void recordInOwnTransaction(CredentialRefused refused) {
        Map<String, Object> after = new LinkedHashMap<>();
        after.put("credential", refused.kind());
        after.put("reason", refused.reason());
        record(null, refused.login(), "CREDENTIAL_REFUSED", "User", refused.userId(), null, Map.of(), after);
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
