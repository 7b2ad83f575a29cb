package app.fieldbook.client.store;

import app.fieldbook.protocol.Conflict;
import app.fieldbook.protocol.ConflictState;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/** Conflicts as last pulled or fetched: both values of a field two people changed. */
public final class Conflicts {

    private final LocalStore store;

    Conflicts(LocalStore store) {
        this.store = store;
    }

    public void save(Conflict conflict) {
        store.inTransaction(() -> store.update("""
                INSERT INTO conflict (id, entity_id, site_id, state, conflict_json) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET entity_id = excluded.entity_id, site_id = excluded.site_id,
                    state = excluded.state, conflict_json = excluded.conflict_json""",
                conflict.id(), conflict.entityId(), conflict.siteId(),
                conflict.state() == null ? ConflictState.OPEN : conflict.state(),
                store.json().writeValueAsString(conflict)));
    }

    /** The open conflicts, in the order they arose. */
    public List<Conflict> open() {
        return store.inTransaction(() -> store.query("SELECT conflict_json FROM conflict WHERE state = 'OPEN'",
                row -> store.json().readValue(row.getString(1), Conflict.class))).stream()
                .sorted(Comparator.comparing(Conflict::clientChangedAt,
                        Comparator.nullsLast(Comparator.naturalOrder())))
                .toList();
    }

    public void remove(UUID id) {
        store.inTransaction(() -> store.update("DELETE FROM conflict WHERE id = ?", id));
    }

    public void removeOfEntity(UUID entityId) {
        store.inTransaction(() -> store.update("DELETE FROM conflict WHERE entity_id = ?", entityId));
    }

    public void removeOfSite(UUID siteId) {
        store.inTransaction(() -> store.update("DELETE FROM conflict WHERE site_id = ?", siteId));
    }
}
