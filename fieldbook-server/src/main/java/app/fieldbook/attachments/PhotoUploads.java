package app.fieldbook.attachments;

import app.fieldbook.RejectedRequest;
import app.fieldbook.identity.Actor;
import app.fieldbook.protocol.Photo;
import app.fieldbook.protocol.PhotoReceipt;
import app.fieldbook.protocol.UploadStart;
import app.fieldbook.protocol.UploadState;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * Resumable uploads of announced photos (tus-style): the device asks where the upload stands, sends
 * the bytes from that offset on, possibly over many requests and connections, and to any node of the cluster,
 * and gets a receipt once the server has checked the whole content against the announced SHA-256 and stored
 * it. Each received chunk is durable before its new offset is answered, so an acknowledged byte is never lost.
 * Only the person and device that announced a photo send its content; anyone else is refused before a
 * byte is written, and a refused chunk leaves the partial upload as it was. Complete content that the
 * photo's checks refuse is deleted, and the upload starts again from offset 0. The sync protocol serves it
 * ({@code /api/v1/sync/uploads}). The partial uploads are where every node reaches them ({@link PartialUploads}),
 * and a chunk is appended holding its photo's cluster-wide lease ({@link UploadLeases}, ADR 0029).
 */
@Service
public class PhotoUploads {

    private static final Duration BUSY_WAIT = Duration.ofSeconds(5);

    private final Photos photos;
    private final PartialUploads partials;
    private final UploadLeases leases;
    private final AttachmentSettings settings;
    private final Clock clock;
    private final UploadAdmission admission;

    PhotoUploads(Photos photos, AttachmentSettings settings, Clock clock, UploadAdmission admission,
            PartialUploads partials, UploadLeases leases) {
        this.photos = photos;
        this.admission = admission;
        this.partials = partials;
        this.leases = leases;
        this.settings = settings;
        this.clock = clock;
    }

    public UploadState start(UploadStart start, UUID deviceId, Actor actor) throws IOException {
        Photo photo = photos.uploadable(start.photoId(), deviceId, actor);
        if (!photo.sha256().equals(start.sha256()) || photo.sizeBytes() != start.size()) {
            throw new RejectedRequest(HttpStatus.CONFLICT, "upload-mismatch", "Not the announced photo",
                    "The photo was announced with another SHA-256 or size.");
        }
        return state(photo);
    }

    public UploadState state(UUID photoId, Actor actor) throws IOException {
        return state(photos.readable(photoId, actor));
    }

    /**
     * Appends a chunk at {@code offset}, and stores the photo once its content is complete. Chunks of one
     * photo are taken one at a time in the whole cluster; uploads of different photos do not wait for each other,
     * however slowly their bytes arrive. A chunk that finds another request of its photo still receiving, on this
     * node or another (a duplicate, or a connection that died and has not timed out yet), waits a few seconds,
     * then answers 409 with the bytes the server has so far, and the device asks again. A chunk whose declared
     * {@code length} (-1 when unknown) goes past the announced size is refused before it is read.
     */
    public UploadState append(UUID photoId, UUID deviceId, long offset, long length, InputStream body, Actor actor)
            throws IOException {
        Photo photo = photos.uploadable(photoId, deviceId, actor);
        if (!photo.pending()) {
            return state(photo);
        }
        UploadLeases.Lease lease = leases.take(photoId, BUSY_WAIT);
        if (lease == null) {
            throw busy(state(photo).offset());
        }
        try {
            return appendHolding(lease, deviceId, offset, length, body, actor);
        } finally {
            leases.giveBack(lease);
        }
    }

    private UploadState appendHolding(UploadLeases.Lease lease, UUID deviceId, long offset, long length,
            InputStream body, Actor actor) throws IOException {
        UUID photoId = lease.photoId();
        // read again: a request this one waited for, on any node, may have completed the photo
        Photo photo = photos.uploadable(photoId, deviceId, actor);
        if (!photo.pending()) {
            return state(photo);
        }
        long have = partials.size(photoId);
        if (offset != have) {
            throw new RejectedRequest(HttpStatus.CONFLICT, "upload-offset", "Wrong offset",
                    "The server has " + have + " bytes of this photo; send from there.", Map.of("offset", have));
        }
        long room = photo.sizeBytes() - have;
        if (length > room) {
            throw tooLong(photo);
        }
        Renewing renewing = new Renewing(lease, have);
        boolean appended = admission.admitted(() -> partials.append(photoId, have, body, room, renewing));
        if (!appended) {
            throw tooLong(photo);
        }
        if (partials.size(photoId) < photo.sizeBytes()) {
            return state(photo);
        }
        renewing.made();
        Path content = partials.content(photoId);
        Photo stored;
        try {
            stored = photos.receive(photoId, content, actor);
        } catch (RejectedRequest refused) {
            partials.delete(photoId);
            throw refused;
        } finally {
            Files.deleteIfExists(content);
        }
        partials.delete(photoId);
        return state(stored);
    }

    /** Renews the photo's lease while a chunk's bytes arrive, at most every quarter of its length. */
    private final class Renewing implements PartialUploads.Progress {

        private final UploadLeases.Lease lease;
        private final long have;
        private long renewedAt = System.nanoTime();

        Renewing(UploadLeases.Lease lease, long have) {
            this.lease = lease;
            this.have = have;
        }

        @Override
        public void made() {
            if (System.nanoTime() - renewedAt < leases.length().toNanos() / 4) {
                return;
            }
            if (!leases.renew(lease)) {
                throw busy(have);
            }
            renewedAt = System.nanoTime();
        }
    }

    private static RejectedRequest busy(long have) {
        return new RejectedRequest(HttpStatus.CONFLICT, "upload-busy", "Upload in progress",
                "Another request is still sending this photo; the server has " + have + " bytes of it. "
                        + "Ask for the offset again shortly.", Map.of("offset", have));
    }

    private static RejectedRequest tooLong(Photo photo) {
        return new RejectedRequest(HttpStatus.CONTENT_TOO_LARGE, "upload-too-long", "More than announced",
                "The photo was announced with " + photo.sizeBytes() + " bytes.");
    }

    private UploadState state(Photo photo) throws IOException {
        if (!photo.pending()) {
            return new UploadState(photo.id(), photo.sizeBytes(), photo.sizeBytes(), new PhotoReceipt(photo.id(),
                    photo.sha256(), photo.sizeBytes(), photo.contentType(), OffsetDateTime.now(clock), photo.version()));
        }
        return new UploadState(photo.id(), partials.size(photo.id()), photo.sizeBytes(), null);
    }

    /**
     * Deletes the partial uploads nobody will complete: those of photos no longer waiting for their
     * content (stored, or removed), and those that have not grown for {@code abandoned-upload-after}. A
     * device that comes back later is told the offset is 0 and sends the photo again from its own copy,
     * which it keeps until it has a receipt. Uploads in progress on any node are left alone (their lease is
     * held). It runs hourly, once in the cluster ({@code abandoned-uploads-cleanup}, {@link UploadCleanUp});
     * should two nodes ever look at the same partial upload, they take turns by its lease, and deleting one
     * twice is harmless.
     *
     * @return how many partial uploads were deleted
     */
    public int forgetAbandoned() throws IOException {
        Instant stale = clock.instant().minus(settings.abandonedUploadAfter());
        int forgotten = 0;
        for (Map.Entry<UUID, Instant> partial : partials.lastGrown().entrySet()) {
            UUID photoId = partial.getKey();
            UploadLeases.Lease lease = leases.take(photoId);
            if (lease == null) {
                continue;
            }
            try {
                if (!photos.awaitsContent(photoId) || lastGrown(photoId).isBefore(stale)) {
                    partials.delete(photoId);
                    forgotten++;
                }
            } finally {
                leases.giveBack(lease);
            }
        }
        return forgotten;
    }

    /** When the photo's partial upload last grew, read again under its lease; long ago if it is gone. */
    private Instant lastGrown(UUID photoId) throws IOException {
        return partials.lastGrown().getOrDefault(photoId, Instant.EPOCH);
    }
}
