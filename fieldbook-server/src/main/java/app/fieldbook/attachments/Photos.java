package app.fieldbook.attachments;

import app.fieldbook.identity.Actor;
import app.fieldbook.protocol.Photo;
import java.io.IOException;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Service;

/** What other modules (offline sync) may do with photos, always as a person and within their scope. */
@Service
public class Photos {

    private final AttachingPhotos attaching;

    Photos(AttachingPhotos attaching) {
        this.attaching = attaching;
    }

    /**
     * Records a photo announced by a device before its content: pending until {@link #receive} gets it.
     *
     * Only the caller, from {@code deviceId}, may then send its content ({@link #uploadable}).
     *
     * @throws app.fieldbook.RejectedRequest 422 for a SHA-256 that is not 64 lower-case hexadecimal digits or a
     *     size below one byte, 404 outside the caller's scope, 403 unless the caller wrote the report, 409 unless
     *     the report is editable or if the id belongs to another photo, 413 over the limit
     */
    public Photo announce(UUID photoId, UUID reportId, String sha256, long size, String caption,
            OffsetDateTime takenAt, Double latitude, Double longitude, UUID deviceId, Actor actor) {
        return attaching.announce(photoId, reportId,
                new AttachingPhotos.Details(photoId, caption, takenAt, latitude, longitude), sha256, size, deviceId,
                actor).toWire();
    }

    /**
     * The photo if the caller may send its content from {@code deviceId}: the person who announced it, from
     * the device that announced it. Checked before a byte of the content is taken.
     *
     * @throws app.fieldbook.RejectedRequest 404 outside the caller's scope, 403 {@code not-uploader} otherwise
     */
    public Photo uploadable(UUID photoId, UUID deviceId, Actor actor) {
        return attaching.uploadable(photoId, deviceId, actor).toWire();
    }

    /**
     * Takes the complete content of a pending photo from a file, checking it against the announced
     * SHA-256 and inspecting it as an upload is (its type, its whole container, its declared pixels).
     * Returns once the content is durable and the photo is stored.
     *
     * @throws app.fieldbook.RejectedRequest 422 {@code hash-mismatch}, {@code malformed-photo} or
     *     {@code too-many-pixels}, or 415 {@code unsupported-photo-type}; the file is then deleted and the photo
     *     stays pending
     */
    public Photo receive(UUID photoId, Path content, Actor actor) throws IOException {
        return attaching.receive(photoId, content, actor).toWire();
    }

    /** The photo if the person may read its report. */
    public Photo readable(UUID photoId, Actor actor) {
        return attaching.readable(photoId, actor).toWire();
    }

    /** The photos among {@code ids} whose reports the person may read. */
    public List<Photo> findVisible(Collection<UUID> ids, Actor actor) {
        return attaching.visible(ids, actor).stream().map(ReportPhoto::toWire).toList();
    }

    /**
     * Writes the caption of a photo of the caller's editable report (blank clears it), based on {@code version}.
     *
     * @throws app.fieldbook.RejectedRequest as {@link AttachingPhotos#recaption} says: 422 for a caption too long,
     *     404, 403, 409 (the report not editable, or the version stale)
     */
    public Photo recaption(UUID photoId, String caption, long version, Actor actor) {
        return attaching.recaption(photoId, caption, version, actor).toWire();
    }

    /** Removes a photo of the caller's editable report. */
    public void remove(UUID photoId, long version, Actor actor) {
        attaching.remove(photoId, version, actor);
    }

    /** Whether a photo with this id exists and still waits for its content (for housekeeping, unscoped). */
    public boolean awaitsContent(UUID photoId) {
        return attaching.awaitsContent(photoId);
    }

    /** How many photos announced from this device still wait for their content (for housekeeping, unscoped). */
    public int awaitingContentFrom(UUID deviceId) {
        return attaching.awaitingContentFrom(deviceId);
    }

    /** The largest photo accepted, in bytes. */
    public long maxBytes() {
        return attaching.settingsMaxBytes();
    }
}
