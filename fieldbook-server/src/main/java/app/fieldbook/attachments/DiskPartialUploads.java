package app.fieldbook.attachments;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * Partial uploads of the disk store: a file per photo ({@code <photo id>.part}) in
 * {@code fieldbook.attachments.upload-directory}, each chunk written around the page cache where it can
 * ({@link UncachedFiles}) and forced to disk before it is acknowledged. Several
 * nodes share the directory (a network file system mounted at the same place), as they share the photo directory.
 */
@Component
@ConditionalOnProperty(prefix = "fieldbook.attachments", name = "store", havingValue = "disk", matchIfMissing = true)
class DiskPartialUploads implements PartialUploads {

    private static final String PARTIAL = ".part";

    private final Path directory;

    DiskPartialUploads(AttachmentSettings settings) throws IOException {
        this.directory = settings.uploadDirectory().toAbsolutePath().normalize();
        Files.createDirectories(directory);
    }

    @Override
    public long size(UUID photoId) throws IOException {
        try {
            return Files.size(partialOf(photoId));
        } catch (NoSuchFileException none) {
            return 0;
        }
    }

    @Override
    public boolean append(UUID photoId, long have, InputStream body, long room, Progress progress)
            throws IOException {
        Path partial = partialOf(photoId);
        boolean existed = Files.exists(partial);
        FileTime modified = existed ? Files.getLastModifiedTime(partial) : null;
        boolean tooLong;
        try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            long written;
            try (OutputStream out = UncachedFiles.writer(partial, have)) {
                written = GatheredCopy.copyAtMost(body, out, room, progress);
            } finally {
                // what arrived before the client went away is kept: the device resumes from there
                channel.force(true);
            }
            tooLong = written > room || body.read() != -1;
            if (tooLong) {
                // a body longer than it said, or of no declared length: put the partial upload back as it was
                channel.truncate(have);
                channel.force(true);
            }
        }
        if (tooLong) {
            if (modified == null) {
                Files.deleteIfExists(partial);
            } else {
                Files.setLastModifiedTime(partial, modified);
            }
        }
        return !tooLong;
    }

    @Override
    public Path content(UUID photoId) {
        return partialOf(photoId);
    }

    @Override
    public void delete(UUID photoId) throws IOException {
        Files.deleteIfExists(partialOf(photoId));
    }

    @Override
    public Map<UUID, Instant> lastGrown() throws IOException {
        Map<UUID, Instant> partials = new HashMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*" + PARTIAL)) {
            for (Path partial : files) {
                String name = partial.getFileName().toString();
                try {
                    partials.put(UUID.fromString(name.substring(0, name.length() - PARTIAL.length())),
                            Files.getLastModifiedTime(partial).toInstant());
                } catch (IllegalArgumentException notOurs) {
                    // another file in the directory
                } catch (NoSuchFileException gone) {
                    // completed or deleted meanwhile, by this node or another
                }
            }
        }
        return partials;
    }

    private Path partialOf(UUID photoId) {
        return directory.resolve(photoId + PARTIAL);
    }
}
