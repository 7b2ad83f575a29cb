package app.fieldbook.client;

import app.fieldbook.client.replica.Replica;
import app.fieldbook.client.replica.ReportFieldValues;
import app.fieldbook.client.store.LocalStore;
import app.fieldbook.client.store.OutboxEntry;
import app.fieldbook.client.store.StoredPhoto;
import app.fieldbook.client.store.StoredUpload;
import app.fieldbook.protocol.OperationKind;
import app.fieldbook.protocol.Photo;
import app.fieldbook.protocol.SyncProtocol;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import tools.jackson.databind.node.ObjectNode;

/**
 * Photos attached on the device. The file is copied into the store's photo directory (its SHA-256
 * computed on the way, the copy forced to disk) before the photo, its upload and its CREATE are
 * recorded in one transaction; the person's original file is never touched.
 */
final class AttachingPhotos {

    /** The longest caption the server takes, in characters. */
    static final int MAX_CAPTION = 500;
    private static final String CAPTION = "caption";

    private final LocalStore store;
    private final EditingReports reports;
    private final ReportFieldValues values;
    private final Replica replica;
    private final Clock clock;

    AttachingPhotos(LocalStore store, EditingReports reports, ReportFieldValues values, Replica replica, Clock clock) {
        this.store = store;
        this.reports = reports;
        this.values = values;
        this.replica = replica;
        this.clock = clock;
    }

    /** Deletes the device's copy of a photo the server refused; false when there is no such photo. */
    boolean discardRefused(UUID photoId) {
        return store.inTransaction(() -> {
            Optional<StoredUpload> upload = store.uploads().find(photoId)
                    .filter(found -> found.state() == PhotoUpload.State.FAILED);
            upload.ifPresent(replica::discardUpload);
            return upload.isPresent();
        });
    }

    StoredUpload attach(UUID reportId, Path file, PhotoDetails details) {
        reports.editable(reportId);
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new ChangeRefused("No readable file " + file + ".");
        }
        checked(details);
        if (!looksLikeAPhoto(file)) {
            throw new ChangeRefused("The file " + file + " is not a photo the server takes (JPEG, PNG, WebP, HEIC or "
                    + "HEIF).");
        }
        UUID photoId = UUID.randomUUID();
        Path copy = store.photoDirectory().resolve(photoId.toString());
        Path part = store.photoDirectory().resolve(photoId + ".part");
        String sha256;
        long size;
        try {
            sha256 = copy(file, part);
            size = Files.size(part);
            if (size == 0) {
                Files.delete(part);
                throw new ChangeRefused("The file " + file + " is empty.");
            }
            Files.move(part, copy, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            deleteQuietly(part);
            throw new UncheckedIOException("Cannot copy " + file + " into the store: " + e.getMessage(), e);
        }
        try {
            return store.inTransaction(() -> {
                reports.editable(reportId);
                OffsetDateTime now = OffsetDateTime.now(clock);
                PhotoDetails said = details == null ? PhotoDetails.none() : details;
                Photo photo = new Photo(photoId, reportId, sha256, null, size, said.caption(), said.takenAt(),
                        said.latitude(), said.longitude(), false, 0, now, true);
                store.photos().save(new StoredPhoto(photo, null, null));
                StoredUpload upload = new StoredUpload(photoId, reportId, sha256, size, copy.getFileName().toString(), 0,
                        null, PhotoUpload.State.WAITING, 0, null, null, now);
                store.uploads().add(upload);
                ObjectNode changes = store.json().createObjectNode();
                changes.put("reportId", reportId.toString());
                changes.put("sha256", sha256);
                changes.put("size", size);
                changes.set("caption", values.node(said.caption()));
                changes.set("takenAt", values.node(said.takenAt() == null ? null : said.takenAt().toString()));
                changes.set("latitude", values.node(said.latitude()));
                changes.set("longitude", values.node(said.longitude()));
                store.outbox().append(UUID.randomUUID(), SyncProtocol.PHOTO, photoId, OperationKind.CREATE, changes,
                        reportId, now);
                return upload;
            });
        } catch (RuntimeException e) {
            deleteQuietly(copy);
            throw e;
        }
    }

    /**
     * Refuses at once what the server would refuse with the photo's announcement, so that a person does not find the
     * photo refused after the next sync and have to attach it again: a caption too long, a position off the globe.
     */
    private static void checked(PhotoDetails details) {
        if (details == null) {
            return;
        }
        String caption = details.caption() == null || details.caption().isBlank() ? null : details.caption().strip();
        if (caption != null && caption.length() > MAX_CAPTION) {
            throw new ChangeRefused("A caption may have at most " + MAX_CAPTION + " characters; this one has "
                    + caption.length() + ".");
        }
        if (details.latitude() != null && !(Math.abs(details.latitude()) <= 90)) {
            throw new ChangeRefused("A latitude is from -90 to 90 degrees; " + details.latitude() + " is not.");
        }
        if (details.longitude() != null && !(Math.abs(details.longitude()) <= 180)) {
            throw new ChangeRefused("A longitude is from -180 to 180 degrees; " + details.longitude() + " is not.");
        }
    }

    /**
     * Whether the file begins as a photo of a type the server takes does: JPEG, PNG, WebP, or an ISO media file (HEIC,
     * HEIF). The server checks the whole image when it arrives; this only spares a text file or a document a trip.
     */
    private static boolean looksLikeAPhoto(Path file) {
        byte[] start = new byte[12];
        int read;
        try (InputStream in = Files.newInputStream(file)) {
            read = in.readNBytes(start, 0, start.length);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
        }
        if (read == 0) {
            return true; // an empty file is refused as empty when it is copied
        }
        String ascii = new String(start, 0, read, StandardCharsets.ISO_8859_1);
        boolean jpeg = read >= 3 && (start[0] & 0xFF) == 0xFF && (start[1] & 0xFF) == 0xD8 && (start[2] & 0xFF) == 0xFF;
        boolean png = ascii.startsWith("\u0089PNG\r\n\u001a\n");
        boolean webp = read >= 12 && ascii.startsWith("RIFF") && ascii.startsWith("WEBP", 8);
        boolean isoMedia = read >= 8 && ascii.startsWith("ftyp", 4);
        return jpeg || png || webp || isoMedia;
    }

    /**
     * Writes the caption of a photo of the person's editable report (blank clears it) on the device, to go with
     * the next push: into the photo's announcement or caption change not sent yet, or as a change of its own. The
     * photo as the server has it is kept beside while the change waits, and shows again if the server refuses it.
     *
     * @throws ChangeRefused no such photo on the device, its report cannot be changed, or the caption is longer than
     *     {@value #MAX_CAPTION} characters
     */
    Photo recaption(UUID photoId, String caption) {
        String written = caption == null || caption.isBlank() ? null : caption.strip();
        if (written != null && written.length() > MAX_CAPTION) {
            throw new ChangeRefused("A caption may have at most " + MAX_CAPTION + " characters; this one has "
                    + written.length() + ".");
        }
        return store.inTransaction(() -> {
            StoredPhoto stored = store.photos().find(photoId)
                    .orElseThrow(() -> new ChangeRefused("No photo " + photoId + " on this device."));
            Photo photo = stored.photo();
            reports.editable(photo.reportId());
            if (beingRemoved(photoId)) {
                throw new ChangeRefused("Photo " + photoId + " is being removed.");
            }
            if (Objects.equals(written, photo.caption())) {
                return photo;
            }
            List<OutboxEntry> waiting = store.outbox().of(photoId);
            Optional<OutboxEntry> unsent = waiting.stream()
                    .filter(entry -> !entry.sent() && entry.kind() != OperationKind.DELETE).findFirst();
            if (unsent.isPresent()) {
                ObjectNode changes = unsent.get().changes().deepCopy();
                changes.set(CAPTION, values.node(written));
                store.outbox().replaceChanges(unsent.get().seq(), changes);
            } else {
                ObjectNode changes = store.json().createObjectNode();
                changes.set(CAPTION, values.node(written));
                store.outbox().append(UUID.randomUUID(), SyncProtocol.PHOTO, photoId, OperationKind.UPDATE, changes,
                        photo.reportId(), OffsetDateTime.now(clock));
            }
            Photo recaptioned = new Photo(photo.id(), photo.reportId(), photo.sha256(), photo.contentType(),
                    photo.sizeBytes(), written, photo.takenAt(), photo.latitude(), photo.longitude(), photo.thumbnail(),
                    photo.version(), photo.createdAt(), photo.pending());
            // with nothing of the photo waiting, the photo shown is the server's: what a refusal shows again
            Photo server = waiting.isEmpty() ? photo : stored.serverCopy();
            store.photos().save(new StoredPhoto(recaptioned, server, stored.receipt()));
            return recaptioned;
        });
    }

    /**
     * Takes a photo off the person's draft or returned report. One the server has not been told of yet is forgotten
     * at once with the device's copy; one it has goes with the next push (a Photo DELETE based on the version the
     * device has), hidden meanwhile, and shows again if the server refuses it (the report was submitted elsewhere).
     *
     * @return false when no such photo is on the device
     * @throws ChangeRefused the photo's report cannot be changed
     */
    boolean remove(UUID photoId) {
        return store.inTransaction(() -> {
            Optional<StoredPhoto> found = store.photos().find(photoId);
            if (found.isEmpty()) {
                return false;
            }
            StoredPhoto stored = found.get();
            reports.editable(stored.photo().reportId());
            List<OutboxEntry> waiting = store.outbox().of(photoId);
            if (waiting.stream().anyMatch(entry -> entry.kind() == OperationKind.DELETE)) {
                return true;
            }
            if (waiting.stream().anyMatch(entry -> entry.kind() == OperationKind.CREATE && !entry.sent())) {
                waiting.forEach(entry -> store.outbox().remove(entry.seq()));
                replica.removePhoto(photoId, false, null);
                return true;
            }
            store.outbox().append(UUID.randomUUID(), SyncProtocol.PHOTO, photoId, OperationKind.DELETE,
                    store.json().createObjectNode(), stored.photo().reportId(), OffsetDateTime.now(clock));
            if (waiting.isEmpty()) {
                // the photo as the server has it, to show again if the removal is refused
                store.photos().save(new StoredPhoto(stored.photo(), stored.photo(), stored.receipt()));
            }
            return true;
        });
    }

    /** Whether the photo waits to be removed from the server (by the person, or withdrawn after a refusal). */
    boolean beingRemoved(UUID photoId) {
        return store.outbox().of(photoId).stream().anyMatch(entry -> entry.kind() == OperationKind.DELETE);
    }

    /** Copies {@code from} to {@code to}, forced to disk, and returns the SHA-256 of the bytes (hex, lower case). */
    private static String copy(Path from, Path to) throws IOException {
        MessageDigest digest = sha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(from), digest);
                OutputStream out = Files.newOutputStream(to, StandardOpenOption.CREATE_NEW)) {
            in.transferTo(out);
        }
        try (FileChannel channel = FileChannel.open(to, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // Left as an orphan; the store deletes orphans when opened.
        }
    }
}
