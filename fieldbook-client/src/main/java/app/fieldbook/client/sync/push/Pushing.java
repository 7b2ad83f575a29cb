package app.fieldbook.client.sync.push;

import app.fieldbook.client.Backoff;
import app.fieldbook.client.http.RequestFailed;
import app.fieldbook.client.http.Retrying;
import app.fieldbook.client.http.SyncApi;
import app.fieldbook.client.replica.Replica;
import app.fieldbook.client.replica.ReportFieldValues;
import app.fieldbook.client.store.LocalStore;
import app.fieldbook.client.store.OutboxEntry;
import app.fieldbook.client.sync.SyncTally;
import app.fieldbook.protocol.OperationResult;
import app.fieldbook.protocol.PushResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Sends the outbox to the server in rounds until nothing more can be sent.
 *
 * <p>Each round sends, in outbox order, the first waiting change of every entity (so the changes of
 * one record go in order, each after the previous one's answer, and its bases come from the last
 * acknowledged copy). A change is frozen when first sent and every retry sends the same body under
 * the same operation id, which the server answers from its record. Each answer is recorded, and its
 * outbox row removed, in one local transaction.
 *
 * <p>A batch that fails in a way one of its changes could cause (a 5xx, a broken connection, an
 * invalid request) is split in halves, so that one bad change holds up only itself: alone, it is
 * refused for good when the server said it is invalid, else postponed with backoff while the rest
 * flows. Failures of the server as a whole (unreachable, busy, 401, 426) end the push.
 */
public final class Pushing {

    private static final int MAX_ROUNDS = 10_000;

    private final LocalStore store;
    private final SyncApi api;
    private final RecordingAnswers answers;
    private final FrozenOperations operations;
    private final Retrying retrying;
    private final Backoff backoff;
    private final RandomGenerator random;
    private final Clock clock;
    private final Supplier<ObjectNode> envelope;
    private final int batchSize;

    public Pushing(LocalStore store, SyncApi api, Replica replica, ReportFieldValues values, Retrying retrying,
            Backoff backoff, RandomGenerator random, Clock clock, JsonMapper json, Supplier<ObjectNode> envelope,
            int batchSize) {
        this.store = store;
        this.api = api;
        this.answers = new RecordingAnswers(store, values, replica);
        this.operations = new FrozenOperations(store, json);
        this.retrying = retrying;
        this.backoff = backoff;
        this.random = random;
        this.clock = clock;
        this.envelope = envelope;
        this.batchSize = batchSize;
    }

    public void pushAll(SyncTally tally) {
        Set<Long> postponed = new HashSet<>();
        for (int round = 0; round < MAX_ROUNDS; round++) {
            List<OutboxEntry> batch = store.outbox().sendable(clock.instant(), postponed, batchSize);
            if (batch.isEmpty()) {
                return;
            }
            send(batch, tally, postponed);
        }
    }

    private void send(List<OutboxEntry> listed, SyncTally tally, Set<Long> postponed) {
        FrozenOperations.Prepared prepared = operations.prepared(listed);
        List<OutboxEntry> batch = prepared.entries();
        if (batch.isEmpty()) {
            return;
        }
        ObjectNode request = envelope.get();
        request.set("operations", prepared.operations());
        PushResponse response;
        try {
            response = retrying.call(() -> api.push(request));
        } catch (RequestFailed failure) {
            if (!attributableToOperations(failure)) {
                throw failure;
            }
            if (batch.size() > 1) {
                int half = batch.size() / 2;
                send(batch.subList(0, half), tally, postponed);
                send(batch.subList(half, batch.size()), tally, postponed);
                return;
            }
            OutboxEntry entry = batch.getFirst();
            if (refusedForGood(failure)) {
                store.inTransaction(() -> {
                    store.outbox().remove(entry.seq());
                    answers.rejected(entry, failure.status(), failure.problem().type(), failure.problem().describe());
                });
                tally.rejected++;
            } else {
                postpone(entry, failure.describe());
                postponed.add(entry.seq());
                tally.postponedChanges.add(entry.seq());
            }
            return;
        }
        acknowledge(batch, response, tally, postponed);
    }

    private void acknowledge(List<OutboxEntry> batch, PushResponse response, SyncTally tally, Set<Long> postponed) {
        Map<UUID, OperationResult> results = new HashMap<>();
        for (OperationResult result : response.results() == null ? List.<OperationResult>of() : response.results()) {
            if (result != null && result.operationId() != null && result.outcome() != null) {
                results.put(result.operationId(), result);
            }
        }
        List<OutboxEntry> unanswered = new ArrayList<>();
        store.inTransaction(() -> {
            for (OutboxEntry entry : batch) {
                OperationResult result = results.get(entry.operationId());
                if (result == null) {
                    unanswered.add(entry);
                    continue;
                }
                if (store.outbox().find(entry.operationId()).isEmpty()) {
                    continue;
                }
                store.outbox().remove(entry.seq());
                switch (result.outcome()) {
                    case APPLIED -> {
                        answers.accepted(entry, result);
                        tally.applied++;
                    }
                    case CONFLICT -> {
                        answers.accepted(entry, result);
                        tally.conflicted++;
                    }
                    case REJECTED -> {
                        answers.rejected(entry, result.status(), result.problemType(),
                                result.detail() == null ? "Refused by the server." : result.detail());
                        tally.rejected++;
                    }
                }
            }
        });
        for (OutboxEntry entry : unanswered) {
            postpone(entry, "The server's answer did not include this change.");
            postponed.add(entry.seq());
            tally.postponedChanges.add(entry.seq());
        }
    }

    private void postpone(OutboxEntry listed, String error) {
        store.inTransaction(() -> store.outbox().find(listed.operationId()).ifPresent(entry ->
                store.outbox().postpone(entry.seq(),
                        clock.instant().plus(backoff.delay(Math.max(entry.attempts() - 1, 0), random)), error)));
    }

    /**
     * Whether one of the batch's changes may have caused the failure: a broken exchange, a server error
     * other than "busy", or an answer refusing the request's content.
     */
    private static boolean attributableToOperations(RequestFailed failure) {
        return switch (failure.kind()) {
            case UNREACHABLE -> false;
            case INTERRUPTED -> true;
            case ANSWERED -> !failure.serverBusy() && (failure.status() >= 500
                    || failure.status() == 400 || failure.status() == 413 || failure.status() == 422);
        };
    }

    /**
     * Whether a batch of one change failed because of that change, for good: too large, or invalid with
     * every field error inside the operations.
     */
    private static boolean refusedForGood(RequestFailed failure) {
        if (failure.kind() != RequestFailed.Kind.ANSWERED) {
            return false;
        }
        if (failure.status() == 413) {
            return true;
        }
        List<String> fields = failure.problem().errorFields();
        return (failure.status() == 400 || failure.status() == 422) && !fields.isEmpty()
                && fields.stream().allMatch(field -> field.startsWith("operations"));
    }
}
