package app.fieldbook.reports;

import app.fieldbook.RejectedRequest;
import app.fieldbook.identity.Actor;
import app.fieldbook.identity.Role;
import app.fieldbook.protocol.CrewRow;
import app.fieldbook.protocol.Report;
import app.fieldbook.protocol.ReportContent;
import app.fieldbook.protocol.ReportField;
import app.fieldbook.protocol.ReportStatus;
import app.fieldbook.reports.ReportEvent.ReportApproved;
import app.fieldbook.reports.ReportEvent.ReportDeleted;
import app.fieldbook.reports.ReportEvent.ReportEdited;
import app.fieldbook.reports.ReportEvent.ReportReopened;
import app.fieldbook.reports.ReportEvent.ReportReturned;
import app.fieldbook.reports.ReportEvent.ReportSubmitted;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.HttpStatus;

/**
 * A field worker's report of one site and one day, and the rules of its life cycle: only the author
 * edits a draft or returned report; submitting a submitted report again changes nothing; a manager
 * returns or approves a submitted report; an approved report is read-only until a manager reopens it. Nobody
 * decides on a report they wrote (segregation of duties): its author may not return, approve or reopen it,
 * whatever their role is now (a worker who became the site's manager, say).
 * Every transition yields the next state, with the next version, and the event that says what happened.
 */
record DailyReport(
        UUID id,
        UUID siteId,
        LocalDate date,
        UUID authorId,
        ReportStatus status,
        ReportContent content,
        String returnComment,
        OffsetDateTime submittedAt,
        OffsetDateTime decidedAt,
        UUID decidedBy,
        long version,
        OffsetDateTime createdAt,
        OffsetDateTime updatedAt,
        UUID updatedBy) {

    static DailyReport draft(UUID id, UUID siteId, LocalDate date, Actor author, ReportContent content,
            OffsetDateTime now) {
        return new DailyReport(id, siteId, date, author.id(), ReportStatus.DRAFT, content, null, null, null, null, 1,
                now, now, author.id());
    }

    /** The same report with these crew rows, as read from storage. */
    DailyReport withCrew(List<CrewRow> crew) {
        ReportContent withCrew = ReportField.contentOf(
                field -> field == ReportField.CREW ? crew : field.valueIn(content));
        return new DailyReport(id, siteId, date, authorId, status, withCrew, returnComment, submittedAt, decidedAt,
                decidedBy, version, createdAt, updatedAt, updatedBy);
    }

    /** What a transition made: the report as it is now, and the event saying what happened, if anything did. */
    record Transition(DailyReport report, Optional<ReportEvent> event) {
    }

    /** Makes the event of a transition from who made it, the report, and its audited fields before and after. */
    @FunctionalInterface
    private interface EventOf {
        ReportEvent of(Actor actor, UUID reportId, UUID siteId, Map<String, Object> before, Map<String, Object> after);
    }

    Transition edit(Actor actor, ReportContent newContent, OffsetDateTime now) {
        requireAuthor(actor, "edit");
        if (status != ReportStatus.DRAFT && status != ReportStatus.RETURNED) {
            throw notAllowedIn("edited");
        }
        return next(ReportEdited::new, actor, now, status, newContent, returnComment, submittedAt, decidedAt,
                decidedBy);
    }

    /** Submits the report; a report that is already submitted stays as it is. */
    Transition submit(Actor actor, OffsetDateTime now) {
        requireAuthor(actor, "submit");
        return switch (status) {
            case SUBMITTED -> unchanged();
            case DRAFT, RETURNED -> next(ReportSubmitted::new, actor, now, ReportStatus.SUBMITTED, content,
                    returnComment, now, null, null);
            case APPROVED -> throw notAllowedIn("submitted");
        };
    }

    Transition returnToAuthor(Actor manager, String comment, OffsetDateTime now) {
        requireManager(manager, "return");
        requireNotAuthor(manager, "return");
        if (status != ReportStatus.SUBMITTED) {
            throw notAllowedIn("returned");
        }
        return next(ReportReturned::new, manager, now, ReportStatus.RETURNED, content, comment, submittedAt, now,
                manager.id());
    }

    /** Approves a submitted report; an approved report stays as it is. */
    Transition approve(Actor manager, OffsetDateTime now) {
        requireManager(manager, "approve");
        requireNotAuthor(manager, "approve");
        return switch (status) {
            case APPROVED -> unchanged();
            case SUBMITTED -> next(ReportApproved::new, manager, now, ReportStatus.APPROVED, content, null,
                    submittedAt, now, manager.id());
            case DRAFT, RETURNED -> throw notAllowedIn("approved");
        };
    }

    /** Makes an approved report editable by its author again, saying why. */
    Transition reopen(Actor manager, String comment, OffsetDateTime now) {
        requireManager(manager, "reopen");
        requireNotAuthor(manager, "reopen");
        if (status != ReportStatus.APPROVED) {
            throw notAllowedIn("reopened");
        }
        return next(ReportReopened::new, manager, now, ReportStatus.RETURNED, content, comment, submittedAt, now,
                manager.id());
    }

    /**
     * Moves the report to the status a device or a conflict resolution asks for, by the transition that
     * reaches it from here: submitting, approving, or returning (reopening, when it is approved), with the
     * comment "Returned" when none is given. No transition leads back to draft.
     */
    Transition moveTo(ReportStatus target, Actor actor, String comment, OffsetDateTime now) {
        String reason = comment == null || comment.isBlank() ? "Returned" : comment;
        return switch (target) {
            case SUBMITTED -> submit(actor, now);
            case APPROVED -> approve(actor, now);
            case RETURNED -> status == ReportStatus.APPROVED ? reopen(actor, reason, now)
                    : returnToAuthor(actor, reason, now);
            case DRAFT -> throw new RejectedRequest(HttpStatus.CONFLICT, "report-status", "Not a transition",
                    "A report never goes back to draft; a manager returns it instead.");
        };
    }

    /**
     * Writes the content chosen when a sync conflict is resolved: by the author while the report is
     * editable, or by a manager of the site in any status (the manager settles what the report says).
     */
    Transition resolve(Actor actor, ReportContent newContent, OffsetDateTime now) {
        if (actor.is(Role.MANAGER)) {
            return next(ReportEdited::new, actor, now, status, newContent, returnComment, submittedAt, decidedAt,
                    decidedBy);
        }
        return edit(actor, newContent, now);
    }

    /** Deletes a draft of the author's; the event says what it held. */
    ReportDeleted delete(Actor actor) {
        requireDeletableBy(actor);
        return new ReportDeleted(actor, id, siteId, auditedFields());
    }

    void requireDeletableBy(Actor actor) {
        requireAuthor(actor, "delete");
        if (status != ReportStatus.DRAFT) {
            throw notAllowedIn("deleted");
        }
    }

    boolean isEditableBy(Actor actor) {
        return actor.id().equals(authorId) && (status == ReportStatus.DRAFT || status == ReportStatus.RETURNED);
    }

    Report toWire() {
        return new Report(id, siteId, date, authorId, status, content, returnComment, submittedAt, decidedAt, decidedBy,
                version, createdAt, updatedAt, updatedBy);
    }

    /** Every field of the report, by its wire name, as the audit trail shows it. */
    Map<String, Object> auditedFields() {
        Report report = toWire();
        Map<String, Object> fields = new LinkedHashMap<>();
        for (ReportField field : ReportField.values()) {
            fields.put(field.wireName(), audited(field, field.valueIn(report)));
        }
        return fields;
    }

    @SuppressWarnings("unchecked")
    private static Object audited(ReportField field, Object value) {
        if (value == null) {
            return null;
        }
        return switch (field.kind()) {
            case ID, DATE -> value.toString();
            case STATUS -> ((ReportStatus) value).name();
            case TEXT -> value;
            case NUMBER -> ((BigDecimal) value).stripTrailingZeros().toPlainString();
            case CREW -> ((List<CrewRow>) value).stream().map(DailyReport::describe).toList();
        };
    }

    /** The next state of this report, with the next version, changed by {@code actor} at {@code now}. */
    private Transition next(EventOf event, Actor actor, OffsetDateTime now, ReportStatus nextStatus,
            ReportContent nextContent, String nextReturnComment, OffsetDateTime nextSubmittedAt,
            OffsetDateTime nextDecidedAt, UUID nextDecidedBy) {
        DailyReport next = new DailyReport(id, siteId, date, authorId, nextStatus, nextContent, nextReturnComment,
                nextSubmittedAt, nextDecidedAt, nextDecidedBy, version + 1, createdAt, now, actor.id());
        return new Transition(next, Optional.of(event.of(actor, id, siteId, auditedFields(), next.auditedFields())));
    }

    private Transition unchanged() {
        return new Transition(this, Optional.empty());
    }

    private static String describe(CrewRow row) {
        return row.trade() + (row.company() == null ? "" : " (" + row.company() + ")") + ": " + row.headcount()
                + " people, " + row.hours().stripTrailingZeros().toPlainString() + " h";
    }

    private void requireAuthor(Actor actor, String action) {
        if (!actor.id().equals(authorId)) {
            throw new RejectedRequest(HttpStatus.FORBIDDEN, "not-author", "Only the author may " + action,
                    "Only the author of a daily report may " + action + " it.");
        }
    }

    /** Segregation of duties: a decision on a report is never its author's, whatever their role is now. */
    private void requireNotAuthor(Actor manager, String action) {
        if (manager.id().equals(authorId)) {
            throw new RejectedRequest(HttpStatus.FORBIDDEN, "own-report", "Not on your own report",
                    "Nobody may " + action + " a daily report they wrote; another manager of the site decides on it.");
        }
    }

    private static void requireManager(Actor actor, String action) {
        if (!actor.is(Role.MANAGER)) {
            throw new RejectedRequest(HttpStatus.FORBIDDEN, "not-manager", "Only a manager may " + action,
                    "Only a manager of the report's site may " + action + " a daily report.");
        }
    }

    private RejectedRequest notAllowedIn(String verb) {
        return new RejectedRequest(HttpStatus.CONFLICT, "report-status", "Not allowed in status " + status,
                "A " + status.name().toLowerCase() + " report cannot be " + verb + ".",
                Map.of("status", status.name()));
    }
}
