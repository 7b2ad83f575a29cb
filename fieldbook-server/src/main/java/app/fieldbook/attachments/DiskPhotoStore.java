package app.fieldbook.attachments;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.regex.Pattern;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * Keeps photos on local disk under the data directory, fanned out by the first two pairs of hex digits
 * of the key ({@code ab/cd/abcd...}). A file is synced to disk and then moved into place atomically, so
 * a crash leaves either the whole photo or none. A file on the store's file system is renamed, never copied
 * (uploads are staged in its {@code incoming} directory); one from another file system is copied once. The store
 * unless {@code fieldbook.attachments.store} is {@code s3}.
 */
@Component
@ConditionalOnProperty(prefix = "fieldbook.attachments", name = "store", havingValue = "disk", matchIfMissing = true)
class DiskPhotoStore implements PhotoStore {

    private static final Pattern KEY = Pattern.compile("[0-9a-f]{64}(\\.[a-z]+)?");

    private final Path root;

    DiskPhotoStore(AttachmentSettings settings) throws IOException {
        this.root = settings.directory().toAbsolutePath().normalize();
        Files.createDirectories(root);
    }

    @Override
    public void put(String key, Path file) throws IOException {
        Path target = pathOf(key);
        if (Files.exists(target)) {
            Files.deleteIfExists(file);
            return;
        }
        Files.createDirectories(target.getParent());
        Path staged = target.resolveSibling(target.getFileName() + ".partial-" + System.nanoTime());
        try {
            forceToDisk(file);
            Files.move(file, staged, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException otherFileSystem) {
            Files.copy(file, staged, StandardCopyOption.REPLACE_EXISTING);
            forceToDisk(staged);
            Files.delete(file);
        }
        try {
            Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException e) {
            Files.deleteIfExists(staged);
        }
    }

    private static void forceToDisk(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }

    @Override
    public boolean contains(String key) {
        return Files.exists(pathOf(key));
    }

    @Override
    public InputStream open(String key) throws IOException {
        return Files.newInputStream(pathOf(key));
    }

    private Path pathOf(String key) {
        if (!KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("Not a content key: " + key);
        }
        return root.resolve(key.substring(0, 2)).resolve(key.substring(2, 4)).resolve(key);
    }
}
