package app.fieldbook.client.store;

import app.fieldbook.protocol.SiteReference;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The sites the signed-in person may see, as last pulled (reference data). */
public final class Sites {

    private final LocalStore store;

    Sites(LocalStore store) {
        this.store = store;
    }

    public void save(SiteReference site) {
        store.inTransaction(() -> store.update("""
                INSERT INTO site (id, code, name, timezone) VALUES (?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET code = excluded.code, name = excluded.name, timezone = excluded.timezone""",
                site.id(), site.code(), site.name(), site.timezone()));
    }

    public List<SiteReference> all() {
        return store.inTransaction(() -> store.query("SELECT * FROM site ORDER BY code", this::read));
    }

    public Optional<SiteReference> find(UUID id) {
        return store.inTransaction(() -> store.queryOne("SELECT * FROM site WHERE id = ?", this::read, id));
    }

    /** The site with this code, ignoring case. */
    public Optional<SiteReference> withCode(String code) {
        return store.inTransaction(() -> store.queryOne("SELECT * FROM site WHERE lower(code) = lower(?)", this::read,
                code));
    }

    public void remove(UUID id) {
        store.inTransaction(() -> store.update("DELETE FROM site WHERE id = ?", id));
    }

    private SiteReference read(ResultSet row) throws SQLException {
        return new SiteReference(Columns.uuid(row, "id"), row.getString("code"), row.getString("name"),
                row.getString("timezone"));
    }
}
