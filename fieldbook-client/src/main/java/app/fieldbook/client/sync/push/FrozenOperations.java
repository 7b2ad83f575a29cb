package app.fieldbook.client.sync.push;


import app.fieldbook.client.store.LocalStore;
import app.fieldbook.client.store.OutboxEntry;
import app.fieldbook.client.store.StoredReport;
import app.fieldbook.protocol.FieldChange;
import app.fieldbook.protocol.Operation;
import app.fieldbook.protocol.OperationKind;
import app.fieldbook.protocol.SyncProtocol;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;

/**
 * The operations as they go on the wire. A change is frozen when first sent: its body (with the base
 * version and each field's base from the record's last acknowledged copy) is stored with its outbox row,
 * and every retry sends those same bytes under the same operation id, which the server answers from its
 * record. So a lost answer never makes the server apply a change twice or apply a different one.
 */
final class FrozenOperations {

    private final LocalStore store;
    private final JsonMapper json;

    FrozenOperations(LocalStore store, JsonMapper json) {
        this.store = store;
        this.json = json;
    }

    /**
     * The operations of the batch as sent: frozen bodies for those sent before, new ones frozen now. A change
     * taken out of the outbox since the batch was listed (its draft deleted, its photo removed by another thread
     * of the app) is left out, and so is its entry.
     */
    Prepared prepared(List<OutboxEntry> batch) {
        return store.inTransaction(() -> {
            ArrayNode operations = json.createArrayNode();
            List<OutboxEntry> entries = new ArrayList<>(batch.size());
            for (OutboxEntry listed : batch) {
                Optional<OutboxEntry> found = store.outbox().find(listed.operationId());
                if (found.isEmpty()) {
                    continue;
                }
                OutboxEntry entry = found.get();
                String body = entry.sent() ? entry.sentJson() : json.writeValueAsString(operation(entry));
                store.outbox().sending(entry.seq(), body);
                operations.add(json.readTree(body));
                entries.add(entry);
            }
            return new Prepared(List.copyOf(entries), operations);
        });
    }

    /** The entries still in the outbox when the batch was prepared, and their operations in the same order. */
    record Prepared(List<OutboxEntry> entries, ArrayNode operations) {
    }

    /**
     * The operation for a change about to be sent the first time: the base version and each field's base
     * come from the record's last acknowledged copy (none for a creation).
     */
    private Operation operation(OutboxEntry entry) {
        long baseVersion = 0;
        JsonNode bases = null;
        if (entry.kind() != OperationKind.CREATE && SyncProtocol.REPORT.equals(entry.entity())) {
            Optional<StoredReport> report = store.reports().find(entry.entityId());
            baseVersion = report.map(StoredReport::version).orElse(0L);
            bases = report.map(StoredReport::base).orElse(null);
        }
        if (entry.kind() != OperationKind.CREATE && SyncProtocol.PHOTO.equals(entry.entity())) {
            baseVersion = store.photos().find(entry.entityId()).map(photo -> photo.photo().version()).orElse(0L);
        }
        Map<String, FieldChange> changes = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> change : entry.changes().properties()) {
            JsonNode base = bases == null ? null : bases.get(change.getKey());
            changes.put(change.getKey(), new FieldChange(base, change.getValue()));
        }
        return new Operation(entry.operationId(), entry.entity(), entry.entityId(), entry.kind(), baseVersion, changes,
                entry.madeAt());
    }
}
