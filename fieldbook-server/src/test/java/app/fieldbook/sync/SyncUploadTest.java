package app.fieldbook.sync;

import static app.fieldbook.Fixtures.expect;
import static app.fieldbook.sync.SyncDevice.edit;
import static org.assertj.core.api.Assertions.assertThat;

import app.fieldbook.Api;
import app.fieldbook.Fixtures;
import app.fieldbook.Fixtures.Person;
import app.fieldbook.FullStackTest;
import app.fieldbook.attachments.PhotoUploads;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * Resumable photo uploads of the sync protocol over HTTP: only the device that announced a photo sends
 * its content, chunk by chunk, and what it sent survives a cut connection.
 */
@FullStackTest
class SyncUploadTest {

    private static final LocalDate DAY = LocalDate.of(2026, 9, 7);

    @LocalServerPort
    int port;

    @Autowired
    PhotoUploads uploads;

    @Autowired
    org.springframework.core.env.Environment environment;

    @Autowired
    org.springframework.jdbc.core.simple.JdbcClient jdbc;

    Fixtures world;
    String site;
    Person worker;
    Person manager;
    SyncDevice phone;
    SyncDevice tablet;

    @BeforeEach
    void world() {
        world = new Fixtures(port);
        site = world.site();
        worker = world.worker(site);
        manager = world.manager(world.portfolio(site));
        phone = new SyncDevice(worker.api(), site);
        tablet = new SyncDevice(worker.api(), site);
    }

    @Test
    void aPhotoAnnouncedWithItsReportIsPendingUntilItsContentArrivesInResumableChunks() throws Exception {
        String report = phone.push(phone.create(UUID.randomUUID(), DAY.plusDays(11), "x")).path("entityId").asString();
        byte[] jpeg = app.fieldbook.Images.jpeg(800, 600);
        String sha256 = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(jpeg));
        UUID photo = UUID.randomUUID();
        Map<String, Object> announce = phone.operation(photo.toString(), "CREATE", 0, Map.of(
                "reportId", edit(null, report), "sha256", edit(null, sha256), "size", edit(null, jpeg.length),
                "caption", edit(null, "North wall")));
        announce.put("entity", "Photo");
        assertThat(phone.push(announce).path("outcome").asString()).isEqualTo("APPLIED");

        JsonNode pending = manager.api().get("/api/v1/photos/" + photo).body();
        assertThat(pending.path("pending").asBoolean()).isTrue();
        assertThat(manager.api().get("/api/v1/photos/" + photo + "/content").status()).isEqualTo(404);
        assertThat(new SyncDevice(manager.api(), site).pullAll().path("photos").valueStream()
                .map(p -> p.path("id").asString())).contains(photo.toString());

        JsonNode started = expect(startUpload(phone, photo, jpeg), 200).body();
        assertThat(started.path("offset").asLong()).isZero();
        int half = jpeg.length / 2;
        JsonNode first = expect(chunk(photo, 0, java.util.Arrays.copyOfRange(jpeg, 0, half)), 200).body();
        assertThat(first.path("offset").asLong()).isEqualTo(half);
        assertThat(first.path("receipt").isNull()).isTrue();

        Api.Answer wrongOffset = chunk(photo, 0, java.util.Arrays.copyOfRange(jpeg, 0, half));
        assertThat(wrongOffset.status()).isEqualTo(409);
        assertThat(wrongOffset.body().path("offset").asLong()).isEqualTo(half);

        assertThat(expect(worker.api().get("/api/v1/sync/uploads/" + photo), 200).body().path("offset").asLong())
                .isEqualTo(half);
        JsonNode done = expect(chunk(photo, half, java.util.Arrays.copyOfRange(jpeg, half, jpeg.length)), 200).body();
        assertThat(done.path("receipt").path("sha256").asString()).isEqualTo(sha256);
        assertThat(done.path("receipt").path("contentType").asString()).isEqualTo("image/jpeg");
        assertThat(expect(manager.api().get("/api/v1/photos/" + photo + "/content"), 200).raw().body()).isEqualTo(jpeg);
        JsonNode storedPhoto = manager.api().get("/api/v1/photos/" + photo).body();
        assertThat(storedPhoto.path("pending").asBoolean()).isFalse();
        long version = done.path("receipt").path("version").asLong();
        assertThat(version).isEqualTo(storedPhoto.path("version").asLong()).isGreaterThan(1);

        // Removed right after, before any pull: the receipt's version is the base the server expects.
        Map<String, Object> removal = phone.operation(photo.toString(), "DELETE", version, Map.of());
        removal.put("entity", "Photo");
        assertThat(phone.push(removal).path("outcome").asString()).isEqualTo("APPLIED");
        assertThat(manager.api().get("/api/v1/photos/" + photo).status()).isEqualTo(404);
    }

    @Test
    void aRemovalBasedOnThePhotoAsAnnouncedAppliesAfterItsContentArrived() throws Exception {
        byte[] jpeg = app.fieldbook.Images.jpeg(64, 48);
        UUID stored = announcePhoto(jpeg, DAY.plusDays(13));
        UUID another = announcePhoto(jpeg, DAY.plusDays(14));
        UUID stillPending = announcePhoto(jpeg, DAY.plusDays(15));
        for (UUID photo : List.of(stored, another)) {
            expect(startUpload(phone, photo, jpeg), 200);
            assertThat(expect(chunk(photo, 0, jpeg), 200).body().path("receipt").path("version").asLong())
                    .isEqualTo(2);
        }

        // the device removes them before it heard of the upload's receipt: its base is the announced version
        assertThat(phone.push(removal(stored, 1)).path("outcome").asString()).isEqualTo("APPLIED");
        assertThat(manager.api().get("/api/v1/photos/" + stored).status()).isEqualTo(404);
        assertThat(phone.push(removal(stillPending, 1)).path("outcome").asString()).isEqualTo("APPLIED");
        // a version the photo never had is still stale
        JsonNode never = phone.push(removal(another, 0));
        assertThat(never.path("outcome").asString()).isEqualTo("REJECTED");
        assertThat(never.path("status").asInt()).isEqualTo(409);
        assertThat(manager.api().get("/api/v1/photos/" + another).status()).isEqualTo(200);
    }

    @Test
    void aCaptionWrittenBeforeTheContentArrivedIsKeptAndAChangeBasedOnItAppliesAfterTheArrival() throws Exception {
        byte[] jpeg = app.fieldbook.Images.jpeg(64, 48);
        UUID photo = announcePhoto(jpeg, DAY.plusDays(16));
        JsonNode captioned = phone.push(recaption(photo, 1, "Crane base"));
        assertThat(captioned.path("outcome").asString()).isEqualTo("APPLIED");
        assertThat(captioned.path("entityVersion").asLong()).isEqualTo(2);

        expect(startUpload(phone, photo, jpeg), 200);
        assertThat(expect(chunk(photo, 0, jpeg), 200).body().path("receipt").path("version").asLong()).isEqualTo(3);
        assertThat(manager.api().get("/api/v1/photos/" + photo).body().path("caption").asString())
                .isEqualTo("Crane base");

        // the phone had not heard of the arrival: its change based on the caption's version applies
        assertThat(phone.push(recaption(photo, 2, "Crane base, east")).path("outcome").asString()).isEqualTo("APPLIED");
        // a change based on a version another change moved on from does not
        JsonNode stale = tablet.push(recaption(photo, 3, "Crane"));
        assertThat(stale.path("outcome").asString()).isEqualTo("REJECTED");
        assertThat(stale.path("problemType").asString()).endsWith("stale-version");
        assertThat(phone.push(removal(photo, 3)).path("outcome").asString()).isEqualTo("REJECTED");

        JsonNode pulled = tablet.pullAll().path("photos").valueStream()
                .filter(p -> p.path("id").asString().equals(photo.toString())).findFirst().orElseThrow();
        assertThat(pulled.path("caption").asString()).isEqualTo("Crane base, east");
        assertThat(pulled.path("version").asLong()).isEqualTo(4);
        assertThat(phone.push(removal(photo, 4)).path("outcome").asString()).isEqualTo("APPLIED");
    }

    @Test
    void anUpdateOfAPhotoChangesItsCaptionAloneAndACaptionHasAtMostFiveHundredCharacters() throws Exception {
        byte[] jpeg = app.fieldbook.Images.jpeg(64, 48);
        UUID photo = announcePhoto(jpeg, DAY.plusDays(17));
        Map<String, Object> other = phone.operation(photo.toString(), "UPDATE", 1, Map.of("sha256", edit(null,
                "0".repeat(64))));
        other.put("entity", "Photo");
        JsonNode refused = phone.push(other);
        assertThat(refused.path("status").asInt()).isEqualTo(422);
        assertThat(refused.path("detail").asString()).contains("caption alone");

        JsonNode tooLong = phone.push(recaption(photo, 1, "x".repeat(501)));
        assertThat(tooLong.path("status").asInt()).isEqualTo(422);
        assertThat(tooLong.path("detail").asString()).contains("500 characters");

        String report = phone.push(phone.create(UUID.randomUUID(), DAY.plusDays(18), "x")).path("entityId").asString();
        Map<String, Object> announce = phone.operation(UUID.randomUUID().toString(), "CREATE", 0, Map.of(
                "reportId", edit(null, report), "sha256", edit(null, sha256(jpeg)), "size", edit(null, jpeg.length),
                "caption", edit(null, "y".repeat(501))));
        announce.put("entity", "Photo");
        assertThat(phone.push(announce).path("status").asInt()).isEqualTo(422);
        for (Map.Entry<String, Double> offTheGlobe : Map.of("latitude", 200.0, "longitude", -180.5).entrySet()) {
            Map<String, Object> placed = phone.operation(UUID.randomUUID().toString(), "CREATE", 0, Map.of(
                    "reportId", edit(null, report), "sha256", edit(null, sha256(jpeg)), "size", edit(null, jpeg.length),
                    offTheGlobe.getKey(), edit(null, offTheGlobe.getValue())));
            placed.put("entity", "Photo");
            JsonNode offGlobe = phone.push(placed);
            assertThat(offGlobe.path("status").asInt()).as(offTheGlobe.getKey()).isEqualTo(422);
            assertThat(offGlobe.path("detail").asString()).contains(offTheGlobe.getKey() + " must be from");
        }
        assertThat(jdbc.sql("SELECT COUNT(*) FROM photos WHERE report_id = ?").param(UUID.fromString(report))
                .query(Long.class).single()).isZero();
        assertThat(manager.api().get("/api/v1/photos/" + photo).body().path("version").asLong()).isEqualTo(1);
    }

    private Map<String, Object> recaption(UUID photo, long base, String caption) {
        Map<String, Object> update = phone.operation(photo.toString(), "UPDATE", base, Map.of("caption",
                edit(null, caption)));
        update.put("entity", "Photo");
        return update;
    }

    private Map<String, Object> removal(UUID photo, long base) {
        Map<String, Object> removal = phone.operation(photo.toString(), "DELETE", base, Map.of());
        removal.put("entity", "Photo");
        return removal;
    }

    @Test
    void contentThatDoesNotMatchTheAnnouncedHashIsRefusedAndTheUploadStartsOver() throws Exception {
        String report = phone.push(phone.create(UUID.randomUUID(), DAY.plusDays(12), "x")).path("entityId").asString();
        byte[] jpeg = app.fieldbook.Images.jpeg(64, 64);
        byte[] other = app.fieldbook.Images.png(64, 64);
        String sha256 = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(jpeg));
        UUID photo = UUID.randomUUID();
        Map<String, Object> announce = phone.operation(photo.toString(), "CREATE", 0, Map.of(
                "reportId", edit(null, report), "sha256", edit(null, sha256), "size", edit(null, other.length)));
        announce.put("entity", "Photo");
        phone.push(announce);
        Api.Answer wrong = chunk(photo, 0, other);
        assertThat(wrong.status()).isEqualTo(422);
        assertThat(wrong.problemType()).endsWith("/hash-mismatch");
        assertThat(worker.api().get("/api/v1/sync/uploads/" + photo).body().path("offset").asLong()).isZero();
        assertThat(worker.api().get("/api/v1/photos/" + photo).body().path("pending").asBoolean()).isTrue();
    }

    @Test
    void aSlowUploadDoesNotHoldUpTheUploadOfAnotherPhoto() throws Exception {
        byte[] slowContent = app.fieldbook.Images.jpeg(400, 300);
        byte[] quickContent = app.fieldbook.Images.jpeg(300, 200);
        UUID slow = announcePhoto(slowContent, DAY.plusDays(20));
        UUID quick = announcePhoto(quickContent, DAY.plusDays(21));
        int firstPart = slowContent.length / 3;
        try (java.net.Socket device = new java.net.Socket("127.0.0.1", port)) {
            var out = device.getOutputStream();
            sendFirstPart(device, slow, slowContent, firstPart);
            byte[] rest = java.util.Arrays.copyOfRange(slowContent, firstPart, slowContent.length);
            Api.Answer busy = chunk(slow, firstPart, rest);
            for (int i = 0; i < 100 && !busy.problemType().endsWith("/upload-busy"); i++) {
                // until the slow chunk holds the photo's lease (before, the server has no byte: wrong offset)
                Thread.sleep(50);
                busy = chunk(slow, firstPart, rest);
            }
            assertThat(busy.status()).isEqualTo(409);
            assertThat(busy.problemType()).as("the slow upload has begun").endsWith("/upload-busy");
            assertThat(busy.body().path("offset").asLong()).as("its first part is gathered, not yet written").isZero();

            JsonNode done = expect(chunk(quick, 0, quickContent), 200).body();
            assertThat(done.path("receipt").path("photoId").asString()).isEqualTo(quick.toString());

            out.write(slowContent, firstPart, slowContent.length - firstPart);
            out.flush();
            String status = new java.io.BufferedReader(new java.io.InputStreamReader(device.getInputStream(),
                    java.nio.charset.StandardCharsets.US_ASCII)).readLine();
            assertThat(status).startsWith("HTTP/1.1 200");
        }
        assertThat(expect(manager.api().get("/api/v1/photos/" + slow + "/content"), 200).raw().body())
                .isEqualTo(slowContent);
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void anUploadCutByTheNetworkIsLoggedAsOneQuietLineAndResumesFromWhatArrived(CapturedOutput log)
            throws Exception {
        byte[] content = app.fieldbook.Images.jpeg(400, 300);
        UUID photo = announcePhoto(content, DAY.plusDays(26));
        int part = content.length / 2;
        try (java.net.Socket device = new java.net.Socket("127.0.0.1", port)) {
            sendFirstPart(device, photo, content, part);
        }
        for (int i = 0; i < 200 && !log.getAll().contains("went away"); i++) {
            Thread.sleep(50);
        }

        assertThat(log.getAll()).contains("The client went away during PATCH /api/v1/sync/uploads/" + photo);
        assertThat(log.getAll().lines().filter(line -> line.contains(" ERROR ") || line.startsWith("\tat ")))
                .as("no error, no stack trace").isEmpty();
        long have = offsetOf(photo);
        assertThat(have).isEqualTo(part);
        expect(chunk(photo, have, java.util.Arrays.copyOfRange(content, (int) have, content.length)), 200);
        assertThat(expect(manager.api().get("/api/v1/photos/" + photo + "/content"), 200).raw().body())
                .isEqualTo(content);
    }

    @Test
    void partialUploadsNobodyWillCompleteAreDeleted() throws Exception {
        byte[] content = app.fieldbook.Images.jpeg(200, 200);
        byte[] half = java.util.Arrays.copyOfRange(content, 0, content.length / 2);
        UUID fresh = announcePhoto(content, DAY.plusDays(22));
        UUID stale = announcePhoto(content, DAY.plusDays(23));
        UUID removed = announcePhoto(content, DAY.plusDays(24));
        for (UUID photo : List.of(fresh, stale, removed)) {
            expect(chunk(photo, 0, half), 200);
        }
        java.nio.file.Files.setLastModifiedTime(partialOf(stale),
                java.nio.file.attribute.FileTime.from(java.time.Instant.now().minus(java.time.Duration.ofDays(8))));
        Map<String, Object> removal = phone.operation(removed.toString(), "DELETE", 1, Map.of());
        removal.put("entity", "Photo");
        assertThat(phone.push(removal).path("outcome").asString()).isEqualTo("APPLIED");

        uploads.forgetAbandoned();

        assertThat(offsetOf(fresh)).isEqualTo(half.length);
        assertThat(java.nio.file.Files.exists(partialOf(fresh))).isTrue();
        assertThat(java.nio.file.Files.exists(partialOf(stale))).isFalse();
        assertThat(java.nio.file.Files.exists(partialOf(removed))).isFalse();
        assertThat(offsetOf(stale)).as("the device starts over").isZero();
        JsonNode again = expect(chunk(stale, 0, content), 200).body();
        assertThat(again.path("receipt").path("sha256").asString()).isNotEmpty();
    }

    @Test
    void onlyTheUserAndDeviceThatAnnouncedAPhotoMaySendItsBytes() throws Exception {
        byte[] jpeg = app.fieldbook.Images.jpeg(400, 300);
        UUID photo = announcePhoto(jpeg, DAY.plusDays(37));
        int half = jpeg.length / 2;
        expect(chunk(phone, photo, 0, java.util.Arrays.copyOfRange(jpeg, 0, half)), 200);
        byte[] partial = java.nio.file.Files.readAllBytes(partialOf(photo));
        var modified = java.nio.file.attribute.FileTime.from(java.time.Instant.parse("2026-09-01T00:00:00Z"));
        java.nio.file.Files.setLastModifiedTime(partialOf(photo), modified);
        byte[] rest = java.util.Arrays.copyOfRange(jpeg, half, jpeg.length);
        SyncDevice managersDevice = new SyncDevice(manager.api(), site);
        SyncDevice executivesDevice = new SyncDevice(world.executive().api(), site);

        for (Api.Answer refused : List.of(chunk(managersDevice, photo, half, rest),
                chunk(executivesDevice, photo, half, rest), chunk(tablet, photo, half, rest),
                chunk(null, photo, half, rest),
                startUpload(managersDevice, photo, jpeg), startUpload(tablet, photo, jpeg))) {
            assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
            assertThat(refused.problemType()).isEqualTo("https://fieldbook.app/problems/not-uploader");
        }
        Api.Answer tooLong = chunk(phone, photo, half, java.util.Arrays.copyOf(rest, rest.length + 1));
        assertThat(tooLong.status()).isEqualTo(413);
        assertThat(tooLong.problemType()).endsWith("/upload-too-long");
        assertThat(java.nio.file.Files.readAllBytes(partialOf(photo))).isEqualTo(partial);
        assertThat(java.nio.file.Files.getLastModifiedTime(partialOf(photo))).isEqualTo(modified);

        assertThat(expect(startUpload(phone, photo, jpeg), 200).body().path("offset").asLong()).isEqualTo(half);
        JsonNode done = expect(chunk(phone, photo, half, rest), 200).body();
        assertThat(done.path("receipt").path("sha256").asString()).isEqualTo(sha256(jpeg));
        assertThat(expect(manager.api().get("/api/v1/photos/" + photo + "/content"), 200).raw().body()).isEqualTo(jpeg);
    }

    private static String sha256(byte[] content) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(content));
    }

    private Api.Answer startUpload(SyncDevice device, UUID photo, byte[] content) throws Exception {
        return device.api.send("POST", "/api/v1/sync/uploads", Map.of("photoId", photo.toString(),
                "sha256", sha256(content), "size", content.length), Map.of("Fieldbook-Device-Id", device.id.toString()));
    }

    private UUID announcePhoto(byte[] content, LocalDate day) throws Exception {
        String report = phone.push(phone.create(UUID.randomUUID(), day, "x")).path("entityId").asString();
        String sha256 = java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(content));
        UUID photo = UUID.randomUUID();
        Map<String, Object> announce = phone.operation(photo.toString(), "CREATE", 0, Map.of(
                "reportId", edit(null, report), "sha256", edit(null, sha256), "size", edit(null, content.length)));
        announce.put("entity", "Photo");
        assertThat(phone.push(announce).path("outcome").asString()).isEqualTo("APPLIED");
        return photo;
    }

    /**
     * Starts the phone's upload of the whole photo on a connection of its own, sends only its first
     * {@code part} bytes, and waits until the server receives them (holds the photo's lease; it writes them
     * once it has gathered more, or when the connection ends).
     */
    private void sendFirstPart(java.net.Socket device, UUID photo, byte[] content, int part) throws Exception {
        var out = device.getOutputStream();
        out.write(("PATCH /api/v1/sync/uploads/" + photo + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                + "\r\nAuthorization: Bearer " + token(worker.api()) + "\r\nFieldbook-Device-Id: " + phone.id
                + "\r\nUpload-Offset: 0"
                + "\r\nContent-Type: application/offset+octet-stream\r\nContent-Length: " + content.length
                + "\r\nConnection: close\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        out.write(content, 0, part);
        out.flush();
        for (int i = 0; i < 200 && leasesOf(photo) == 0; i++) {
            Thread.sleep(50);
        }
        assertThat(leasesOf(photo)).as("the server receives the first part").isOne();
    }

    private int leasesOf(UUID photo) {
        return jdbc.sql("SELECT COUNT(*) FROM upload_leases WHERE photo_id = ?").param(photo).query(Integer.class)
                .single();
    }

    private long offsetOf(UUID photo) {
        return expect(worker.api().get("/api/v1/sync/uploads/" + photo), 200).body().path("offset").asLong();
    }

    private java.nio.file.Path partialOf(UUID photo) {
        return java.nio.file.Path.of(environment.getProperty("fieldbook.attachments.upload-directory", "./data/uploads"))
                .resolve(photo + ".part");
    }

    /** A chunk of the photo's content as the device sends it; a null device sends no device id. */
    private java.net.http.HttpRequest uploadRequest(SyncDevice device, UUID photo, long offset,
            java.net.http.HttpRequest.BodyPublisher body) {
        Api api = device == null ? worker.api() : device.api;
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(api.base()
                        + "/api/v1/sync/uploads/" + photo))
                .timeout(java.time.Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token(api))
                .header("Upload-Offset", Long.toString(offset))
                .header("Content-Type", "application/offset+octet-stream");
        if (device != null) {
            request.header("Fieldbook-Device-Id", device.id.toString());
        }
        return request.method("PATCH", body).build();
    }

    private Api.Answer chunk(UUID photo, long offset, byte[] bytes) {
        return chunk(phone, photo, offset, bytes);
    }

    private Api.Answer chunk(SyncDevice device, UUID photo, long offset, byte[] bytes) {
        try {
            var request = uploadRequest(device, photo, offset,
                    java.net.http.HttpRequest.BodyPublishers.ofByteArray(bytes));
            var response = java.net.http.HttpClient.newHttpClient().send(request,
                    java.net.http.HttpResponse.BodyHandlers.ofByteArray());
            String type = response.headers().firstValue("Content-Type").orElse(null);
            JsonNode body = tools.jackson.databind.json.JsonMapper.builder().build().readTree(response.body());
            return new Api.Answer(response.statusCode(), body, type, response);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String token(Api api) {
        return api.token();
    }
}
