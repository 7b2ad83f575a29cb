package app.fieldbook.attachments;

import static org.assertj.core.api.Assertions.assertThat;

import app.fieldbook.Images;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

/**
 * Moving a disk store of a few hundred photos and their thumbnails into a bucket (S3Proxy, {@link ObjectStore}):
 * stopped after some objects, run again, it copies the rest, and every object in the bucket then has the hash of
 * its photo; an object the bucket had with other content is put again, and a file of the disk store that does not
 * match its name is named and left out. The server started with {@code fieldbook.attachments.move-from-disk} does
 * it and stops, or fails on such a file.
 */
class MovingPhotosToBucketTest {

    private static final ObjectStore BUCKET = ObjectStore.start("moved-photos");
    private static final int PHOTOS = 300;

    @TempDir
    Path disk;

    @TempDir
    Path staging;

    @AfterAll
    static void stop() throws Exception {
        BUCKET.close();
    }

    @Test
    void aDiskStoreMovedInTwoRunsEndsInTheBucketWithEveryHashChecked() throws Exception {
        Path photos = disk.resolve("photos");
        DiskPhotoStore store = new DiskPhotoStore(PhotoStorageHealthIndicatorTest.settings(photos,
                DataSize.ofBytes(0)));
        Map<String, byte[]> contents = new LinkedHashMap<>();
        for (int i = 0; contents.size() < PHOTOS; i++) {
            byte[] jpeg = Images.jpeg(8 + i % 25, 8 + i / 25);
            String key = S3PhotoStoreTest.sha256(jpeg);
            contents.put(key, jpeg);
            if (i % 10 == 0) {
                contents.put(ReportPhoto.thumbnailKey(key), Images.jpeg(4, 4 + i / 10));
            }
        }
        for (Map.Entry<String, byte[]> content : contents.entrySet()) {
            Path file = Files.write(staging.resolve("upload"), content.getValue());
            store.put(content.getKey(), file);
        }
        String tampered = contents.keySet().stream().skip(7).findFirst().orElseThrow();
        BUCKET.put(objectOf(tampered), new byte[] {1, 2, 3});
        byte[] other = Images.png(10, 10);
        String damaged = S3PhotoStoreTest.sha256(Images.png(11, 11));
        Files.createDirectories(photos.resolve(damaged.substring(0, 2)).resolve(damaged.substring(2, 4)));
        Files.write(photos.resolve(damaged.substring(0, 2)).resolve(damaged.substring(2, 4)).resolve(damaged), other);
        S3PhotoStore bucket = new S3PhotoStore(new AttachmentSettings.S3(BUCKET.endpoint(), ObjectStore.REGION,
                BUCKET.bucket(), true, ObjectStore.ACCESS_KEY, ObjectStore.SECRET_KEY, ""));

        MovingPhotosToBucket.Moved first = MovingPhotosToBucket.move(photos, bucket, 120);

        assertThat(first.stopped()).as("stopped after 120 copies").isTrue();
        assertThat(first.copied()).isEqualTo(120);
        assertThat(BUCKET.names("")).hasSizeBetween(120, 121);

        MovingPhotosToBucket.Moved second = MovingPhotosToBucket.move(photos, bucket, Integer.MAX_VALUE);

        assertThat(second.stopped()).isFalse();
        assertThat(first.copied() + second.copied()).as("each object copied once; the tampered one again")
                .isEqualTo(contents.size());
        assertThat(second.alreadyThere()).as("the first run's copies, checked again").isEqualTo(120);
        assertThat(second.damaged()).containsExactly(damaged);
        assertThat(BUCKET.has(objectOf(damaged))).as("a file that does not match its name is left out").isFalse();
        for (Map.Entry<String, byte[]> content : contents.entrySet()) {
            byte[] object = BUCKET.object(objectOf(content.getKey()));
            assertThat(object).as(content.getKey()).isNotNull();
            assertThat(S3PhotoStoreTest.sha256(object)).as(content.getKey())
                    .isEqualTo(S3PhotoStoreTest.sha256(content.getValue()));
        }
        assertThat(BUCKET.names("")).hasSize(contents.size());
        assertThat(photos.resolve(objectOf(tampered))).as("the disk store is left as it was").exists();

        MovingPhotosToBucket.Moved third = MovingPhotosToBucket.move(photos, bucket, Integer.MAX_VALUE);
        assertThat(third.copied()).as("nothing left to copy").isZero();
        assertThat(third.alreadyThere()).isEqualTo(contents.size());
    }

    @Test
    void theServerStartedWithMoveFromDiskMovesTheStoreAndStopsOrFailsOnADamagedFile() throws Exception {
        ObjectStore target = ObjectStore.start("moved-by-the-command");
        try {
            Path photos = disk.resolve("photos");
            DiskPhotoStore store = new DiskPhotoStore(PhotoStorageHealthIndicatorTest.settings(photos,
                    DataSize.ofBytes(0)));
            byte[] jpeg = Images.jpeg(30, 20);
            String key = S3PhotoStoreTest.sha256(jpeg);
            store.put(key, Files.write(staging.resolve("upload"), jpeg));

            org.springframework.context.ConfigurableApplicationContext moved = command(target, photos);

            assertThat(moved.isActive()).as("the server stops once moved").isFalse();
            assertThat(S3PhotoStoreTest.sha256(target.object(objectOf(key)))).isEqualTo(key);

            String damaged = S3PhotoStoreTest.sha256(Images.png(12, 12));
            Path file = photos.resolve(objectOf(damaged));
            Files.createDirectories(file.getParent());
            Files.write(file, Images.png(13, 13));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> command(target, photos))
                    .as("a file that does not match its name fails the run").hasStackTraceContaining(damaged);
        } finally {
            target.close();
        }
    }

    private org.springframework.context.ConfigurableApplicationContext command(ObjectStore target, Path photos) {
        return new org.springframework.boot.SpringApplication(app.fieldbook.FieldbookApplication.class).run(
                "--server.port=0",
                "--spring.profiles.active=test",
                "--spring.datasource.url=jdbc:h2:mem:move-" + java.util.UUID.randomUUID()
                        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
                "--spring.datasource.username=sa",
                "--spring.datasource.password=",
                "--fieldbook.audit.key-file=" + disk.resolve("audit.key"),
                "--fieldbook.audit.head-file=" + disk.resolve("audit-heads.log"),
                "--fieldbook.identity.second-factor.key-file=" + disk.resolve("second-factor.key"),
                "--fieldbook.attachments.directory=" + disk.resolve("staging"),
                "--fieldbook.attachments.upload-directory=" + disk.resolve("uploads"),
                "--fieldbook.attachments.store=s3",
                "--fieldbook.attachments.s3.endpoint=" + target.endpoint(),
                "--fieldbook.attachments.s3.bucket=" + target.bucket(),
                "--fieldbook.attachments.s3.region=" + ObjectStore.REGION,
                "--fieldbook.attachments.s3.path-style=true",
                "--fieldbook.attachments.s3.access-key=" + ObjectStore.ACCESS_KEY,
                "--fieldbook.attachments.s3.secret-key=" + ObjectStore.SECRET_KEY,
                "--fieldbook.attachments.move-from-disk=" + photos);
    }

    private static String objectOf(String key) {
        return key.substring(0, 2) + "/" + key.substring(2, 4) + "/" + key;
    }
}
