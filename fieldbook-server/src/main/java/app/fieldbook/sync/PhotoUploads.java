package app.fieldbook.sync;

import app.fieldbook.RejectedRequest;
import app.fieldbook.attachments.Photos;
import app.fieldbook.identity.Actor;
import app.fieldbook.protocol.Photo;
import app.fieldbook.protocol.PhotoReceipt;
import app.fieldbook.protocol.UploadStart;
import app.fieldbook.protocol.UploadState;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * Resumable uploads of announced photos (tus-style): the device asks where the upload stands, sends
 * the bytes from that offset on, possibly over many requests and connections, and gets a receipt once
 * the server has checked the whole content against the announced SHA-256 and stored it. Each received
 * chunk is forced to disk before its new offset is answered, so an acknowledged byte is never lost.
 */
@Service
class PhotoUploads {

    private final Photos photos;
    private final Path directory;
    private final Clock clock;

    PhotoUploads(Photos photos, @Value("${fieldbook.sync.upload-directory:./data/uploads}") Path directory, Clock clock)
            throws IOException {
        this.photos = photos;
        this.directory = directory.toAbsolutePath().normalize();
        this.clock = clock;
        Files.createDirectories(this.directory);
    }

    UploadState start(UploadStart start, Actor actor) throws IOException {
        Photo photo = photos.readable(start.photoId(), actor);
        if (!photo.sha256().equals(start.sha256()) || photo.sizeBytes() != start.size()) {
            throw new RejectedRequest(HttpStatus.CONFLICT, "upload-mismatch", "Not the announced photo",
                    "The photo was announced with another SHA-256 or size.");
        }
        return state(photo);
    }

    UploadState state(UUID photoId, Actor actor) throws IOException {
        return state(photos.readable(photoId, actor));
    }

    UploadState append(UUID photoId, long offset, InputStream body, Actor actor) throws IOException {
        Photo photo = photos.readable(photoId, actor);
        if (!photo.pending()) {
            return state(photo);
        }
        Path partial = partialOf(photoId);
        synchronized (this) {
            long have = Files.exists(partial) ? Files.size(partial) : 0;
            if (offset != have) {
                throw new RejectedRequest(HttpStatus.CONFLICT, "upload-offset", "Wrong offset",
                        "The server has " + have + " bytes of this photo; send from there.", Map.of("offset", have));
            }
            try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND); OutputStream out = java.nio.channels.Channels.newOutputStream(channel)) {
                long room = photo.sizeBytes() - have;
                long written = copyAtMost(body, out, room);
                channel.force(true);
                if (written > room || body.read() != -1) {
                    channel.truncate(have);
                    throw new RejectedRequest(HttpStatus.CONTENT_TOO_LARGE, "upload-too-long", "More than announced",
                            "The photo was announced with " + photo.sizeBytes() + " bytes.");
                }
            }
        }
        if (Files.size(partial) < photo.sizeBytes()) {
            return state(photo);
        }
        try {
            Photo stored = photos.receive(photoId, partial, actor);
            Files.deleteIfExists(partial);
            return state(stored);
        } catch (RejectedRequest refused) {
            if (refused.getBody().getType() != null && refused.getBody().getType().toString().endsWith("/hash-mismatch")) {
                Files.deleteIfExists(partial);
            }
            throw refused;
        }
    }

    private UploadState state(Photo photo) throws IOException {
        if (!photo.pending()) {
            return new UploadState(photo.id(), photo.sizeBytes(), photo.sizeBytes(), new PhotoReceipt(photo.id(),
                    photo.sha256(), photo.sizeBytes(), photo.contentType(), OffsetDateTime.now(clock)));
        }
        Path partial = partialOf(photo.id());
        return new UploadState(photo.id(), Files.exists(partial) ? Files.size(partial) : 0, photo.sizeBytes(), null);
    }

    private Path partialOf(UUID photoId) {
        return directory.resolve(photoId + ".part");
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
