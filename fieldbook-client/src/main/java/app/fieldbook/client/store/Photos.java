package app.fieldbook.client.store;

import app.fieldbook.protocol.Photo;
import app.fieldbook.protocol.PhotoReceipt;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The photos' metadata on this device (their content is on the server, or waiting in {@link PhotoUploads}). */
public final class Photos {

    private final LocalStore store;

    Photos(LocalStore store) {
        this.store = store;
    }

    public Optional<StoredPhoto> find(UUID id) {
        return store.inTransaction(() -> store.queryOne("SELECT * FROM photo WHERE id = ?", this::read, id));
    }

    /** Every photo on the device, those of a report together. */
    public List<StoredPhoto> all() {
        return store.inTransaction(() -> store.query("SELECT * FROM photo ORDER BY report_id, id", this::read));
    }

    public List<StoredPhoto> ofReport(UUID reportId) {
        return store.inTransaction(() -> store.query("SELECT * FROM photo WHERE report_id = ? ORDER BY id", this::read,
                reportId));
    }

    public void save(StoredPhoto stored) {
        Photo photo = stored.photo();
        store.inTransaction(() -> store.update("""
                INSERT INTO photo (id, report_id, photo_json, version, server_json, receipt_json)
                VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET report_id = excluded.report_id, photo_json = excluded.photo_json,
                    version = excluded.version, server_json = excluded.server_json,
                    receipt_json = excluded.receipt_json""",
                photo.id(), photo.reportId(), store.json().writeValueAsString(photo), photo.version(),
                stored.serverCopy() == null ? null : store.json().writeValueAsString(stored.serverCopy()),
                stored.receipt() == null ? null : store.json().writeValueAsString(stored.receipt())));
    }

    public void remove(UUID id) {
        store.inTransaction(() -> store.update("DELETE FROM photo WHERE id = ?", id));
    }

    public void rekey(UUID from, UUID to) {
        store.inTransaction(() -> {
            StoredPhoto stored = find(from).orElseThrow();
            remove(from);
            Photo photo = stored.photo();
            save(new StoredPhoto(new Photo(to, photo.reportId(), photo.sha256(), photo.contentType(), photo.sizeBytes(),
                    photo.caption(), photo.takenAt(), photo.latitude(), photo.longitude(), photo.thumbnail(),
                    photo.version(), photo.createdAt(), photo.pending()), stored.serverCopy(), stored.receipt()));
        });
    }

    private StoredPhoto read(ResultSet row) throws SQLException {
        String server = row.getString("server_json");
        String receipt = row.getString("receipt_json");
        return new StoredPhoto(
                store.json().readValue(row.getString("photo_json"), Photo.class),
                server == null ? null : store.json().readValue(server, Photo.class),
                receipt == null ? null : store.json().readValue(receipt, PhotoReceipt.class));
    }
}
