package app.fieldbook.sync.push;

import app.fieldbook.RejectedRequest;
import app.fieldbook.identity.Actor;
import app.fieldbook.protocol.Operation;
import app.fieldbook.protocol.OperationOutcome;
import app.fieldbook.protocol.OperationResult;
import app.fieldbook.protocol.SyncProtocol;
import app.fieldbook.sync.OperationAnswered;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.DateTimeException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.ErrorResponseException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Applies each operation exactly once, in its own transaction together with the record of its result. A
 * replay of the same operation id and body answers the recorded result and changes nothing; the same id
 * with another body answers 409 {@code operation-id-reused}. A refusal is recorded like any other result.
 * An attempt that meets a concurrent change (a duplicate key, a stale version) is rolled back and made
 * again, reading anew, a few times.
 */
@Component
class ApplyingOnce {

    private static final int ATTEMPTS = 5;

    private final ApplyingReportOperation reports;
    private final ApplyingPhotoOperation photos;
    private final SyncOperations operations;
    private final TransactionTemplate transactions;
    private final JsonMapper json;
    private final ApplicationEventPublisher events;

    ApplyingOnce(ApplyingReportOperation reports, ApplyingPhotoOperation photos, SyncOperations operations,
            TransactionTemplate transactions, JsonMapper json, ApplicationEventPublisher events) {
        this.events = events;
        this.reports = reports;
        this.photos = photos;
        this.operations = operations;
        this.transactions = transactions;
        this.json = json;
    }

    OperationResult apply(Operation operation, UUID deviceId, Actor actor) {
        String hash = hash(operation);
        for (int attempt = 1; ; attempt++) {
            try {
                boolean firstAttempt = attempt == 1;
                return transactions.execute(status -> {
                    OperationResult result = applyAttempt(operation, deviceId, actor, firstAttempt);
                    operations.record(operation.operationId(), deviceId, actor.id(), hash,
                            json.writeValueAsString(result));
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

    /**
     * Refuses an operation that could not be read (422 {@code invalid-operation}). The refusal is recorded
     * under its operation id when that can be read, and is answered with a null operation id (and not
     * recorded: there is nothing to record it under) otherwise.
     */
    OperationResult refuse(DecodingOperations.Unreadable unreadable, UUID deviceId, Actor actor) {
        UUID operationId = unreadable.operationId();
        OperationResult refusal = refused(operationId, unreadable.entityId(), unreadable.baseVersion(), 422,
                "invalid-operation", unreadable.detail());
        if (operationId == null) {
            events.publishEvent(new OperationAnswered(OperationAnswered.Outcome.REFUSED));
            return refusal;
        }
        String hash = sha256(json.writeValueAsBytes(unreadable.sent()));
        return recorded(operationId, unreadable.entityId(), unreadable.baseVersion(), hash)
                .orElseGet(() -> recordRefusal(operationId, deviceId, actor, hash, refusal));
    }

    private OperationResult applyAttempt(Operation operation, UUID deviceId, Actor actor, boolean firstAttempt) {
        if (SyncProtocol.PHOTO.equals(operation.entity())) {
            return photos.apply(operation, deviceId, actor);
        }
        if (!SyncProtocol.REPORT.equals(operation.entity())) {
            throw new IllegalArgumentException("entity " + operation.entity() + " cannot be pushed");
        }
        return reports.apply(operation, deviceId, actor, firstAttempt);
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
            transactions.executeWithoutResult(status -> {
                operations.record(operationId, deviceId, actor.id(), hash, json.writeValueAsString(result));
                events.publishEvent(new OperationAnswered(OperationAnswered.Outcome.REFUSED));
            });
            return result;
        } catch (DuplicateKeyException raced) {
            return operations.find(operationId)
                    .map(recorded -> json.readValue(recorded.result(), OperationResult.class))
                    .orElse(result);
        }
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
