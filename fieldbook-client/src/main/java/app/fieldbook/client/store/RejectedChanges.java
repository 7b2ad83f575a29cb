package app.fieldbook.client.store;

import app.fieldbook.client.RejectedChange;
import app.fieldbook.protocol.OperationKind;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.core.type.TypeReference;

/** The changes the server refused for good, until the person dismisses them. */
public final class RejectedChanges {

    private final LocalStore store;

    RejectedChanges(LocalStore store) {
        this.store = store;
    }

    /** Keeps the waiting change {@code entry} as refused with this status, problem type and detail. */
    public void add(OutboxEntry entry, int status, String problemType, String detail, OffsetDateTime rejectedAt) {
        store.inTransaction(() -> store.update("""
                INSERT INTO rejected_change (operation_id, entity, entity_id, kind, changes_json, made_at, status,
                                             problem_type, detail, rejected_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (operation_id) DO NOTHING""",
                entry.operationId(), entry.entity(), entry.entityId(), entry.kind(), entry.changes(), entry.madeAt(),
                status, problemType, detail, rejectedAt));
    }

    /** Every kept refusal, the latest first. */
    public List<RejectedChange> all() {
        return store.inTransaction(() -> store.query("SELECT * FROM rejected_change ORDER BY rejected_at DESC",
                this::read));
    }

    public int count() {
        return store.inTransaction(() -> (int) store.count("SELECT count(*) FROM rejected_change"));
    }

    public boolean dismiss(UUID operationId) {
        return store.inTransaction(() -> store.update("DELETE FROM rejected_change WHERE operation_id = ?",
                operationId) > 0);
    }

    private RejectedChange read(ResultSet row) throws SQLException {
        return new RejectedChange(
                Columns.uuid(row, "operation_id"),
                row.getString("entity"),
                Columns.uuid(row, "entity_id"),
                OperationKind.valueOf(row.getString("kind")),
                store.json().readValue(row.getString("changes_json"), new TypeReference<Map<String, Object>>() {
                }),
                Columns.time(row, "made_at"),
                row.getInt("status"),
                row.getString("problem_type"),
                row.getString("detail"),
                Columns.time(row, "rejected_at"));
    }
}
