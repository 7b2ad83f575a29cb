package app.fieldbook.attachments;

import app.fieldbook.BackgroundJobs;
import app.fieldbook.RejectedRequest;
import app.fieldbook.identity.Actor;
import app.fieldbook.protocol.Photo;
import app.fieldbook.protocol.PhotoReceipt;
import app.fieldbook.protocol.UploadStart;
import app.fieldbook.protocol.UploadState;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

/**
 * Resumable uploads of announced photos (tus-style): the device asks where the upload stands, sends
 * the bytes from that offset on, possibly over many requests and connections, and gets a receipt once
 * the server has checked the whole content against the announced SHA-256 and stored it. Each received
 * chunk is forced to disk before its new offset is answered, so an acknowledged byte is never lost.
 * Only the person and device that announced a photo send its content; anyone else is refused before a
 * byte is written, and a refused chunk leaves the partial upload as it was. Complete content that the
 * photo's checks refuse is deleted, and the upload starts again from offset 0. The sync protocol serves it
 * ({@code /api/v1/sync/uploads}); partial uploads live in {@code fieldbook.attachments.upload-directory}.
 */
@Service
public class PhotoUploads {

    private static final String PARTIAL = ".part";
    private static final Duration BUSY_WAIT = Duration.ofSeconds(5);

    private final Photos photos;
    private final BackgroundJobs jobs;
    private final Path directory;
    private final AttachmentSettings settings;
    private final Clock clock;
    private final UploadAdmission admission;
    private final KeyedLocks<UUID> uploading = new KeyedLocks<>();

    PhotoUploads(Photos photos, AttachmentSettings settings, Clock clock, UploadAdmission admission,
            BackgroundJobs jobs) throws IOException {
        this.jobs = jobs;
        this.photos = photos;
        this.admission = admission;
        this.directory = settings.uploadDirectory().toAbsolutePath().normalize();
        this.settings = settings;
        this.clock = clock;
        Files.createDirectories(this.directory);
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
     * photo are taken one at a time; uploads of different photos do not wait for each other, however slowly
     * their bytes arrive. A chunk that finds another request of its photo still receiving (a duplicate, or
     * a connection that died and has not timed out yet) waits a few seconds, then answers 409 with the
     * bytes the server has so far, and the device asks again. A chunk whose declared {@code length} (-1 when
     * unknown) goes past the announced size is refused before it is read.
     */
    public UploadState append(UUID photoId, UUID deviceId, long offset, long length, InputStream body, Actor actor)
            throws IOException {
        Photo photo = photos.uploadable(photoId, deviceId, actor);
        if (!photo.pending()) {
            return state(photo);
        }
        Optional<UploadState> appended = uploading.whenFree(photoId, BUSY_WAIT,
                () -> appendAlone(photoId, deviceId, offset, length, body, actor));
        if (appended.isEmpty()) {
            long have = state(photo).offset();
            throw new RejectedRequest(HttpStatus.CONFLICT, "upload-busy", "Upload in progress",
                    "Another request is still sending this photo; the server has " + have + " bytes of it. "
                            + "Ask for the offset again shortly.", Map.of("offset", have));
        }
        return appended.get();
    }

    private UploadState appendAlone(UUID photoId, UUID deviceId, long offset, long length, InputStream body,
            Actor actor) throws IOException {
        // read again: a request this one waited for may have completed the photo
        Photo photo = photos.uploadable(photoId, deviceId, actor);
        if (!photo.pending()) {
            return state(photo);
        }
        Path partial = partialOf(photoId);
        boolean existed = Files.exists(partial);
        long have = existed ? Files.size(partial) : 0;
        if (offset != have) {
            throw new RejectedRequest(HttpStatus.CONFLICT, "upload-offset", "Wrong offset",
                    "The server has " + have + " bytes of this photo; send from there.", Map.of("offset", have));
        }
        long room = photo.sizeBytes() - have;
        if (length > room) {
            throw tooLong(photo);
        }
        FileTime modified = existed ? Files.getLastModifiedTime(partial) : null;
        try {
            admission.admitted(() -> appendChunk(partial, body, have, room, photo));
        } catch (RejectedRequest refused) {
            if (modified == null) {
                Files.deleteIfExists(partial);
            } else {
                Files.setLastModifiedTime(partial, modified);
            }
            throw refused;
        }
        if (Files.size(partial) < photo.sizeBytes()) {
            return state(photo);
        }
        Photo stored = photos.receive(photoId, partial, actor);
        Files.deleteIfExists(partial);
        return state(stored);
    }

    /** Appends the body to the partial upload and forces it to disk; one longer than its room is taken back. */
    private static Void appendChunk(Path partial, InputStream body, long have, long room, Photo photo)
            throws IOException {
        try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND); OutputStream out = Channels.newOutputStream(channel)) {
            long written = copyAtMost(body, out, room);
            channel.force(true);
            if (written > room || body.read() != -1) {
                // a body longer than it said, or of no declared length: put the partial upload back as it was
                channel.truncate(have);
                channel.force(true);
                throw tooLong(photo);
            }
        }
        return null;
    }

    private static RejectedRequest tooLong(Photo photo) {
        return new RejectedRequest(HttpStatus.CONTENT_TOO_LARGE, "upload-too-long", "More than announced",
                "The photo was announced with " + photo.sizeBytes() + " bytes.");
    }

    private UploadState state(Photo photo) throws IOException {
        if (!photo.pending()) {
            return new UploadState(photo.id(), photo.sizeBytes(), photo.sizeBytes(), new PhotoReceipt(photo.id(),
                    photo.sha256(), photo.sizeBytes(), photo.contentType(), OffsetDateTime.now(clock)));
        }
        Path partial = partialOf(photo.id());
        return new UploadState(photo.id(), Files.exists(partial) ? Files.size(partial) : 0, photo.sizeBytes(), null);
    }

    /**
     * Deletes the partial uploads nobody will complete: those of photos no longer waiting for their
     * content (stored, or removed), and those that have not grown for {@code abandoned-upload-after}. A
     * device that comes back later is told the offset is 0 and sends the photo again from its own copy,
     * which it keeps until it has a receipt. Uploads in progress on this node are left alone. It runs on
     * every node (ADR 0023): the partial uploads are files of this node's upload directory, which other nodes
     * may not see; where nodes share it, two of them deleting the same file is harmless.
     *
     * @return how many partial uploads were deleted
     */
    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT10M")
    public int forgetAbandoned() throws IOException {
        return jobs.run("abandoned-uploads-cleanup", this::forgetAbandonedNow);
    }

    private int forgetAbandonedNow() throws IOException {
        Instant stale = clock.instant().minus(settings.abandonedUploadAfter());
        int forgotten = 0;
        try (DirectoryStream<Path> partials = Files.newDirectoryStream(directory, "*" + PARTIAL)) {
            for (Path partial : partials) {
                Optional<UUID> photoId = photoIdOf(partial);
                if (photoId.isPresent() && uploading.whenFree(photoId.get(), Duration.ZERO,
                        () -> forgetIfAbandoned(photoId.get(), partial, stale)).orElse(false)) {
                    forgotten++;
                }
            }
        }
        return forgotten;
    }

    private boolean forgetIfAbandoned(UUID photoId, Path partial, Instant stale) throws IOException {
        try {
            boolean abandoned = !photos.awaitsContent(photoId)
                    || Files.getLastModifiedTime(partial).toInstant().isBefore(stale);
            return abandoned && Files.deleteIfExists(partial);
        } catch (NoSuchFileException gone) {
            // completed or deleted meanwhile (by another node, if the directory is shared)
            return false;
        }
    }

    private Path partialOf(UUID photoId) {
        return directory.resolve(photoId + PARTIAL);
    }

    private static Optional<UUID> photoIdOf(Path partial) {
        String name = partial.getFileName().toString();
        try {
            return Optional.of(UUID.fromString(name.substring(0, name.length() - PARTIAL.length())));
        } catch (IllegalArgumentException notOurs) {
            return Optional.empty();
        }
    }

    private static long copyAtMost(InputStream in, OutputStream out, long limit) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        int read;
        while (total <= limit && (read = in.read(buffer, 0, (int) Math.min(buffer.length, limit - total + 1))) > 0) {
            if (total + read > limit) {
                return total + read;
            }
            out.write(buffer, 0, read);
            total += read;
        }
        return total;
    }
}
