package app.fieldbook.attachments;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.util.unit.DataSize;

/** The photo store is ready when a file can be written there and its volume keeps the minimum free space. */
class PhotoStorageHealthIndicatorTest {

    @TempDir
    Path temp;

    @Test
    void aWritableStoreWithSpaceLeftIsUpAndLeavesNoFileBehind() throws Exception {
        Path photos = temp.resolve("photos");
        Health health = new PhotoStorageHealthIndicator(settings(photos, DataSize.ofMegabytes(1)), disk())
                .health(true);
        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails()).containsKeys("freeBytes", "minimumFreeBytes");
        try (var left = Files.list(photos)) {
            assertThat(left).as("the probe's file is deleted").isEmpty();
        }
    }

    @Test
    void aStoreThatTakesNoFileIsDown() throws Exception {
        Path notADirectory = Files.writeString(temp.resolve("photos"), "a file where the directory should be");
        Health health = new PhotoStorageHealthIndicator(settings(notADirectory, DataSize.ofMegabytes(1)), disk())
                .health(true);
        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
    }

    @Test
    void aVolumeBelowTheMinimumFreeSpaceIsDown() throws Exception {
        long free = temp.toFile().getUsableSpace();
        Health health = new PhotoStorageHealthIndicator(
                settings(temp, DataSize.ofBytes(free + DataSize.ofGigabytes(1).toBytes())), disk())
                .health(true);
        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails()).containsEntry("minimumFreeBytes", free + DataSize.ofGigabytes(1).toBytes());
    }

    static AttachmentSettings settings(Path directory, DataSize minimumFree) {
        return new AttachmentSettings(DataSize.ofMegabytes(25), 50_000_000, directory, 320, 1, Duration.ofSeconds(30),
                Duration.ofSeconds(1), Duration.ofMinutes(2), 16, Duration.ofSeconds(30), directory.resolveSibling("uploads"),
                Duration.ofMinutes(1),
                Duration.ofDays(7), minimumFree, "disk", new AttachmentSettings.S3(null, "us-east-1", null, false, null, null,
                ""), null);
    }

    /** The disk store, elsewhere: it has nothing to check beyond the directory. */
    private PhotoStore disk() throws java.io.IOException {
        return new DiskPhotoStore(settings(temp.resolve("store"), DataSize.ofMegabytes(1)));
    }
}
