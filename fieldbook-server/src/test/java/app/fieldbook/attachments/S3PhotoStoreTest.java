package app.fieldbook.attachments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The object store's photo store against a real S3 API (S3Proxy in the test JVM, {@link ObjectStore}): content
 * goes into the bucket under the disk store's path of its hash, comes back whole, is stored once, and a missing
 * object, a bucket that is not there or a wrong secret are told as the store's failures, not as content.
 */
class S3PhotoStoreTest {

    private static final ObjectStore BUCKET = ObjectStore.start("photos-unit");

    @TempDir
    Path staging;

    @AfterAll
    static void stop() throws Exception {
        BUCKET.close();
    }

    private static S3PhotoStore store(String bucket, String secret, String prefix) {
        return new S3PhotoStore(new AttachmentSettings.S3(BUCKET.endpoint(), ObjectStore.REGION, bucket, true,
                ObjectStore.ACCESS_KEY, secret, prefix));
    }

    @Test
    void contentIsPutUnderItsHashComesBackWholeAndIsStoredOnce() throws Exception {
        S3PhotoStore store = store(BUCKET.bucket(), ObjectStore.SECRET_KEY, "");
        byte[] photo = app.fieldbook.Images.jpeg(120, 80);
        String key = sha256(photo);
        Path file = staging.resolve("upload.part");
        Files.write(file, photo);
        assertThat(store.contains(key)).isFalse();

        store.put(key, file);

        assertThat(file).as("the staged file, once the bucket has the content").doesNotExist();
        assertThat(store.contains(key)).isTrue();
        String object = key.substring(0, 2) + "/" + key.substring(2, 4) + "/" + key;
        assertThat(sha256(BUCKET.object(object))).as("the object's hash is its name").isEqualTo(key);
        try (InputStream content = store.open(key)) {
            assertThat(content.readAllBytes()).isEqualTo(photo);
        }

        Path again = staging.resolve("again.part");
        Files.write(again, photo);
        store.put(key, again);
        assertThat(again).as("the same content again: the file is discarded").doesNotExist();
        assertThat(BUCKET.object(object)).isEqualTo(photo);
    }

    @Test
    void aThumbnailsKeyAndAPrefixAreKeptApart() throws Exception {
        S3PhotoStore store = store(BUCKET.bucket(), ObjectStore.SECRET_KEY, "tenant-a");
        byte[] thumbnail = app.fieldbook.Images.jpeg(32, 32);
        String key = ReportPhoto.thumbnailKey(sha256(new byte[] {1, 2, 3}));
        Path file = staging.resolve("thumb.jpg");
        Files.write(file, thumbnail);
        store.put(key, file);
        assertThat(BUCKET.has("tenant-a/" + key.substring(0, 2) + "/" + key.substring(2, 4) + "/" + key)).isTrue();
        assertThat(store(BUCKET.bucket(), ObjectStore.SECRET_KEY, "").contains(key)).as("not outside the prefix")
                .isFalse();
    }

    @Test
    void aMissingObjectIsNoSuchFileAndTheStoresFailuresAreIoErrors() throws Exception {
        S3PhotoStore store = store(BUCKET.bucket(), ObjectStore.SECRET_KEY, "");
        String absent = sha256(new byte[] {9});
        assertThatThrownBy(() -> store.open(absent)).isInstanceOf(NoSuchFileException.class);
        store.check();

        S3PhotoStore noBucket = store("no-such-bucket", ObjectStore.SECRET_KEY, "");
        assertThatThrownBy(noBucket::check).isInstanceOf(IOException.class);
        S3PhotoStore wrongSecret = store(BUCKET.bucket(), "not-the-secret", "");
        assertThatThrownBy(() -> wrongSecret.contains(absent)).isInstanceOf(IOException.class);
        Path file = staging.resolve("refused.part");
        Files.write(file, new byte[] {9});
        assertThatThrownBy(() -> wrongSecret.put(absent, file)).isInstanceOf(IOException.class);
        assertThat(file).as("kept for another try").exists();
        assertThatThrownBy(() -> store.contains("../etc/passwd")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theReadinessOfTheStoreAsksTheBucket() {
        org.springframework.util.unit.DataSize free = org.springframework.util.unit.DataSize.ofBytes(1);
        AttachmentSettings settings = PhotoStorageHealthIndicatorTest.settings(staging, free);
        assertThat(new PhotoStorageHealthIndicator(settings, store(BUCKET.bucket(), ObjectStore.SECRET_KEY, ""))
                .health(true).getStatus()).isEqualTo(org.springframework.boot.health.contributor.Status.UP);
        assertThat(new PhotoStorageHealthIndicator(settings, store("no-such-bucket", ObjectStore.SECRET_KEY, ""))
                .health(true).getStatus()).isEqualTo(org.springframework.boot.health.contributor.Status.DOWN);
    }

    @Test
    void theSecretKeyIsNeverShownBySettings() {
        AttachmentSettings.S3 settings = new AttachmentSettings.S3(URI.create("http://127.0.0.1:9"), "us-east-1",
                "photos", true, "access", "very-secret-value", "");
        assertThat(settings.toString()).doesNotContain("very-secret-value").contains("access");
    }

    static String sha256(byte[] content) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    }
}
