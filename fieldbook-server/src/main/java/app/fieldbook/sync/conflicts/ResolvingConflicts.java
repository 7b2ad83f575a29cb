package app.fieldbook.sync.conflicts;

import app.fieldbook.RejectedRequest;
import app.fieldbook.identity.Actor;
import app.fieldbook.identity.Role;
import app.fieldbook.protocol.Conflict;
import app.fieldbook.protocol.ConflictResolution;
import app.fieldbook.protocol.ConflictState;
import app.fieldbook.protocol.Report;
import app.fieldbook.protocol.ReportField;
import app.fieldbook.protocol.ReportStatus;
import app.fieldbook.reports.Reports;
import app.fieldbook.sync.ConflictEvent.ConflictResolved;
import app.fieldbook.sync.merge.ReportFieldValues;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Resolving a conflict: keep the server's value, take the device's, or write a new one. Taking a value
 * other than the record's current one is an ordinary change of the record, through the reports module,
 * so it is versioned, audited and reaches every device through the change feed.
 */
@Service
public class ResolvingConflicts {

    private final Conflicts conflicts;
    private final Reports reports;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    ResolvingConflicts(Conflicts conflicts, Reports reports, ApplicationEventPublisher events, Clock clock) {
        this.conflicts = conflicts;
        this.reports = reports;
        this.events = events;
        this.clock = clock;
    }

    public List<Conflict> open(Actor actor) {
        return conflicts.open(actor, 500).stream().map(conflicts::toWire).toList();
    }

    @Transactional
    public Conflict resolve(UUID conflictId, ConflictResolution resolution, Actor actor) {
        Conflicts.Row conflict = conflicts.findVisible(conflictId, actor)
                .orElseThrow(() -> RejectedRequest.notFound("Conflict", conflictId));
        if (actor.role() == Role.EXECUTIVE) {
            throw new RejectedRequest(HttpStatus.FORBIDDEN, "not-resolver", "Executives do not resolve conflicts",
                    "An executive sees the conflicts of every site; the report's author or a manager of its site "
                            + "decides which value stays.");
        }
        if (conflict.state() == ConflictState.RESOLVED) {
            throw new RejectedRequest(HttpStatus.CONFLICT, "conflict-resolved", "Already resolved",
                    "This conflict was resolved already.");
        }
        String field = conflict.field();
        boolean recordGone = field.endsWith("@edit_of_deleted");
        String target = field.contains("@") ? field.substring(0, field.indexOf('@')) : field;
        Object chosen;
        if (recordGone) {
            if (resolution.choice() != ConflictResolution.Choice.SERVER) {
                throw new RejectedRequest(HttpStatus.CONFLICT, "record-deleted", "Record deleted",
                        "The report was deleted; only keeping the server's side (deleted) resolves this conflict.");
            }
            chosen = null;
        } else if (target.equals("_record")) {
            chosen = resolveDeletion(conflict, resolution, actor);
        } else {
            chosen = resolveField(conflict, target, resolution, actor);
        }
        OffsetDateTime now = OffsetDateTime.now(clock);
        if (!conflicts.resolve(conflictId, conflict.version(), conflicts.write(chosen), actor.id(), now)) {
            throw RejectedRequest.staleVersion("Conflict", conflict.version(), conflict.version() + 1);
        }
        events.publishEvent(new ConflictResolved(actor, conflictId, conflict.entityId(), conflict.siteId(),
                resolution.choice(), chosen));
        return conflicts.findVisible(conflictId, actor).map(conflicts::toWire).orElseThrow();
    }

    private Object resolveDeletion(Conflicts.Row conflict, ConflictResolution resolution, Actor actor) {
        Report report = current(conflict, actor);
        if (resolution.choice() == ConflictResolution.Choice.SERVER) {
            return "kept";
        }
        reports.delete(report.id(), report.version(), actor);
        return "deleted";
    }

    private Object resolveField(Conflicts.Row conflict, String field, ConflictResolution resolution, Actor actor) {
        Report report = current(conflict, actor);
        Map<String, Object> fields = ReportFieldValues.of(report);
        Object value = switch (resolution.choice()) {
            case SERVER -> fields.get(field);
            case CLIENT -> ReportFieldValues.canonical(field, conflicts.value(conflict.clientValue()));
            case VALUE -> ReportFieldValues.canonical(field, resolution.value());
        };
        if (java.util.Objects.equals(value, fields.get(field))) {
            return value;
        }
        if (ReportField.contentNames().contains(field)) {
            reports.resolve(report.id(), report.version(),
                    ReportFieldValues.content(fields, java.util.Collections.singletonMap(field, value)), actor);
        } else if (field.equals(ReportField.STATUS.wireName()) && value != null) {
            reports.transition(report.id(), report.version(), ReportStatus.valueOf((String) value), null, actor);
        } else {
            throw new RejectedRequest(HttpStatus.CONFLICT, "not-resolvable", "Cannot take this value",
                    "The field " + field + " cannot be set by resolving a conflict.");
        }
        return value;
    }

    private Report current(Conflicts.Row conflict, Actor actor) {
        return reports.findVisible(conflict.entityId(), actor)
                .orElseThrow(() -> RejectedRequest.notFound("Report", conflict.entityId()));
    }
}
