package app.fieldbook.attachments;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * Partial uploads of the object store, in its bucket (ADR 0029): each acknowledged chunk is an object of its own,
 * {@code uploads/<photo id>/<offset>} (after the store's prefix), put with its MD5 before its new offset is
 * answered. The bytes the server has are the chain of parts from offset 0, each starting where the one before
 * ended; a part outside the chain (one put by a request that died before it answered, then sent again shorter)
 * counts for nothing and is deleted with the rest. A chunk is spooled to {@code fieldbook.attachments.directory}'s
 * staging directory first, where its length is checked, and the complete content is put together there for
 * {@link Photos#receive}. S3 multipart uploads are not used: their parts must be at least 5 MB, and a phone's chunk
 * is often smaller.
 */
@Component
@ConditionalOnProperty(prefix = "fieldbook.attachments", name = "store", havingValue = "s3")
class BucketPartialUploads implements PartialUploads {

    private static final String UPLOADS = "uploads/";

    private final S3PhotoStore bucket;
    private final Path staging;

    BucketPartialUploads(S3PhotoStore bucket, AttachmentSettings settings) throws IOException {
        this.bucket = bucket;
        this.staging = settings.incoming().toAbsolutePath().normalize();
        Files.createDirectories(staging);
    }

    @Override
    public long size(UUID photoId) throws IOException {
        long end = 0;
        for (S3PhotoStore.Listed part : chain(photoId)) {
            end += part.size();
        }
        return end;
    }

    @Override
    public boolean append(UUID photoId, long have, InputStream body, long room, Progress progress)
            throws IOException {
        Path chunk = Files.createTempFile(staging, photoId.toString(), ".chunk");
        try {
            long written;
            try (OutputStream out = Files.newOutputStream(chunk, StandardOpenOption.WRITE)) {
                written = GatheredCopy.copyAtMost(body, out, room, progress);
            } catch (IOException clientGone) {
                // what arrived before the client went away is kept: the device resumes from there
                if (Files.size(chunk) > 0) {
                    progress.made();
                    bucket.putObject(partOf(photoId, have), chunk);
                }
                throw clientGone;
            }
            if (written > room || body.read() != -1) {
                return false;
            }
            if (written > 0) {
                progress.made();
                bucket.putObject(partOf(photoId, have), chunk);
            }
            return true;
        } finally {
            Files.deleteIfExists(chunk);
        }
    }

    @Override
    public Path content(UUID photoId) throws IOException {
        Path content = Files.createTempFile(staging, photoId.toString(), ".part");
        try (OutputStream out = Files.newOutputStream(content, StandardOpenOption.WRITE)) {
            for (S3PhotoStore.Listed part : chain(photoId)) {
                try (InputStream in = bucket.openObject(part.name())) {
                    in.transferTo(out);
                }
            }
        } catch (IOException | RuntimeException failed) {
            Files.deleteIfExists(content);
            throw failed;
        }
        return content;
    }

    @Override
    public void delete(UUID photoId) throws IOException {
        for (S3PhotoStore.Listed part : bucket.list(UPLOADS + photoId + "/")) {
            bucket.deleteObject(part.name());
        }
    }

    @Override
    public Map<UUID, Instant> lastGrown() throws IOException {
        Map<UUID, Instant> partials = new HashMap<>();
        for (S3PhotoStore.Listed part : bucket.list(UPLOADS)) {
            String[] path = part.name().substring(part.name().lastIndexOf(UPLOADS) + UPLOADS.length()).split("/");
            try {
                partials.merge(UUID.fromString(path[0]), part.lastModified(),
                        (one, other) -> one.isAfter(other) ? one : other);
            } catch (IllegalArgumentException notOurs) {
                // another object under uploads/
            }
        }
        return partials;
    }

    /** The parts that make the content so far, from offset 0 on. */
    private List<S3PhotoStore.Listed> chain(UUID photoId) throws IOException {
        TreeMap<Long, S3PhotoStore.Listed> parts = new TreeMap<>();
        for (S3PhotoStore.Listed part : bucket.list(UPLOADS + photoId + "/")) {
            String name = part.name();
            try {
                parts.put(Long.parseLong(name.substring(name.lastIndexOf('/') + 1)), part);
            } catch (NumberFormatException notOurs) {
                // another object under the photo's name
            }
        }
        List<S3PhotoStore.Listed> chain = new ArrayList<>();
        long end = 0;
        S3PhotoStore.Listed next;
        while ((next = parts.get(end)) != null && next.size() > 0) {
            chain.add(next);
            end += next.size();
        }
        return chain;
    }

    private static String partOf(UUID photoId, long offset) {
        return UPLOADS + photoId + "/" + String.format("%015d", offset);
    }
}
