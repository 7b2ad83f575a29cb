package app.fieldbook.attachments;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;

/**
 * Whether photos can be stored here now: the store's directory (with the object store, where uploads are
 * staged) takes a new file, its volume keeps {@code fieldbook.attachments.minimum-free-space}, and the store
 * answers ({@link PhotoStore#check}: the object store's bucket). Part of the readiness probe ({@code /actuator/health/readiness}),
 * not of liveness: a full disk is a reason to send no new work to this node, not to restart it.
 */
@Component
class PhotoStorageHealthIndicator extends AbstractHealthIndicator {

    private final Path directory;
    private final long minimumFreeBytes;
    private final PhotoStore store;

    PhotoStorageHealthIndicator(AttachmentSettings settings, PhotoStore store) {
        super("The photo store could not be checked");
        this.directory = settings.directory().toAbsolutePath().normalize();
        this.minimumFreeBytes = settings.minimumFreeSpace().toBytes();
        this.store = store;
    }

    @Override
    protected void doHealthCheck(Health.Builder health) throws IOException {
        Files.createDirectories(directory);
        Path probe = Files.createTempFile(directory, ".ready-", ".tmp");
        Files.delete(probe);
        store.check();
        long free = Files.getFileStore(directory).getUsableSpace();
        health.withDetail("freeBytes", free).withDetail("minimumFreeBytes", minimumFreeBytes);
        if (free < minimumFreeBytes) {
            health.down();
        } else {
            health.up();
        }
    }
}
