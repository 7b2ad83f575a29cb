package app.fieldbook.sync;

import static app.fieldbook.Fixtures.expect;
import static org.assertj.core.api.Assertions.assertThat;

import app.fieldbook.Api;
import app.fieldbook.Fixtures;
import app.fieldbook.Fixtures.Person;
import app.fieldbook.FullStackTest;
import app.fieldbook.Images;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.Environment;

/** The content of a photo sent through sync gets the same checks as an upload, and its thumbnail follows. */
@FullStackTest
class SyncedPhotoContentTest {

    @LocalServerPort
    int port;

    @Autowired
    Environment environment;

    Person worker;
    String report;
    UUID device = UUID.randomUUID();

    @BeforeEach
    void world() {
        Fixtures world = new Fixtures(port);
        String site = world.site();
        worker = world.worker(site);
        report = Fixtures.draft(worker, site, LocalDate.of(2026, 6, 1));
    }

    @Test
    void aSyncedImageDeclaringMorePixelsThanTheLimitIsRefusedWhenItsLastByteArrivesAndStaysPending()
            throws Exception {
        byte[] bomb = Images.pngDeclaring(20_000, 20_000);
        UUID photo = announce(bomb);
        Api.Answer refused = send(photo, bomb);
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.problemType()).endsWith("/too-many-pixels");
        assertThat(worker.api().get("/api/v1/photos/" + photo).body().path("pending").asBoolean()).isTrue();
    }

    @Test
    void aSyncedPhotoIsMovedIntoTheStoreAndItsThumbnailFollows() throws Exception {
        byte[] jpeg = Images.jpeg(1000, 750);
        UUID photo = announce(jpeg);
        Api.Answer stored = send(photo, jpeg);
        assertThat(stored.status()).isEqualTo(200);
        assertThat(stored.body().path("receipt").path("sha256").asString()).isEqualTo(sha256(jpeg));
        Path uploads = Path.of(environment.getProperty("fieldbook.attachments.upload-directory"));
        assertThat(Files.exists(uploads.resolve(photo + ".part"))).isFalse();
        assertThat(expect(worker.api().get("/api/v1/photos/" + photo + "/content"), 200).raw().body()).isEqualTo(jpeg);
        for (int attempt = 0; attempt < 600
                && !worker.api().get("/api/v1/photos/" + photo).body().path("thumbnail").asBoolean(); attempt++) {
            Thread.sleep(100);
        }
        assertThat(worker.api().get("/api/v1/photos/" + photo + "/thumbnail").status()).isEqualTo(200);
    }

    private UUID announce(byte[] content) throws Exception {
        UUID photo = UUID.randomUUID();
        Map<String, Object> changes = new LinkedHashMap<>();
        changes.put("reportId", change(report));
        changes.put("sha256", change(sha256(content)));
        changes.put("size", change(content.length));
        Map<String, Object> operation = new LinkedHashMap<>();
        operation.put("operationId", UUID.randomUUID().toString());
        operation.put("entity", "Photo");
        operation.put("entityId", photo.toString());
        operation.put("kind", "CREATE");
        operation.put("baseVersion", 0);
        operation.put("changes", changes);
        operation.put("madeAt", Instant.now().toString());
        Api.Answer pushed = expect(worker.api().post("/api/v1/sync/push", Map.of("protocolVersion", 1,
                "clientVersion", "0.1.0", "deviceId", device.toString(),
                "device", Map.of("outboxDepth", 1, "pendingPhotos", 1, "appVersion", "0.1.0"),
                "operations", List.of(operation))), 200);
        assertThat(pushed.body().path("results").path(0).path("outcome").asString()).isEqualTo("APPLIED");
        expect(worker.api().send("POST", "/api/v1/sync/uploads", Map.of("photoId", photo.toString(), "sha256",
                sha256(content), "size", content.length), Map.of(SyncController.DEVICE_ID, device.toString())), 200);
        return photo;
    }

    private Api.Answer send(UUID photo, byte[] content) throws Exception {
        HttpResponse<byte[]> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(worker.api().base() + "/api/v1/sync/uploads/" + photo))
                .header("Authorization", "Bearer " + worker.api().token())
                .header("Upload-Offset", "0")
                .header(SyncController.DEVICE_ID, device.toString())
                .header("Content-Type", "application/offset+octet-stream")
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(content)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        String type = response.headers().firstValue("Content-Type").orElse(null);
        return new Api.Answer(response.statusCode(),
                tools.jackson.databind.json.JsonMapper.builder().build().readTree(response.body()), type, response);
    }

    private static Map<String, Object> change(Object value) {
        Map<String, Object> change = new LinkedHashMap<>();
        change.put("base", null);
        change.put("value", value);
        return change;
    }

    private static String sha256(byte[] content) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    }
}
