package app.fieldbook.client;

import app.fieldbook.client.replica.Replica;
import app.fieldbook.client.replica.ReportFieldValues;
import app.fieldbook.client.store.LocalStore;
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
import java.util.Optional;
import java.util.UUID;
import tools.jackson.databind.node.ObjectNode;

/**
 * Photos attached on the device. The file is copied into the store's photo directory (its SHA-256
 * computed on the way, the copy forced to disk) before the photo, its upload and its CREATE are
 * recorded in one transaction; the person's original file is never touched.
 */
final class AttachingPhotos {

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
