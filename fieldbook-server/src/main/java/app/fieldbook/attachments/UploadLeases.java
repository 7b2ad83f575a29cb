package app.fieldbook.attachments;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The cluster-wide lock of a photo's resumable upload (ADR 0029), in table {@code upload_leases}: whoever holds a
 * photo's lease, on whichever node, is the only one appending to its partial upload. A lease is taken by one
 * atomic statement, so two nodes never both get it; it lasts {@code fieldbook.attachments.upload-lease} unless
 * renewed, so that a node that died holding one blocks its photo only that long. Each statement commits on its
 * own: no transaction or connection is held while a chunk's bytes arrive.
 */
@Repository
class UploadLeases {

    /** A lease held: the photo and the holder's token, which only this holder knows. */
    record Lease(UUID photoId, UUID holder) {
    }

    private final JdbcClient jdbc;
    private final Clock clock;
    private final Duration length;

    UploadLeases(JdbcClient jdbc, Clock clock, AttachmentSettings settings) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.length = settings.uploadLease();
    }

    /** The lease of the photo if nobody holds it now (or the holder's ran out); null otherwise. */
    Lease take(UUID photoId) {
        UUID holder = UUID.randomUUID();
        OffsetDateTime now = OffsetDateTime.now(clock);
        int taken = jdbc.sql("""
                UPDATE upload_leases SET holder = :holder, held_until = :until
                 WHERE photo_id = :photoId AND held_until < :now""")
                .param("holder", holder.toString()).param("until", now.plus(length)).param("photoId", photoId)
                .param("now", now).update();
        if (taken == 0) {
            try {
                taken = jdbc.sql("""
                        INSERT INTO upload_leases (photo_id, holder, held_until)
                        VALUES (:photoId, :holder, :until)""")
                        .param("photoId", photoId).param("holder", holder.toString())
                        .param("until", now.plus(length)).update();
            } catch (DuplicateKeyException takenMeanwhile) {
                return null;
            }
        }
        return taken == 1 ? new Lease(photoId, holder) : null;
    }

    /**
     * Waits at most {@code wait} for the photo's lease, asking every tenth of a second; null if it did not come
     * free in time (or the wait was interrupted).
     */
    Lease take(UUID photoId, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        Lease lease = take(photoId);
        while (lease == null && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
            lease = take(photoId);
        }
        return lease;
    }

    /** Extends the lease by its length from now; false if it was lost (it ran out and another took it). */
    boolean renew(Lease lease) {
        return jdbc.sql("""
                UPDATE upload_leases SET held_until = :until WHERE photo_id = :photoId AND holder = :holder""")
                .param("until", OffsetDateTime.now(clock).plus(length)).param("photoId", lease.photoId())
                .param("holder", lease.holder().toString()).update() == 1;
    }

    /** Gives the lease back; nothing happens if it was lost meanwhile. */
    void giveBack(Lease lease) {
        jdbc.sql("DELETE FROM upload_leases WHERE photo_id = :photoId AND holder = :holder")
                .param("photoId", lease.photoId()).param("holder", lease.holder().toString()).update();
    }

    /** How long a lease lasts unless renewed. */
    Duration length() {
        return length;
    }
}
