package app.fieldbook.sync.push;

import app.fieldbook.RejectedRequest;
import app.fieldbook.identity.Actor;
import app.fieldbook.protocol.Operation;
import app.fieldbook.protocol.OperationKind;
import app.fieldbook.protocol.OperationOutcome;
import app.fieldbook.protocol.OperationResult;
import app.fieldbook.protocol.Report;
import app.fieldbook.protocol.ReportContent;
import app.fieldbook.protocol.ReportField;
import app.fieldbook.protocol.ReportStatus;
import app.fieldbook.protocol.SyncProtocol;
import app.fieldbook.reports.Reports;
import app.fieldbook.sites.Sites;
import app.fieldbook.sync.OperationAnswered;
import app.fieldbook.sync.conflicts.RecordingConflicts;
import app.fieldbook.sync.merge.Change;
import app.fieldbook.sync.merge.Merge;
import app.fieldbook.sync.merge.ReportFieldValues;
import app.fieldbook.sync.merge.ServerRecord;
import app.fieldbook.sync.pull.ChangeFeed;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Applies a pushed operation on a report: merges it by {@link Merge} against the report as the server has
 * it, writes the outcome through the reports module, whose rules (scope, role, author, status) decide as
 * for any other change, and keeps what cannot be merged as conflicts.
 */
@Component
class ApplyingReportOperation {

    private final Reports reports;
    private final Sites sites;
    private final ChangeFeed feed;
    private final SyncOperations operations;
    private final RecordingConflicts conflicts;
    private final ApplicationEventPublisher events;

    ApplyingReportOperation(Reports reports, Sites sites, ChangeFeed feed, SyncOperations operations,
            RecordingConflicts conflicts, ApplicationEventPublisher events) {
        this.events = events;
        this.reports = reports;
        this.sites = sites;
        this.feed = feed;
        this.operations = operations;
        this.conflicts = conflicts;
    }

    /**
     * Applies the operation in the caller's transaction. A first attempt at a create expects a new report and
     * looks nothing up: the keys refuse it if its id or the author's report of that day exists (a replay, or
     * a report of another device), and a later attempt looks both up and merges. Most creates are of new
     * reports and skip the look-ups.
     */
    OperationResult apply(Operation operation, UUID deviceId, Actor actor, boolean firstAttempt) {
        Map<String, Change.Edit> fields = ReportEdits.of(operation);
        boolean create = operation.kind() == OperationKind.CREATE;
        UUID entityId = operation.entityId();
        Optional<Report> current = create && firstAttempt ? Optional.empty() : reports.findVisible(entityId, actor);
        if (create && current.isPresent() && !isSameReport(current.get(), fields, actor)) {
            // a co-worker's report (or another of the author's) has this id: a create never edits it
            throw idTaken(entityId);
        }
        if (create && current.isEmpty()) {
            UUID siteId = UUID.fromString(ReportEdits.required(fields, ReportField.SITE_ID.wireName()));
            LocalDate date = LocalDate.parse(ReportEdits.required(fields, ReportField.DATE.wireName()));
            Optional<UUID> sameDay = firstAttempt ? Optional.empty() : reports.findIdOf(siteId, date, actor.id());
            if (sameDay.isPresent()) {
                entityId = sameDay.get();
                current = reports.findVisible(entityId, actor);
            } else if (!firstAttempt && reports.isTaken(entityId)) {
                // the keys refused the id: a report the author cannot see has it
                throw idTaken(entityId);
            }
        }
        if (current.isEmpty() && !create) {
            Optional<UUID> alias = operations.aliasOf(entityId);
            if (alias.isPresent()) {
                entityId = alias.get();
                current = reports.findVisible(entityId, actor);
            }
        }
        UUID deletedFrom = null;
        if (current.isEmpty() && !create) {
            deletedFrom = feed.siteOfDeleted(entityId).filter(site -> sites.findVisible(site, actor).isPresent())
                    .orElseThrow(() -> RejectedRequest.notFound("Report", operation.entityId()));
        }
        ServerRecord server = current
                .map(report -> ServerRecord.of(report.version(), ReportFieldValues.of(report),
                        report.status() == ReportStatus.SUBMITTED || report.status() == ReportStatus.APPROVED,
                        Set.copyOf(ReportField.contentNames())))
                .orElse(ServerRecord.absent());
        Merge merge = Merge.decide(server, new Change(Change.Kind.valueOf(operation.kind().name()),
                operation.baseVersion(), fields));
        Report after = switch (merge.action()) {
            case CREATE -> create(entityId, merge.writes(), actor);
            case UPDATE -> update(current.orElseThrow(), merge.writes(), actor);
            case DELETE -> {
                reports.delete(entityId, current.orElseThrow().version(), actor);
                yield null;
            }
            case NONE -> current.orElse(null);
        };
        if (create && !entityId.equals(operation.entityId())) {
            operations.alias(operation.entityId(), entityId);
        }
        if (!entityId.equals(operation.entityId()) && after != null && merge.writes().isEmpty()) {
            // the device must learn the id its report has on the server, even when nothing changed
            feed.record(SyncProtocol.REPORT, entityId, after.siteId(), false);
        }
        List<UUID> conflictIds = conflicts.record(operation, deviceId, actor, entityId,
                after != null ? after : current.orElse(null), deletedFrom, merge);
        long version = after == null ? operation.baseVersion() : after.version();
        boolean changedMeanwhile = current.isPresent()
                && (create || current.get().version() != operation.baseVersion());
        events.publishEvent(new OperationAnswered(!conflictIds.isEmpty() ? OperationAnswered.Outcome.CONFLICT
                : changedMeanwhile ? OperationAnswered.Outcome.MERGED : OperationAnswered.Outcome.APPLIED));
        return new OperationResult(operation.operationId(),
                conflictIds.isEmpty() ? OperationOutcome.APPLIED : OperationOutcome.CONFLICT,
                conflictIds.isEmpty() ? 200 : 409, entityId, version, conflictIds, null, null);
    }

    private Report create(UUID id, Map<String, Object> writes, Actor actor) {
        Object status = writes.get(ReportField.STATUS.wireName());
        if (status != null && !status.equals("DRAFT") && !status.equals("SUBMITTED")) {
            throw new IllegalArgumentException("a new report is a draft or submitted, not " + status);
        }
        UUID siteId = UUID.fromString((String) writes.get(ReportField.SITE_ID.wireName()));
        LocalDate date = LocalDate.parse((String) writes.get(ReportField.DATE.wireName()));
        ReportContent content = ReportFieldValues.content(ReportFieldValues.empty(), writes);
        Report created = reports.create(id, siteId, date, content, actor);
        return "SUBMITTED".equals(status)
                ? reports.transition(id, created.version(), ReportStatus.SUBMITTED, null, actor)
                : created;
    }

    private Report update(Report current, Map<String, Object> writes, Actor actor) {
        Map<String, Object> content = new LinkedHashMap<>(writes);
        content.keySet().retainAll(ReportField.contentNames());
        Report report = current;
        if (!content.isEmpty()) {
            report = reports.edit(report.id(), report.version(), ReportFieldValues.content(ReportFieldValues.of(report),
                    content), actor);
        }
        Object status = writes.get(ReportField.STATUS.wireName());
        if (status != null) {
            report = reports.transition(report.id(), report.version(), ReportStatus.valueOf((String) status),
                    (String) writes.get(ReportField.RETURN_COMMENT.wireName()), actor);
        }
        return report;
    }

    /**
     * Whether a create names the report that has its id: the same author's report of the same site and day
     * (a create sent again under another operation id, or by another device of the author).
     */
    private static boolean isSameReport(Report report, Map<String, Change.Edit> fields, Actor actor) {
        return report.authorId().equals(actor.id())
                && report.siteId().toString().equals(ReportEdits.required(fields, ReportField.SITE_ID.wireName()))
                && report.date().toString().equals(ReportEdits.required(fields, ReportField.DATE.wireName()));
    }

    private static RejectedRequest idTaken(UUID id) {
        return new RejectedRequest(HttpStatus.CONFLICT, "id-taken", "Id taken",
                "A different report already has the id " + id + ".");
    }
}
