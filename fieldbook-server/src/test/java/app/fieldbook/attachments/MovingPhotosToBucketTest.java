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
 * match its name is named and left out.
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

    private static String objectOf(String key) {
        return key.substring(0, 2) + "/" + key.substring(2, 4) + "/" + key;
    }
}
