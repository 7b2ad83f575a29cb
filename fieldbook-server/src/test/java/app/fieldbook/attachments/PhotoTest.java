package app.fieldbook.attachments;

import static app.fieldbook.Fixtures.draft;
import static app.fieldbook.Fixtures.expect;
import static org.assertj.core.api.Assertions.assertThat;

import app.fieldbook.Api;
import app.fieldbook.Fixtures;
import app.fieldbook.Fixtures.Person;
import app.fieldbook.FullStackTest;
import app.fieldbook.Images;
import app.fieldbook.TestDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

@FullStackTest
class PhotoTest {

    private static final LocalDate DAY = LocalDate.of(2026, 5, 4);

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    MakingThumbnails makingThumbnails;

    @Autowired
    PhotoStore store;

    @Autowired
    AttachmentSettings settings;

    @Autowired
    MeterRegistry registry;

    Fixtures world;
    String site;
    Person worker;
    Person manager;
    String report;

    @BeforeEach
    void world() {
        world = new Fixtures(port);
        site = world.site();
        worker = world.worker(site);
        manager = world.manager(world.portfolio(site));
        report = draft(worker, site, DAY);
    }

    @Test
    void aJpegIsStoredByItsHashAndReadBackByTheSiteManagerAndItsThumbnailFollows() throws Exception {
        byte[] jpeg = Images.jpeg(1600, 1200);
        Api.Answer uploaded = worker.api().upload("/api/v1/reports/" + report + "/photos", jpeg, "site.png",
                Map.of("caption", "North wall", "takenAt", "2026-05-04T09:15:00+02:00", "latitude", "53.5",
                        "longitude", "9.9"));
        expect(uploaded, 201);
        assertThat(uploaded.body().path("contentType").asString()).isEqualTo("image/jpeg");
        assertThat(uploaded.body().path("sha256").asString()).isEqualTo(sha256(jpeg));
        assertThat(uploaded.body().path("sizeBytes").asLong()).isEqualTo(jpeg.length);
        assertThat(uploaded.body().path("thumbnail").asBoolean()).isFalse();

        Api.Answer content = manager.api().get("/api/v1/photos/" + uploaded.id() + "/content");
        assertThat(content.status()).isEqualTo(200);
        assertThat(content.contentType()).isEqualTo("image/jpeg");
        assertThat(Arrays.equals(content.raw().body(), jpeg)).isTrue();

        Api.Answer thumbnail = thumbnailOnceMade(manager, uploaded.id());
        assertThat(thumbnail.status()).isEqualTo(200);
        assertThat(manager.api().get("/api/v1/photos/" + uploaded.id()).body().path("thumbnail").asBoolean()).isTrue();
        var image = ImageIO.read(new ByteArrayInputStream(thumbnail.raw().body()));
        assertThat(Math.max(image.getWidth(), image.getHeight())).isEqualTo(320);

        assertThat(manager.api().get("/api/v1/reports/" + report + "/photos").body().valueStream()
                .map(p -> p.path("id").asString())).containsExactly(uploaded.id());
    }

    @Test
    void aPhotoSentAsTheRequestBodyIsStoredByItsHashWithWhatTheQuerySaysAboutIt() throws Exception {
        byte[] jpeg = Images.jpeg(1200, 900);
        UUID id = UUID.randomUUID();
        Api.Answer uploaded = worker.api().postBytes("/api/v1/reports/" + report + "/photos?id=" + id
                + "&caption=South%20gate&takenAt=2026-05-04T10:00:00Z&latitude=53.5&longitude=9.9", jpeg, "image/jpeg");
        expect(uploaded, 201);
        assertThat(uploaded.id()).isEqualTo(id.toString());
        assertThat(uploaded.body().path("sha256").asString()).isEqualTo(sha256(jpeg));
        assertThat(uploaded.body().path("sizeBytes").asLong()).isEqualTo(jpeg.length);
        assertThat(uploaded.body().path("caption").asString()).isEqualTo("South gate");
        assertThat(Arrays.equals(worker.api().get("/api/v1/photos/" + id + "/content").raw().body(), jpeg)).isTrue();

        Api.Answer replay = worker.api().postBytes("/api/v1/reports/" + report + "/photos?id=" + id, jpeg,
                "application/octet-stream");
        assertThat(replay.status()).isEqualTo(200);
        assertThat(thumbnailOnceMade(worker, id.toString()).status()).isEqualTo(200);
    }

    @Test
    void aRequestBodyThatIsNotAnImageOrTooLargeIsRefusedWhateverItsClaimedTypeAndNothingIsWritten() throws Exception {
        long before = photoCount();
        Api.Answer html = worker.api().postBytes("/api/v1/reports/" + report + "/photos",
                "<html></html>".getBytes(), "image/jpeg");
        assertThat(html.status()).isEqualTo(415);
        assertThat(html.problemType()).endsWith("/unsupported-photo-type");
        assertThat(statusLineBeforeSendingTheBody(25L * 1024 * 1024 + 1)).contains(" 413 ");
        Api.Answer lonely = worker.api().postBytes("/api/v1/reports/" + report + "/photos?latitude=1", Images.png(4, 4),
                "image/png");
        assertThat(lonely.status()).isEqualTo(400);
        assertThat(photoCount()).isEqualTo(before);
    }

    @Test
    void heicIsAcceptedByItsContentButHasNoThumbnail() {
        Api.Answer uploaded = worker.api().upload("/api/v1/reports/" + report + "/photos", Images.heic(),
                "photo.jpg", Map.of());
        expect(uploaded, 201);
        assertThat(uploaded.body().path("contentType").asString()).isEqualTo("image/heic");
        assertThat(uploaded.body().path("thumbnail").asBoolean()).isFalse();
        assertThat(worker.api().get("/api/v1/photos/" + uploaded.id() + "/thumbnail").status()).isEqualTo(404);
    }

    @Test
    void aFileWhoseBytesAreNotAnImageIsRefusedWhateverItsNameAndNothingIsWritten() {
        long before = photoCount();
        Api.Answer answer = worker.api().upload("/api/v1/reports/" + report + "/photos",
                "<html><script>alert(1)</script></html>".getBytes(), "innocent.jpg", Map.of());
        assertThat(answer.status()).isEqualTo(415);
        assertThat(answer.isProblem()).isTrue();
        assertThat(answer.problemType()).endsWith("/unsupported-photo-type");
        assertThat(photoCount()).isEqualTo(before);
    }

    @Test
    void aPhotoOverTheSizeLimitIsRefusedAndNothingIsWritten() {
        long before = photoCount();
        byte[] oversize = new byte[25 * 1024 * 1024 + 1];
        byte[] jpeg = Images.jpeg(10, 10);
        System.arraycopy(jpeg, 0, oversize, 0, jpeg.length);
        Api.Answer answer = worker.api().upload("/api/v1/reports/" + report + "/photos", oversize, "big.jpg", Map.of());
        assertThat(answer.status()).isEqualTo(413);
        assertThat(answer.isProblem()).isTrue();
        assertThat(answer.problemType()).endsWith("/photo-too-large");

        Api.Answer huge = worker.api().upload("/api/v1/reports/" + report + "/photos", new byte[27 * 1024 * 1024],
                "huge.jpg", Map.of());
        assertThat(huge.status()).isEqualTo(413);
        assertThat(huge.isProblem()).isTrue();
        assertThat(photoCount()).isEqualTo(before);
    }

    @Test
    void photosOfAReportOutsideYourSitesCannotBeSeenOrDownloaded() {
        String photo = expect(worker.api().upload("/api/v1/reports/" + report + "/photos", Images.png(40, 30),
                "a.png", Map.of()), 201).id();
        String otherSite = world.site();
        Person stranger = world.worker(otherSite);
        Person otherManager = world.manager(world.portfolio(otherSite));
        for (Person outsider : new Person[] {stranger, otherManager}) {
            assertThat(outsider.api().get("/api/v1/photos/" + photo).status()).isEqualTo(404);
            assertThat(outsider.api().get("/api/v1/photos/" + photo + "/content").status()).isEqualTo(404);
            assertThat(outsider.api().get("/api/v1/photos/" + photo + "/thumbnail").status()).isEqualTo(404);
            assertThat(outsider.api().get("/api/v1/reports/" + report + "/photos").status()).isEqualTo(404);
        }
        assertThat(world.administrator().api().get("/api/v1/photos/" + photo + "/content").status()).isEqualTo(403);
        expect(world.executive().api().get("/api/v1/photos/" + photo + "/content"), 200);
    }

    @Test
    void onlyTheAuthorAttachesPhotosAndOnlyWhileTheReportIsEditable() {
        Person colleague = world.worker(site);
        long before = photoCount();
        assertThat(colleague.api().upload("/api/v1/reports/" + report + "/photos", Images.png(8, 8), "a.png", Map.of())
                .status()).isEqualTo(403);
        expect(worker.api().post("/api/v1/reports/" + report + "/submit"), 200);
        assertThat(worker.api().upload("/api/v1/reports/" + report + "/photos", Images.png(8, 8), "a.png", Map.of())
                .status()).isEqualTo(409);
        assertThat(photoCount()).isEqualTo(before);
    }

    @Test
    void replayingAnUploadWithTheSameClientIdStoresItOnce() {
        UUID id = UUID.randomUUID();
        byte[] png = Images.png(20, 20);
        expect(worker.api().upload("/api/v1/reports/" + report + "/photos", png, "a.png", Map.of("id", id.toString())), 201);
        Api.Answer replay = worker.api().upload("/api/v1/reports/" + report + "/photos", png, "a.png",
                Map.of("id", id.toString()));
        assertThat(replay.status()).isEqualTo(200);
        assertThat(replay.id()).isEqualTo(id.toString());
        assertThat(jdbc.sql("SELECT COUNT(*) FROM photos WHERE id = ?").param(id).query(Long.class).single()).isOne();
    }

    @Test
    void aCaptionIsWrittenLaterByTheAuthorWhileTheReportIsEditableAndAudited() {
        String photo = expect(worker.api().upload("/api/v1/reports/" + report + "/photos", Images.png(8, 8), "a.png",
                Map.of()), 201).id();
        String path = "/api/v1/photos/" + photo + "/caption";

        Api.Answer captioned = expect(worker.api().put(path, Map.of("caption", "  North wall, formwork  ",
                "version", 1)), 200);
        assertThat(captioned.body().path("caption").asString()).isEqualTo("North wall, formwork");
        assertThat(captioned.version()).isEqualTo(2);
        // the same caption again is no change
        assertThat(expect(worker.api().put(path, Map.of("caption", "North wall, formwork", "version", 2)), 200)
                .version()).isEqualTo(2);

        // refused, each changes nothing: a stale version, too long, someone else, a missing version
        assertThat(worker.api().put(path, Map.of("caption", "Older", "version", 1)).problemType())
                .endsWith("stale-version");
        Api.Answer tooLong = worker.api().put(path, Map.of("caption", "x".repeat(501), "version", 2));
        assertThat(tooLong.status()).isEqualTo(422);
        assertThat(tooLong.problemType()).endsWith("/invalid-photo");
        // the length counts once stripped, as in sync
        assertThat(expect(worker.api().put(path, Map.of("caption", " " + "y".repeat(500) + " ", "version", 2)), 200)
                .version()).isEqualTo(3);
        assertThat(expect(worker.api().put(path, Map.of("caption", "North wall, formwork", "version", 3)), 200)
                .version()).isEqualTo(4);
        assertThat(manager.api().put(path, Map.of("caption", "Mine", "version", 4)).status()).isEqualTo(403);
        assertThat(worker.api().put(path, Map.of("caption", "No version")).status()).isEqualTo(400);
        assertThat(manager.api().get("/api/v1/photos/" + photo).body().path("caption").asString())
                .isEqualTo("North wall, formwork");

        // blank clears it
        Api.Answer cleared = expect(worker.api().put(path, Map.of("caption", " ", "version", 4)), 200);
        assertThat(cleared.body().path("caption").isNull()).isTrue();
        assertThat(cleared.version()).isEqualTo(5);
        var events = world.admin().get("/api/v1/audit/events?entityType=Photo&entityId=" + photo).body().path("items");
        assertThat(events.valueStream().map(e -> e.path("action").asString())).containsExactlyInAnyOrder(
                "PHOTO_CREATED", "PHOTO_UPDATED", "PHOTO_UPDATED", "PHOTO_UPDATED", "PHOTO_UPDATED");

        // once submitted, the photos are the report's as sent
        expect(worker.api().post("/api/v1/reports/" + report + "/submit"), 200);
        assertThat(worker.api().put(path, Map.of("caption", "After", "version", 5)).status()).isEqualTo(409);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM photos WHERE id = ? AND caption IS NULL AND version = 5")
                .param(UUID.fromString(photo)).query(Long.class).single()).isOne();
    }

    @Test
    void removingAPhotoAndDeletingADraftAreAudited() {
        String photo = expect(worker.api().upload("/api/v1/reports/" + report + "/photos", Images.png(8, 8), "a.png",
                Map.of()), 201).id();
        String second = expect(worker.api().upload("/api/v1/reports/" + report + "/photos", Images.jpeg(8, 8), "b.jpg",
                Map.of()), 201).id();
        expect(worker.api().delete("/api/v1/photos/" + photo + "?version=1"), 204);
        expect(worker.api().delete("/api/v1/reports/" + report + "?version=1"), 204);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM photos WHERE report_id = ?").param(UUID.fromString(report))
                .query(Long.class).single()).isZero();
        for (String removed : new String[] {photo, second}) {
            assertThat(world.admin().get("/api/v1/audit/events?entityType=Photo&entityId=" + removed).body()
                    .path("items").valueStream().map(e -> e.path("action").asString()))
                    .contains("PHOTO_CREATED", "PHOTO_DELETED");
        }
    }

    @Test
    void aThumbnailIsMadeAfterTheUploadWasAnsweredAndIsPendingUntilThen() throws Exception {
        makingThumbnails.stop();
        String photo;
        try {
            photo = expect(worker.api().upload("/api/v1/reports/" + report + "/photos", Images.jpeg(900, 600), "a.jpg",
                    Map.of()), 201).id();
            Api.Answer pending = worker.api().get("/api/v1/photos/" + photo + "/thumbnail");
            assertThat(pending.status()).isEqualTo(404);
            assertThat(pending.problemType()).endsWith("/thumbnail-pending");
            assertThat(pending.raw().headers().firstValue("Retry-After")).contains("2");
            assertThat(worker.api().get("/api/v1/photos/" + photo).body().path("thumbnail").asBoolean()).isFalse();
        } finally {
            makingThumbnails.start();
        }
        assertThat(thumbnailOnceMade(worker, photo).status()).isEqualTo(200);
        assertThat(jdbc.sql("SELECT thumbnail_due FROM photos WHERE id = ?").param(UUID.fromString(photo))
                .query(Boolean.class).single()).isFalse();
    }

    /**
     * On H2 only: on PostgreSQL the application contexts of a run share the database but not the photo
     * directory, so another context's thumbnail job may take the photo in hand first (and count its failure).
     */
    @Test
    void aPhotoWhoseContentCannotBeReadIsSettledWithoutAThumbnailAndCountsAsAFailedRunOfTheJob() throws Exception {
        Assumptions.assumeFalse(TestDatabase.isPostgres(), "the photo directory is this context's, the database not");
        byte[] jpeg = Images.jpeg(733, 411);
        String sha256 = sha256(jpeg);
        double failures = registry.counter("fieldbook.job.failures", "name", MakingThumbnails.JOB).count();
        makingThumbnails.stop();
        String photo;
        try {
            photo = expect(worker.api().upload("/api/v1/reports/" + report + "/photos", jpeg, "gone.jpg", Map.of()),
                    201).id();
            Files.delete(settings.directory().toAbsolutePath().normalize().resolve(sha256.substring(0, 2))
                    .resolve(sha256.substring(2, 4)).resolve(sha256));
        } finally {
            makingThumbnails.start();
        }
        Api.Answer thumbnail = thumbnailOnceMade(worker, photo);
        assertThat(thumbnail.status()).isEqualTo(404);
        assertThat(jdbc.sql("SELECT thumbnail_due FROM photos WHERE id = ?").param(UUID.fromString(photo))
                .query(Boolean.class).single()).isFalse();
        assertThat(registry.counter("fieldbook.job.failures", "name", MakingThumbnails.JOB).count())
                .isEqualTo(failures + 1);
    }

    @Test
    void aDeviceThatPulledAPhotoBeforeItsThumbnailExistedGetsThePhotoAgainOnceItDoes() throws Exception {
        Api device = manager.api();
        UUID deviceId = UUID.randomUUID();
        pullPhotos(device, deviceId, "");
        makingThumbnails.stop();
        String photo;
        String cursor;
        try {
            photo = expect(worker.api().upload("/api/v1/reports/" + report + "/photos", Images.jpeg(812, 609), "a.jpg",
                    Map.of()), 201).id();
            Pulled before = pullPhotos(device, deviceId, "");
            assertThat(before.photos()).containsEntry(photo, false);
            cursor = before.cursor();
        } finally {
            makingThumbnails.start();
        }
        thumbnailOnceMade(worker, photo);
        assertThat(pullPhotos(device, deviceId, cursor).photos()).containsEntry(photo, true);
    }

    /** What a device's pull from {@code cursor} to the end answers: each photo's thumbnail flag, and the new cursor. */
    private record Pulled(Map<String, Boolean> photos, String cursor) {
    }

    private Pulled pullPhotos(Api device, UUID deviceId, String cursor) {
        Map<String, Boolean> photos = new java.util.HashMap<>();
        String at = cursor;
        for (int page = 0; page < 100; page++) {
            Map<String, Object> request = new java.util.LinkedHashMap<>();
            request.put("protocolVersion", 1);
            request.put("clientVersion", "0.1.0");
            request.put("deviceId", deviceId.toString());
            request.put("device", Map.of("outboxDepth", 0, "pendingPhotos", 0, "appVersion", "0.1.0"));
            request.put("cursor", at);
            request.put("limit", 100);
            request.put("knownSiteIds", java.util.List.of(site));
            var answer = expect(device.post("/api/v1/sync/pull", request), 200).body();
            answer.path("photos").valueStream().forEach(p -> photos.put(p.path("id").asString(),
                    p.path("thumbnail").asBoolean()));
            at = answer.path("cursor").asString();
            if (!answer.path("more").asBoolean()) {
                break;
            }
        }
        return new Pulled(photos, at);
    }

    @Test
    void aPhotoStoredWithoutItsThumbnailGetsOneFromTheJobLaterAsAfterARestart() throws Exception {
        String photo = expect(worker.api().upload("/api/v1/reports/" + report + "/photos", Images.png(640, 480), "a.png",
                Map.of()), 201).id();
        thumbnailOnceMade(worker, photo);
        byte[] other = Images.jpeg(641, 480);
        String sha256 = sha256(other);
        java.nio.file.Path file = java.nio.file.Files.createTempFile("photo-", ".jpg");
        java.nio.file.Files.write(file, other);
        store.put(sha256, file);
        jdbc.sql("UPDATE photos SET sha256 = ?, size_bytes = ?, content_type = 'image/jpeg', has_thumbnail = FALSE, "
                + "thumbnail_due = TRUE WHERE id = ?").params(sha256, other.length, UUID.fromString(photo)).update();

        Api.Answer thumbnail = thumbnailOnceMade(worker, photo);
        assertThat(thumbnail.status()).isEqualTo(200);
        assertThat(ImageIO.read(new ByteArrayInputStream(thumbnail.raw().body())).getWidth()).isEqualTo(320);
    }

    @Test
    void anImageDeclaringMorePixelsThanTheLimitIsRefusedBeforeAnythingDecodesItAndNothingIsWritten() {
        long before = photoCount();
        Api.Answer bomb = worker.api().upload("/api/v1/reports/" + report + "/photos", Images.pngDeclaring(20_000, 20_000),
                "bomb.png", Map.of());
        assertThat(bomb.status()).isEqualTo(422);
        assertThat(bomb.isProblem()).isTrue();
        assertThat(bomb.problemType()).endsWith("/too-many-pixels");
        assertThat(bomb.body().path("maxPixels").asLong()).isEqualTo(50_000_000L);

        Api.Answer jpeg = worker.api().upload("/api/v1/reports/" + report + "/photos", Images.jpegDeclaring(10_000, 8_000),
                "wide.jpg", Map.of());
        assertThat(jpeg.status()).isEqualTo(422);
        assertThat(jpeg.problemType()).endsWith("/too-many-pixels");
        assertThat(photoCount()).isEqualTo(before);
    }

    /** Sends only the head of a raw upload declaring {@code length} bytes, and reads the answer's status line. */
    private String statusLineBeforeSendingTheBody(long length) throws java.io.IOException {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            String head = "POST /api/v1/reports/" + report + "/photos HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Authorization: Bearer " + worker.api().token() + "\r\nContent-Type: image/jpeg\r\n"
                    + "Content-Length: " + length + "\r\n\r\n";
            socket.getOutputStream().write(head.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    java.nio.charset.StandardCharsets.US_ASCII)).readLine();
        }
    }

    /** The thumbnail, once the background job made it: asked for until it stops being pending. */
    private static Api.Answer thumbnailOnceMade(Person person, String photo) throws InterruptedException {
        for (int attempt = 0; attempt < 600; attempt++) {
            Api.Answer answer = person.api().get("/api/v1/photos/" + photo + "/thumbnail");
            if (answer.status() != 404 || !answer.problemType().endsWith("/thumbnail-pending")) {
                return answer;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("The thumbnail of " + photo + " stayed pending for a minute");
    }

    private long photoCount() {
        return jdbc.sql("SELECT COUNT(*) FROM photos").query(Long.class).single();
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
