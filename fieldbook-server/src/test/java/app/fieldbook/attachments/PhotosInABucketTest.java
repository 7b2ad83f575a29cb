package app.fieldbook.attachments;

import static app.fieldbook.Fixtures.created;
import static app.fieldbook.Fixtures.expect;
import static app.fieldbook.sync.SyncDevice.edit;
import static org.assertj.core.api.Assertions.assertThat;

import app.fieldbook.Api;
import app.fieldbook.Fixtures;
import app.fieldbook.Images;
import app.fieldbook.TestDatabase;
import app.fieldbook.sync.SyncDevice;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The server with its photos in an S3-compatible bucket ({@code fieldbook.attachments.store=s3}), against a real
 * S3 API (S3Proxy in the test JVM, {@link ObjectStore}): a photo uploaded through the REST API and one sent in
 * resumable chunks over sync each end in the bucket under the path of their SHA-256, the object's hash is
 * checked, the photo is served back from the bucket, its thumbnail is made from there and kept there too, and
 * nothing but staging is left in the local photo directory. On H2 and PostgreSQL.
 */
@Tag("database")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "fieldbook.attachments.store=s3",
        "fieldbook.attachments.s3.bucket=" + PhotosInABucketTest.BUCKET,
        "fieldbook.attachments.s3.region=" + ObjectStore.REGION,
        "fieldbook.attachments.s3.path-style=true",
        "fieldbook.attachments.s3.access-key=" + ObjectStore.ACCESS_KEY,
        "fieldbook.attachments.s3.secret-key=" + ObjectStore.SECRET_KEY})
@ContextConfiguration(initializers = TestDatabase.class)
@ActiveProfiles("test")
class PhotosInABucketTest {

    static final String BUCKET = "fieldbook-photos";
    private static final ObjectStore STORE = ObjectStore.start(BUCKET);
    private static final LocalDate DAY = LocalDate.of(2027, 3, 1);

    @LocalServerPort
    int port;

    @Value("${fieldbook.attachments.directory}")
    Path photoDirectory;

    @DynamicPropertySource
    static void objectStore(DynamicPropertyRegistry registry) {
        registry.add("fieldbook.attachments.s3.endpoint", () -> STORE.endpoint().toString());
    }

    @AfterAll
    static void stopTheStore() throws Exception {
        STORE.close();
    }

    @Test
    void aPhotoUploadedThroughTheApiIsKeptInTheBucketUnderItsHashAndServedBackWithItsThumbnail() throws Exception {
        Fixtures world = new Fixtures(port);
        String site = world.site();
        Fixtures.Person worker = world.worker(site);
        String report = Fixtures.draft(worker, site, DAY);
        byte[] jpeg = Images.jpeg(640, 480);
        String sha256 = S3PhotoStoreTest.sha256(jpeg);

        String photo = created(worker.api().upload("/api/v1/reports/" + report + "/photos", jpeg, "wall.jpg",
                Map.of()));

        byte[] object = STORE.object(objectOf(sha256));
        assertThat(object).as("the photo in the bucket under its hash").isNotNull();
        assertThat(S3PhotoStoreTest.sha256(object)).isEqualTo(sha256);
        assertThat(expect(worker.api().get("/api/v1/photos/" + photo + "/content"), 200).raw().body())
                .as("served back from the bucket").isEqualTo(jpeg);
        await(() -> STORE.has(objectOf(ReportPhoto.thumbnailKey(sha256))));
        Api.Answer thumbnail = await(worker.api(), "/api/v1/photos/" + photo + "/thumbnail");
        assertThat(thumbnail.raw().body()).isEqualTo(STORE.object(objectOf(ReportPhoto.thumbnailKey(sha256))));
        assertThat(filesOutsideStaging()).as("no photo kept on the node's disk").isEmpty();
    }

    @Test
    void aPhotoSentInResumableChunksOverSyncEndsInTheBucket() throws Exception {
        Fixtures world = new Fixtures(port);
        String site = world.site();
        Fixtures.Person worker = world.worker(site);
        SyncDevice phone = new SyncDevice(worker.api(), site);
        String report = phone.push(phone.createAt(site, UUID.randomUUID(), DAY.plusDays(1), "Formwork"))
                .path("entityId").asString();
        byte[] png = Images.png(300, 200);
        String sha256 = S3PhotoStoreTest.sha256(png);
        UUID photo = UUID.randomUUID();
        Map<String, Object> announce = phone.operation(photo.toString(), "CREATE", 0, Map.of(
                "reportId", edit(null, report), "sha256", edit(null, sha256), "size", edit(null, png.length)));
        announce.put("entity", "Photo");
        assertThat(phone.push(announce).path("outcome").asString()).isEqualTo("APPLIED");
        Map<String, String> device = Map.of("Fieldbook-Device-Id", phone.id().toString());
        expect(worker.api().send("POST", "/api/v1/sync/uploads", Map.of("photoId", photo.toString(),
                "sha256", sha256, "size", png.length), device), 200);

        int half = png.length / 2;
        expect(chunk(worker.api(), photo, 0, Arrays.copyOfRange(png, 0, half), device), 200);
        assertThat(STORE.has(objectOf(sha256))).as("not in the bucket while partial").isFalse();
        Api.Answer done = expect(chunk(worker.api(), photo, half, Arrays.copyOfRange(png, half, png.length), device),
                200);

        assertThat(done.body().path("receipt").path("sha256").asString()).isEqualTo(sha256);
        assertThat(S3PhotoStoreTest.sha256(STORE.object(objectOf(sha256)))).isEqualTo(sha256);
        assertThat(expect(worker.api().get("/api/v1/photos/" + photo + "/content"), 200).raw().body()).isEqualTo(png);
    }

    private static Api.Answer chunk(Api api, UUID photo, long offset, byte[] bytes, Map<String, String> device) {
        Map<String, String> headers = new java.util.HashMap<>(device);
        headers.put("Upload-Offset", Long.toString(offset));
        return api.sendBytes("PATCH", "/api/v1/sync/uploads/" + photo, bytes, "application/offset+octet-stream",
                headers);
    }

    private static String objectOf(String key) {
        return key.substring(0, 2) + "/" + key.substring(2, 4) + "/" + key;
    }

    /** Files under the photo directory that are not uploads being staged. */
    private java.util.List<Path> filesOutsideStaging() throws Exception {
        try (Stream<Path> files = Files.walk(photoDirectory)) {
            return files.filter(Files::isRegularFile)
                    .filter(file -> !photoDirectory.relativize(file).startsWith("incoming")).toList();
        }
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as("waited 30 s").isBefore(deadline);
            Thread.sleep(100);
        }
    }

    private static Api.Answer await(Api api, String path) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        Api.Answer answer = api.get(path);
        while (answer.status() != 200 && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
            answer = api.get(path);
        }
        return expect(answer, 200);
    }
}
