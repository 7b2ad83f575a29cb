package app.fieldbook.client.store;

import app.fieldbook.protocol.Report;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import tools.jackson.databind.node.ObjectNode;

/** The daily reports on this device: pulled from the server, created here, or both. */
public final class Reports {

    private final LocalStore store;

    Reports(LocalStore store) {
        this.store = store;
    }

    public Optional<StoredReport> find(UUID id) {
        return store.inTransaction(() -> store.queryOne("SELECT * FROM report WHERE id = ?", this::read, id));
    }

    /**
     * Every report in the order of the server's list: newest day first, then by site and by author, both descending
     * (the ids' text, lower-case hexadecimal, sorts as PostgreSQL sorts the ids' bytes); a report without an author
     * last in its day and site, then by id.
     */
    public List<StoredReport> all() {
        return store.inTransaction(() -> store.query(
                "SELECT * FROM report ORDER BY report_date DESC, site_id DESC, author_id DESC, id", this::read));
    }

    public List<StoredReport> ofSite(UUID siteId) {
        return store.inTransaction(() -> store.query("SELECT * FROM report WHERE site_id = ?", this::read, siteId));
    }

    /** The reports of a site and day not deleted on the device. */
    public List<StoredReport> of(UUID siteId, LocalDate date) {
        return store.inTransaction(() -> store.query(
                "SELECT * FROM report WHERE site_id = ? AND report_date = ? AND deleted = 0", this::read, siteId, date));
    }

    /** Sites this device holds reports of. */
    public List<UUID> siteIds() {
        return store.inTransaction(() -> store.query("SELECT DISTINCT site_id FROM report",
                row -> Columns.uuid(row, "site_id")));
    }

    public void save(StoredReport report) {
        store.inTransaction(() -> store.update("""
                INSERT INTO report (id, site_id, report_date, author_id, fields_json, base_json, version, server_json,
                                    deleted, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET site_id = excluded.site_id, report_date = excluded.report_date,
                    author_id = excluded.author_id, fields_json = excluded.fields_json, base_json = excluded.base_json,
                    version = excluded.version, server_json = excluded.server_json, deleted = excluded.deleted,
                    updated_at = excluded.updated_at""",
                report.id(), report.siteId(), report.date(), report.authorId(), report.fields(), report.base(),
                report.version(), report.serverCopy() == null ? null : store.json().writeValueAsString(report.serverCopy()),
                report.deleted(), report.updatedAt()));
    }

    public void remove(UUID id) {
        store.inTransaction(() -> store.update("DELETE FROM report WHERE id = ?", id));
    }

    /** Gives the report {@code from} the id {@code to}. */
    public void rekey(UUID from, UUID to) {
        store.inTransaction(() -> store.update("UPDATE report SET id = ? WHERE id = ?", to, from));
    }

    private StoredReport read(ResultSet row) throws SQLException {
        String base = row.getString("base_json");
        String server = row.getString("server_json");
        return new StoredReport(
                Columns.uuid(row, "id"),
                Columns.uuid(row, "site_id"),
                Columns.date(row, "report_date"),
                Columns.uuid(row, "author_id"),
                (ObjectNode) store.json().readTree(row.getString("fields_json")),
                base == null ? null : (ObjectNode) store.json().readTree(base),
                row.getLong("version"),
                server == null ? null : store.json().readValue(server, Report.class),
                row.getBoolean("deleted"),
                Columns.time(row, "updated_at"));
    }
}
