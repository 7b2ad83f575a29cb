package app.fieldbook.sync;

import app.fieldbook.AppendedIds;
import app.fieldbook.RejectedRequest;
import app.fieldbook.identity.Actor;
import app.fieldbook.protocol.ConflictState;
import app.fieldbook.protocol.FieldChange;
import app.fieldbook.protocol.Operation;
import app.fieldbook.protocol.OperationKind;
import app.fieldbook.protocol.OperationOutcome;
import app.fieldbook.protocol.OperationResult;
import app.fieldbook.protocol.Report;
import app.fieldbook.protocol.ReportContent;
import app.fieldbook.protocol.ReportFields;
import app.fieldbook.protocol.ReportStatus;
import app.fieldbook.protocol.SyncProtocol;
import app.fieldbook.attachments.Photos;
import app.fieldbook.protocol.Photo;
import app.fieldbook.reports.Reports;
import app.fieldbook.sites.Sites;
import app.fieldbook.sync.ConflictEvent.ConflictRecorded;
import app.fieldbook.sync.merge.Change;
import app.fieldbook.sync.merge.Merge;
import app.fieldbook.sync.merge.ServerRecord;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.ErrorResponseException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Applies pushed operations, each exactly once and in its own transaction together with the record of
 * its result. A replay of the same operation id and body answers the recorded result and changes
 * nothing; the same id with another body answers 409. The operation is merged by {@link Merge} against
 * the record as the server has it, then written through the reports module, whose rules (scope, role,
 * author, status) decide as for any other change; what cannot be merged is kept as conflicts. An operation
 * that cannot be read or is invalid is refused on its own (422 {@code invalid-operation}, naming the field)
 * and its refusal recorded like any other; the rest of its batch is applied.
 */
@Service
class ApplyingOperations {

    private static final Set<String> UPDATABLE = Set.of(ReportFields.STATUS, ReportFields.RETURN_COMMENT,
            ReportFields.WEATHER_CONDITIONS, ReportFields.WEATHER_TEMPERATURE, ReportFields.CREW,
            ReportFields.WORK_PERFORMED, ReportFields.DELAYS, ReportFields.SAFETY_INCIDENTS, ReportFields.MATERIALS,
            ReportFields.NOTES);
    private static final int ATTEMPTS = 5;

    private final Reports reports;
    private final Photos photos;
    private final Sites sites;
    private final ChangeFeed feed;
    private final SyncOperations operations;
    private final Conflicts conflicts;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transactions;
    private final JsonMapper json;
    private final Validator validator;
    private final Clock clock;

    ApplyingOperations(Reports reports, Photos photos, Sites sites, ChangeFeed feed, SyncOperations operations, Conflicts conflicts,
            ApplicationEventPublisher events, TransactionTemplate transactions, JsonMapper json, Validator validator,
            Clock clock) {
        this.reports = reports;
        this.photos = photos;
        this.sites = sites;
        this.feed = feed;
        this.operations = operations;
        this.conflicts = conflicts;
        this.events = events;
        this.transactions = transactions;
        this.json = json;
        this.validator = validator;
        this.clock = clock;
    }

    List<OperationResult> push(PushEnvelope request, Actor actor) {
        List<OperationResult> results = new ArrayList<>(request.operations().size());
        for (JsonNode sent : request.operations()) {
            results.add(applyOnce(sent, request.deviceId(), actor));
        }
        return results;
    }

    /**
     * Binds and validates one operation as sent, and applies it once. One that cannot be bound or is invalid
     * is refused with 422; the refusal is recorded under its operation id when that can be read, and is
     * answered with a null operation id (and not recorded: there is nothing to record it under) otherwise.
     */
    private OperationResult applyOnce(JsonNode sent, UUID deviceId, Actor actor) {
        if (sent == null || !sent.isObject()) {
            return refuseMalformed(sent, deviceId, actor, "An operation must be a JSON object.");
        }
        Operation operation;
        try {
            operation = json.treeToValue(sent, Operation.class);
        } catch (JacksonException unreadable) {
            return refuseMalformed(sent, deviceId, actor, "The field " + path(unreadable)
                    + " of the operation has the wrong type or format.");
        }
        Set<ConstraintViolation<Operation>> violations = validator.validate(operation);
        if (!violations.isEmpty()) {
            return refuseMalformed(sent, deviceId, actor, violations.stream()
                    .map(violation -> "The field " + violation.getPropertyPath() + " " + violation.getMessage() + ".")
                    .sorted().reduce((one, other) -> one + " " + other).orElseThrow());
        }
        return applyOnce(operation, deviceId, actor);
    }

    private OperationResult refuseMalformed(JsonNode sent, UUID deviceId, Actor actor, String detail) {
        UUID operationId = uuidIn(sent, "operationId");
        UUID entityId = uuidIn(sent, "entityId");
        JsonNode baseVersion = sent == null ? null : sent.get("baseVersion");
        long base = baseVersion != null && baseVersion.isIntegralNumber() && baseVersion.canConvertToLong()
                ? baseVersion.asLong() : 0;
        OperationResult refusal = new OperationResult(operationId, OperationOutcome.REJECTED, 422, entityId, base,
                List.of(), RejectedRequest.TYPE_BASE + "invalid-operation", detail);
        if (operationId == null) {
            return refusal;
        }
        String hash = sha256(json.writeValueAsBytes(sent));
        return recorded(operationId, entityId, base, hash)
                .orElseGet(() -> recordRefusal(operationId, deviceId, actor, hash, refusal));
    }

    private static UUID uuidIn(JsonNode sent, String field) {
        JsonNode value = sent == null ? null : sent.get(field);
        if (value == null || !value.isString()) {
            return null;
        }
        try {
            return UUID.fromString(value.asString());
        } catch (IllegalArgumentException notAnId) {
            return null;
        }
    }

    private static String path(JacksonException unreadable) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference reference : unreadable.getPath()) {
            if (reference.getPropertyName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? "(unknown)" : path.toString();
    }

    OperationResult applyOnce(Operation operation, UUID deviceId, Actor actor) {
        String hash = hash(operation);
        for (int attempt = 1; ; attempt++) {
            try {
                boolean onKeys = attempt == 1;
                return transactions.execute(status -> {
                    OperationResult result = apply(operation, deviceId, actor, onKeys);
                    operations.record(operation.operationId(), deviceId, actor.id(), hash, json.writeValueAsString(result));
                    return result;
                });
            } catch (DuplicateKeyException replay) {
                // recorded before (a retry), or by a concurrent request: the recorded result is the answer,
                // and this attempt's work was rolled back with its transaction. Otherwise a create met a
                // report with its id or of the same day: the next attempt looks it up and merges.
                Optional<OperationResult> recorded = recorded(operation, hash);
                if (recorded.isPresent()) {
                    return recorded.get();
                }
                if (attempt >= ATTEMPTS) {
                    throw replay;
                }
            } catch (ErrorResponseException rejected) {
                if (problemType(rejected).equals("stale-version") && attempt < ATTEMPTS) {
                    continue; // another operation changed the report between reading and writing: merge again
                }
                return recorded(operation, hash).orElseGet(() -> recordRefusal(operation.operationId(), deviceId,
                        actor, hash, refused(operation, rejected.getStatusCode().value(), problemType(rejected),
                                rejected.getBody().getDetail())));
            } catch (IllegalArgumentException | DateTimeException invalid) {
                return recorded(operation, hash).orElseGet(() -> recordRefusal(operation.operationId(), deviceId,
                        actor, hash, refused(operation, 422, "invalid-operation", invalid.getMessage())));
            } catch (DataIntegrityViolationException raced) {
                // the same report created elsewhere at the same moment: read again and merge against it
                if (attempt >= ATTEMPTS) {
                    throw raced;
                }
            }
        }
    }

    /** The result recorded for this operation id, or a 409 if the id was used for another operation. */
    private Optional<OperationResult> recorded(Operation operation, String hash) {
        return recorded(operation.operationId(), operation.entityId(), operation.baseVersion(), hash);
    }

    private Optional<OperationResult> recorded(UUID operationId, UUID entityId, long baseVersion, String hash) {
        return operations.find(operationId).map(recorded -> recorded.bodyHash().equals(hash)
                ? json.readValue(recorded.result(), OperationResult.class)
                : refused(operationId, entityId, baseVersion, 409, "operation-id-reused",
                        "This operation id was used before for a different operation."));
    }

    private OperationResult recordRefusal(UUID operationId, UUID deviceId, Actor actor, String hash,
            OperationResult result) {
        try {
            transactions.executeWithoutResult(status -> operations.record(operationId, deviceId,
                    actor.id(), hash, json.writeValueAsString(result)));
            return result;
        } catch (DuplicateKeyException raced) {
            return operations.find(operationId)
                    .map(recorded -> json.readValue(recorded.result(), OperationResult.class))
                    .orElse(result);
        }
    }

    /**
     * Applies one operation. {@code onKeys} (the first attempt) creates a report without looking for a
     * report with its id or the author's report of that day first: the keys refuse it if there is one,
     * and the next attempt looks both up and merges. Most creates are of new reports and skip the look-ups.
     */
    private OperationResult apply(Operation operation, UUID deviceId, Actor actor, boolean onKeys) {
        if (SyncProtocol.PHOTO.equals(operation.entity())) {
            return applyPhoto(operation, deviceId, actor);
        }
        if (!SyncProtocol.REPORT.equals(operation.entity())) {
            throw new IllegalArgumentException("entity " + operation.entity() + " cannot be pushed");
        }
        Map<String, Change.Edit> fields = canonical(operation);
        UUID entityId = operation.entityId();
        // a first attempt at a create expects a new report: the keys refuse it if the id exists (a replay, or
        // a report this device created before), and the next attempt reads it and merges
        Optional<Report> current = operation.kind() == OperationKind.CREATE && onKeys ? Optional.empty()
                : reports.findVisible(entityId, actor);
        if (operation.kind() == OperationKind.CREATE && current.isPresent()
                && !isSameReport(current.get(), fields, actor)) {
            // a co-worker's report (or another of the author's) has this id: a create never edits it
            throw new RejectedRequest(HttpStatus.CONFLICT, "id-taken", "Id taken",
                    "A different report already has the id " + entityId + ".");
        }
        if (operation.kind() == OperationKind.CREATE && current.isEmpty()) {
            UUID siteId = UUID.fromString(required(fields, ReportFields.SITE_ID));
            LocalDate date = LocalDate.parse(required(fields, ReportFields.DATE));
            Optional<UUID> sameDay = onKeys ? Optional.empty() : reports.findIdOf(siteId, date, actor.id());
            if (sameDay.isPresent()) {
                entityId = sameDay.get();
                current = reports.findVisible(entityId, actor);
            }
        }
        if (current.isEmpty() && operation.kind() != OperationKind.CREATE) {
            Optional<UUID> alias = operations.aliasOf(entityId);
            if (alias.isPresent()) {
                entityId = alias.get();
                current = reports.findVisible(entityId, actor);
            }
        }
        UUID deletedFrom = null;
        if (current.isEmpty() && operation.kind() != OperationKind.CREATE) {
            deletedFrom = feed.siteOfDeleted(entityId).filter(site -> sites.findVisible(site, actor).isPresent())
                    .orElseThrow(() -> RejectedRequest.notFound("Report", operation.entityId()));
        }
        ServerRecord server = current
                .map(report -> ServerRecord.of(report.version(), ReportFieldValues.of(report),
                        report.status() == ReportStatus.SUBMITTED || report.status() == ReportStatus.APPROVED,
                        Set.copyOf(ReportFields.CONTENT)))
                .orElse(ServerRecord.absent());
        Merge merge = Merge.decide(server, new Change(kind(operation.kind()), operation.baseVersion(), fields));
        Report after = switch (merge.action()) {
            case CREATE -> create(entityId, merge.writes(), actor, onKeys);
            case UPDATE -> update(current.orElseThrow(), merge.writes(), actor);
            case DELETE -> {
                reports.delete(entityId, current.orElseThrow().version(), actor);
                yield null;
            }
            case NONE -> current.orElse(null);
        };
        if (operation.kind() == OperationKind.CREATE && !entityId.equals(operation.entityId())) {
            operations.alias(operation.entityId(), entityId);
        }
        if (!entityId.equals(operation.entityId()) && after != null && merge.writes().isEmpty()) {
            // the device must learn the id its report has on the server, even when nothing changed
            feed.record(SyncProtocol.REPORT, entityId, after.siteId(), false);
        }
        List<UUID> conflictIds = recordConflicts(operation, deviceId, actor, entityId, current.orElse(null), after,
                deletedFrom, merge);
        long version = after == null ? operation.baseVersion() : after.version();
        return new OperationResult(operation.operationId(),
                conflictIds.isEmpty() ? OperationOutcome.APPLIED : OperationOutcome.CONFLICT,
                conflictIds.isEmpty() ? 200 : 409, entityId, version, conflictIds, null, null);
    }

    /** A photo is announced (its content follows by upload) or removed; its metadata is not edited offline. */
    private OperationResult applyPhoto(Operation operation, UUID deviceId, Actor actor) {
        Map<String, FieldChange> fields = operation.changes();
        Photo photo = switch (operation.kind()) {
            case CREATE -> photos.announce(operation.entityId(), reportIdOf(fields), text(fields, "sha256", true),
                    sizeOf(fields), text(fields, "caption", false), takenAtOf(fields), number(fields, "latitude"),
                    number(fields, "longitude"), deviceId, actor);
            case DELETE -> {
                photos.remove(operation.entityId(), operation.baseVersion(), actor);
                yield null;
            }
            case UPDATE -> throw new IllegalArgumentException("a photo's details are not edited offline");
        };
        return new OperationResult(operation.operationId(), OperationOutcome.APPLIED, 200, operation.entityId(),
                photo == null ? operation.baseVersion() : photo.version(), List.of(), null, null);
    }

    private static String text(Map<String, FieldChange> fields, String field, boolean required) {
        FieldChange change = fields.get(field);
        Object value = change == null ? null : change.value();
        if (value == null) {
            if (required) {
                throw new IllegalArgumentException("a photo needs " + field);
            }
            return null;
        }
        return value.toString();
    }

    private static UUID reportIdOf(Map<String, FieldChange> fields) {
        String reportId = text(fields, "reportId", true);
        try {
            return UUID.fromString(reportId);
        } catch (IllegalArgumentException notAnId) {
            throw new IllegalArgumentException("reportId must be a UUID, not '" + reportId + "'");
        }
    }

    private static long sizeOf(Map<String, FieldChange> fields) {
        Object size = fields.get("size") == null ? null : fields.get("size").value();
        if (size instanceof Number number && number.doubleValue() == Math.rint(number.doubleValue())) {
            return number.longValue();
        }
        String text = text(fields, "size", true);
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException notANumber) {
            throw new IllegalArgumentException("size must be a whole number of bytes, not '" + text + "'");
        }
    }

    private static OffsetDateTime takenAtOf(Map<String, FieldChange> fields) {
        String takenAt = text(fields, "takenAt", false);
        try {
            return takenAt == null ? null : OffsetDateTime.parse(takenAt);
        } catch (DateTimeException notATime) {
            throw new IllegalArgumentException("takenAt must be a date and time with offset (ISO 8601), not '"
                    + takenAt + "'");
        }
    }

    private static Double number(Map<String, FieldChange> fields, String field) {
        FieldChange change = fields.get(field);
        if (change == null || change.value() == null) {
            return null;
        }
        if (change.value() instanceof Number value) {
            return value.doubleValue();
        }
        throw new IllegalArgumentException(field + " must be a number");
    }

    private Report create(UUID id, Map<String, Object> writes, Actor actor, boolean onKeys) {
        Object status = writes.get(ReportFields.STATUS);
        if (status != null && !status.equals("DRAFT") && !status.equals("SUBMITTED")) {
            throw new IllegalArgumentException("a new report is a draft or submitted, not " + status);
        }
        UUID siteId = UUID.fromString((String) writes.get(ReportFields.SITE_ID));
        LocalDate date = LocalDate.parse((String) writes.get(ReportFields.DATE));
        ReportContent content = ReportFieldValues.content(ReportFieldValues.empty(), writes);
        Report created = onKeys ? reports.createOnKeys(id, siteId, date, content, actor)
                : reports.create(id, siteId, date, content, actor);
        return "SUBMITTED".equals(status)
                ? reports.transition(id, created.version(), ReportStatus.SUBMITTED, null, actor)
                : created;
    }

    private Report update(Report current, Map<String, Object> writes, Actor actor) {
        Map<String, Object> content = new LinkedHashMap<>(writes);
        content.keySet().retainAll(ReportFields.CONTENT);
        Report report = current;
        if (!content.isEmpty()) {
            report = reports.edit(report.id(), report.version(), ReportFieldValues.content(ReportFieldValues.of(report),
                    content), actor);
        }
        Object status = writes.get(ReportFields.STATUS);
        if (status != null) {
            report = reports.transition(report.id(), report.version(), ReportStatus.valueOf((String) status),
                    (String) writes.get(ReportFields.RETURN_COMMENT), actor);
        }
        return report;
    }

    private List<UUID> recordConflicts(Operation operation, UUID deviceId, Actor actor, UUID entityId, Report before,
            Report after, UUID deletedFrom, Merge merge) {
        if (!merge.hasConflicts()) {
            return List.of();
        }
        Report server = after != null ? after : before;
        UUID siteId = server != null ? server.siteId() : deletedFrom;
        UUID authorId = server != null ? server.authorId() : actor.id();
        Map<String, Merge.FieldConflict> fields = new TreeMap<>(merge.conflicts());
        if (merge.reason() == Merge.WholeConflict.DELETE_OF_CHANGED) {
            fields.put("_record", new Merge.FieldConflict("kept at version " + server.version(), "deleted"));
        }
        List<UUID> ids = new ArrayList<>();
        OffsetDateTime now = OffsetDateTime.now(clock);
        for (var field : fields.entrySet()) {
            UUID id = AppendedIds.next();
            String fieldName = merge.reason() == Merge.WholeConflict.EDIT_OF_DELETED
                    || merge.reason() == Merge.WholeConflict.EDIT_OF_LOCKED
                    ? field.getKey() + "@" + merge.reason().name().toLowerCase() : field.getKey();
            conflicts.insert(new Conflicts.Row(id, SyncProtocol.REPORT, entityId, siteId, authorId, fieldName,
                    conflicts.write(field.getValue().serverValue()), server == null ? null : server.updatedBy(),
                    server == null ? null : server.updatedAt(), conflicts.write(field.getValue().clientValue()),
                    actor.id(), deviceId, operation.madeAt(), operation.operationId(),
                    ConflictState.OPEN, null, null, null, 1, now));
            events.publishEvent(new ConflictRecorded(actor, id, entityId, siteId, fieldName,
                    field.getValue().serverValue(), field.getValue().clientValue()));
            ids.add(id);
        }
        return ids;
    }

    private static Map<String, Change.Edit> canonical(Operation operation) {
        Map<String, Change.Edit> fields = new LinkedHashMap<>();
        for (Map.Entry<String, FieldChange> entry : operation.changes().entrySet()) {
            String field = entry.getKey();
            if (operation.kind() == OperationKind.UPDATE && !UPDATABLE.contains(field)) {
                throw new RejectedRequest(HttpStatus.FORBIDDEN,
                        "field-not-writable", "Field not writable", "The field " + field
                                + " of a report cannot be changed after it was created.");
            }
            FieldChange change = entry.getValue() == null ? new FieldChange(null, null) : entry.getValue();
            fields.put(field, new Change.Edit(ReportFieldValues.canonical(field, change.base()),
                    ReportFieldValues.canonical(field, change.value())));
        }
        if (operation.kind() == OperationKind.DELETE && !fields.isEmpty()) {
            throw new IllegalArgumentException("a delete carries no field changes");
        }
        return fields;
    }

    /**
     * Whether a create names the report that has its id: the same author's report of the same site and day
     * (a create sent again under another operation id, or by another device of the author).
     */
    private static boolean isSameReport(Report report, Map<String, Change.Edit> fields, Actor actor) {
        return report.authorId().equals(actor.id())
                && report.siteId().toString().equals(required(fields, ReportFields.SITE_ID))
                && report.date().toString().equals(required(fields, ReportFields.DATE));
    }

    private static String required(Map<String, Change.Edit> fields, String field) {
        Change.Edit edit = fields.get(field);
        if (edit == null || edit.value() == null) {
            throw new IllegalArgumentException("a new report needs " + field);
        }
        return (String) edit.value();
    }

    private static Change.Kind kind(OperationKind kind) {
        return Change.Kind.valueOf(kind.name());
    }

    private static OperationResult refused(Operation operation, int status, String type, String detail) {
        return refused(operation.operationId(), operation.entityId(), operation.baseVersion(), status, type, detail);
    }

    private static OperationResult refused(UUID operationId, UUID entityId, long baseVersion, int status, String type,
            String detail) {
        return new OperationResult(operationId, OperationOutcome.REJECTED, status, entityId, baseVersion, List.of(),
                RejectedRequest.TYPE_BASE + type, detail);
    }

    private static String problemType(ErrorResponseException rejected) {
        String type = String.valueOf(rejected.getBody().getType());
        return type.startsWith(RejectedRequest.TYPE_BASE)
                ? type.substring(RejectedRequest.TYPE_BASE.length()) : "rejected";
    }

    private String hash(Operation operation) {
        return sha256(json.writeValueAsBytes(new Object[] {operation.entity(), operation.entityId(),
                operation.kind(), operation.baseVersion(), new TreeMap<>(operation.changes())}));
    }

    private static String sha256(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
