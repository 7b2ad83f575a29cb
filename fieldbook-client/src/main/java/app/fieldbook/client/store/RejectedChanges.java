package app.fieldbook.client.store;

import app.fieldbook.protocol.OperationKind;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import tools.jackson.databind.node.ObjectNode;

/** The changes the server refused for good, until the person dismisses them. */
public final class RejectedChanges {

    private final LocalStore store;

    RejectedChanges(LocalStore store) {
        this.store = store;
    }

    public void add(StoredRejection rejection) {
        store.inTransaction(() -> store.update("""
                INSERT INTO rejected_change (operation_id, entity, entity_id, kind, changes_json, made_at, status,
                                             problem_type, detail, rejected_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (operation_id) DO NOTHING""",
                rejection.operationId(), rejection.entity(), rejection.entityId(), rejection.kind(),
                rejection.changes(), rejection.madeAt(), rejection.status(), rejection.problemType(),
                rejection.detail(), rejection.rejectedAt()));
    }

    /** Every kept refusal, the latest first. */
    public List<StoredRejection> all() {
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

    private StoredRejection read(ResultSet row) throws SQLException {
        return new StoredRejection(
                Columns.uuid(row, "operation_id"),
                row.getString("entity"),
                Columns.uuid(row, "entity_id"),
                OperationKind.valueOf(row.getString("kind")),
                (ObjectNode) store.json().readTree(row.getString("changes_json")),
                Columns.time(row, "made_at"),
                row.getInt("status"),
                row.getString("problem_type"),
                row.getString("detail"),
                Columns.time(row, "rejected_at"));
    }
}
