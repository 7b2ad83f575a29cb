package app.fieldbook.sync.push;

import app.fieldbook.InsertsAtCommit;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The operations already applied, with the result each got, in table {@code sync_operations}. */
@Repository
class SyncOperations {

    /** What was recorded for an operation id: the hash of its body and its result as JSON. */
    record Recorded(String bodyHash, String result) {
    }

    private final JdbcClient jdbc;
    private final InsertsAtCommit inserts;
    private final Clock clock;

    SyncOperations(JdbcClient jdbc, InsertsAtCommit inserts, Clock clock) {
        this.jdbc = jdbc;
        this.inserts = inserts;
        this.clock = clock;
    }

    Optional<Recorded> find(UUID operationId) {
        return jdbc.sql("SELECT body_hash, result FROM sync_operations WHERE operation_id = ?").param(operationId)
                .query((rs, n) -> new Recorded(rs.getString(1), rs.getString(2))).optional();
    }

    /** The server's id of a record a device created under another id, if it did. */
    Optional<UUID> aliasOf(UUID deviceId) {
        return jdbc.sql("SELECT entity_id FROM sync_aliases WHERE alias_id = ?").param(deviceId).query(UUID.class)
                .optional();
    }

    void alias(UUID deviceId, UUID serverId) {
        if (aliasOf(deviceId).isEmpty()) {
            jdbc.sql("INSERT INTO sync_aliases (alias_id, entity_id) VALUES (?, ?)").params(deviceId, serverId).update();
        }
    }

    /**
     * Records the result, written when the transaction commits: the commit fails with a duplicate key if
     * the operation was recorded meanwhile, and the transaction's work is rolled back with it.
     */
    void record(UUID operationId, UUID deviceId, UUID userId, String bodyHash, String result) {
        inserts.add("INSERT INTO sync_operations (operation_id, device_id, user_id, body_hash, result, applied_at) "
                + "VALUES (?, ?, ?, ?, ?, ?)", operationId, deviceId, userId, bodyHash, result,
                OffsetDateTime.now(clock));
    }
}
