package app.fieldbook.client.store;

import app.fieldbook.client.PhotoUpload.State;
import app.fieldbook.protocol.PhotoReceipt;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The photos whose content waits on this device for upload, and what became of them. */
public final class PhotoUploads {

    private final LocalStore store;

    PhotoUploads(LocalStore store) {
        this.store = store;
    }

    public void add(StoredUpload upload) {
        store.inTransaction(() -> store.update("""
                INSERT INTO photo_upload (photo_id, report_id, sha256, size, file, uploaded, state, attached_at)
                VALUES (?, ?, ?, ?, ?, 0, ?, ?)""", upload.photoId(), upload.reportId(), upload.sha256(), upload.size(),
                upload.file(), State.WAITING, upload.attachedAt()));
    }

    public Optional<StoredUpload> find(UUID photoId) {
        return store.inTransaction(() -> store.queryOne("SELECT * FROM photo_upload WHERE photo_id = ?", this::read,
                photoId));
    }

    /** Every upload, oldest first. */
    public List<StoredUpload> all() {
        return store.inTransaction(() -> store.query("SELECT * FROM photo_upload ORDER BY attached_at, photo_id",
                this::read));
    }

    public List<StoredUpload> ofReport(UUID reportId) {
        return store.inTransaction(() -> store.query("SELECT * FROM photo_upload WHERE report_id = ?", this::read,
                reportId));
    }

    /**
     * The uploads to do now, oldest first: waiting, not postponed past {@code now}, and whose photo's
     * creation the server has acknowledged (no change of the photo left in the outbox).
     */
    public List<StoredUpload> due(Instant now) {
        return store.inTransaction(() -> store.query("""
                SELECT * FROM photo_upload u
                WHERE u.state = 'WAITING'
                  AND (u.next_attempt_at IS NULL OR u.next_attempt_at <= ?)
                  AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.entity_id = u.photo_id)
                ORDER BY u.attached_at, u.photo_id""", this::read, now));
    }

    public int count(State state) {
        return store.inTransaction(() -> (int) store.count("SELECT count(*) FROM photo_upload WHERE state = ?", state));
    }

    /** The file names of the copies the store must keep. */
    public List<String> filesKept() {
        return store.inTransaction(() -> store.query("SELECT file FROM photo_upload WHERE state <> 'UPLOADED'",
                row -> row.getString("file")));
    }

    public void progressed(UUID photoId, long uploaded) {
        store.inTransaction(() -> store.update("UPDATE photo_upload SET uploaded = ? WHERE photo_id = ?", uploaded,
                photoId));
    }

    /** Keeps the upload for a later attempt, not before {@code nextAttemptAt}. */
    public void postpone(UUID photoId, Instant nextAttemptAt, String error) {
        store.inTransaction(() -> store.update("""
                UPDATE photo_upload SET attempts = attempts + 1, next_attempt_at = ?, last_error = ?
                WHERE photo_id = ?""", nextAttemptAt, error, photoId));
    }

    /** Gives {@code error} as the reason to every waiting upload that has none of its own. */
    public void explainWaiting(String error) {
        store.inTransaction(() -> store.update(
                "UPDATE photo_upload SET last_error = ? WHERE state = 'WAITING' AND last_error IS NULL", error));
    }

    /** Makes postponed uploads due at once again, keeping their last error. */
    public void release(Collection<UUID> photoIds) {
        store.inTransaction(() -> {
            for (UUID photoId : photoIds) {
                store.update("UPDATE photo_upload SET next_attempt_at = NULL WHERE photo_id = ? AND state = 'WAITING'",
                        photoId);
            }
        });
    }

    /** Takes the upload out of the queue for good; the copy stays until discarded. */
    public void fail(UUID photoId, String error) {
        store.inTransaction(() -> store.update("""
                UPDATE photo_upload SET state = 'FAILED', last_error = ?, next_attempt_at = NULL
                WHERE photo_id = ? AND state = 'WAITING'""", error, photoId));
    }

    /** Records the server's receipt: the upload is done and the copy may go. */
    public void uploaded(UUID photoId, PhotoReceipt receipt) {
        store.inTransaction(() -> store.update("""
                UPDATE photo_upload SET state = 'UPLOADED', uploaded = size, receipt_json = ?, last_error = NULL,
                    next_attempt_at = NULL
                WHERE photo_id = ?""", store.json().writeValueAsString(receipt), photoId));
    }

    public void remove(UUID photoId) {
        store.inTransaction(() -> store.update("DELETE FROM photo_upload WHERE photo_id = ?", photoId));
    }

    public void rekey(UUID from, UUID to) {
        store.inTransaction(() -> store.update("UPDATE photo_upload SET photo_id = ? WHERE photo_id = ?", to, from));
    }

    public void moveToReport(UUID fromReport, UUID toReport) {
        store.inTransaction(() -> store.update("UPDATE photo_upload SET report_id = ? WHERE report_id = ?", toReport,
                fromReport));
    }

    private StoredUpload read(ResultSet row) throws SQLException {
        String receipt = row.getString("receipt_json");
        return new StoredUpload(
                Columns.uuid(row, "photo_id"),
                Columns.uuid(row, "report_id"),
                row.getString("sha256"),
                row.getLong("size"),
                row.getString("file"),
                row.getLong("uploaded"),
                receipt == null ? null : store.json().readValue(receipt, PhotoReceipt.class),
                State.valueOf(row.getString("state")),
                row.getInt("attempts"),
                Columns.instant(row, "next_attempt_at"),
                row.getString("last_error"),
                Columns.time(row, "attached_at"));
    }
}
