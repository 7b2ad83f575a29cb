package app.fieldbook.client.store;

import app.fieldbook.protocol.OperationKind;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import tools.jackson.databind.node.ObjectNode;

/**
 * The changes made on this device and not yet acknowledged by the server, in the order they were made.
 * A row leaves only in the transaction that records the server's answer to it.
 */
public final class Outbox {

    private final LocalStore store;

    Outbox(LocalStore store) {
        this.store = store;
    }

    /** Appends a change at the end of the outbox. */
    public OutboxEntry append(UUID operationId, String entity, UUID entityId, OperationKind kind, ObjectNode changes,
            UUID dependsOn, OffsetDateTime madeAt) {
        return store.inTransaction(() -> {
            store.update("""
                    INSERT INTO outbox (operation_id, entity, entity_id, kind, changes_json, depends_on, made_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)""", operationId, entity, entityId, kind, changes, dependsOn, madeAt);
            return find(operationId).orElseThrow();
        });
    }

    public Optional<OutboxEntry> find(UUID operationId) {
        return store.inTransaction(() -> store.queryOne("SELECT * FROM outbox WHERE operation_id = ?", this::read,
                operationId));
    }

    /** Every waiting change, oldest first. */
    public List<OutboxEntry> all() {
        return store.inTransaction(() -> store.query("SELECT * FROM outbox ORDER BY seq", this::read));
    }

    /** The waiting changes of one entity, in order. */
    public List<OutboxEntry> of(UUID entityId) {
        return store.inTransaction(() -> store.query("SELECT * FROM outbox WHERE entity_id = ? ORDER BY seq",
                this::read, entityId));
    }

    /** The waiting changes that wait for {@code entityId} (photos of a report). */
    public List<OutboxEntry> dependingOn(UUID entityId) {
        return store.inTransaction(() -> store.query("SELECT * FROM outbox WHERE depends_on = ? ORDER BY seq",
                this::read, entityId));
    }

    public boolean hasPending(UUID entityId) {
        return store.inTransaction(() -> store.count("SELECT count(*) FROM outbox WHERE entity_id = ?", entityId) > 0);
    }

    /**
     * The changes that may be sent now, in outbox order, at most {@code limit}: for each entity only its
     * first waiting change, not one that waits for a retry time after {@code now}, not one whose
     * {@code dependsOn} entity still has an earlier change waiting (a photo waits for its report's
     * creation), and not one of an entity that an earlier waiting change depends on (a report's submit
     * waits for the photos attached before it, which a submitted report would refuse).
     */
    public List<OutboxEntry> sendable(Instant now, Collection<Long> excluded, int limit) {
        return store.inTransaction(() -> store.query("""
                SELECT * FROM outbox o
                WHERE (o.next_attempt_at IS NULL OR o.next_attempt_at <= ?)
                  AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.entity_id = o.entity_id AND e.seq < o.seq)
                  AND (o.depends_on IS NULL
                       OR NOT EXISTS (SELECT 1 FROM outbox d WHERE d.entity_id = o.depends_on AND d.seq < o.seq))
                  AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.depends_on = o.entity_id AND p.seq < o.seq)
                ORDER BY o.seq""", this::read, now).stream()
                .filter(entry -> !excluded.contains(entry.seq()))
                .limit(limit)
                .toList());
    }

    /** Records that the change is being sent: freezes its body on the first send and counts the attempt. */
    public void sending(long seq, String operationJson) {
        store.inTransaction(() -> store.update("""
                UPDATE outbox SET sent_json = coalesce(sent_json, ?), attempts = attempts + 1, last_error = NULL
                WHERE seq = ?""", operationJson, seq));
    }

    /** Keeps the change for a later attempt, not before {@code nextAttemptAt}. */
    public void postpone(long seq, Instant nextAttemptAt, String error) {
        store.inTransaction(() -> store.update("UPDATE outbox SET next_attempt_at = ?, last_error = ? WHERE seq = ?",
                nextAttemptAt, error, seq));
    }

    /** Gives {@code error} as the reason to every waiting change that has none of its own. */
    public void explainWaiting(String error) {
        store.inTransaction(() -> store.update("UPDATE outbox SET last_error = ? WHERE last_error IS NULL", error));
    }

    /** Makes postponed changes due at once again, keeping their last error. */
    public void release(Collection<Long> seqs) {
        store.inTransaction(() -> {
            for (long seq : seqs) {
                store.update("UPDATE outbox SET next_attempt_at = NULL WHERE seq = ?", seq);
            }
        });
    }

    public void remove(long seq) {
        store.inTransaction(() -> store.update("DELETE FROM outbox WHERE seq = ?", seq));
    }

    /** Replaces the fields of a change that was never sent. */
    public void replaceChanges(long seq, ObjectNode changes) {
        store.inTransaction(() -> {
            if (store.update("UPDATE outbox SET changes_json = ? WHERE seq = ? AND sent_json IS NULL", changes, seq) == 0) {
                throw new IllegalStateException("Outbox entry " + seq + " was sent and cannot change");
            }
        });
    }

    /** Gives the changes of {@code from} (and those waiting for it) to the entity {@code to}. */
    public void rekey(UUID from, UUID to) {
        store.inTransaction(() -> {
            store.update("UPDATE outbox SET entity_id = ? WHERE entity_id = ?", to, from);
            store.update("UPDATE outbox SET depends_on = ? WHERE depends_on = ?", to, from);
        });
    }

    public int count() {
        return store.inTransaction(() -> (int) store.count("SELECT count(*) FROM outbox"));
    }

    /** When the oldest waiting change was made. */
    public Optional<OffsetDateTime> oldestMadeAt() {
        return store.inTransaction(() -> store.queryOne("SELECT made_at FROM outbox ORDER BY seq LIMIT 1",
                row -> Columns.time(row, "made_at")));
    }

    /** The earliest retry time of a postponed change, if any waits for one. */
    Optional<Instant> nextAttemptAt() {
        return store.inTransaction(() -> store.queryOne(
                "SELECT min(next_attempt_at) AS next_attempt_at FROM outbox WHERE next_attempt_at IS NOT NULL",
                row -> Columns.instant(row, "next_attempt_at")));
    }

    private OutboxEntry read(ResultSet row) throws SQLException {
        return new OutboxEntry(
                row.getLong("seq"),
                Columns.uuid(row, "operation_id"),
                row.getString("entity"),
                Columns.uuid(row, "entity_id"),
                OperationKind.valueOf(row.getString("kind")),
                (ObjectNode) store.json().readTree(row.getString("changes_json")),
                Columns.uuid(row, "depends_on"),
                Columns.time(row, "made_at"),
                row.getString("sent_json"),
                row.getInt("attempts"),
                Columns.instant(row, "next_attempt_at"),
                row.getString("last_error"));
    }
}
