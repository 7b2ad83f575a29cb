package app.fieldbook;

import static app.fieldbook.Fixtures.expect;
import static org.assertj.core.api.Assertions.assertThat;

import app.fieldbook.Fixtures.Person;
import app.fieldbook.MaliciousUploads.Refusal;
import app.fieldbook.MaliciousUploads.Upload;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The malicious-upload corpus ({@link MaliciousUploads}) through every way a photo reaches the server: the
 * app's upload (the photo as the request body), the browser form's (multipart), and sync (announced, then
 * sent). Every one is refused with a problem, and nothing is stored: no photo row, no row changed, no file
 * in the photo directory, no partial upload left behind.
 */
@FullStackTest
class MaliciousUploadTest {

    private static final String DEVICE_ID = "Fieldbook-Device-Id";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    Environment environment;

    Person worker;
    String report;
    final UUID device = UUID.randomUUID();

    @BeforeEach
    void world() {
        Fixtures world = new Fixtures(port);
        String site = world.site();
        worker = world.worker(site);
        report = Fixtures.draft(worker, site, LocalDate.of(2026, 7, 1));
    }

    static List<Upload> corpus() {
        return MaliciousUploads.corpus();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void isRefusedAsTheRequestBodyAndNothingIsStored(Upload upload) throws Exception {
        Set<Path> files = photoFiles();
        String query = upload.caption() == null ? ""
                : "?caption=" + URLEncoder.encode(upload.caption(), StandardCharsets.UTF_8);
        HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(URI.create(worker.api().base()
                        + "/api/v1/reports/" + report + "/photos" + query))
                .header("Authorization", "Bearer " + worker.api().token())
                .header("Content-Type", "image/jpeg")
                // of unknown length, so that the server reads the body rather than trusting a Content-Length
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(upload.content())))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertRefused(answer(response), upload.rest());
        assertNothingStored(upload, files);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void isRefusedFromABrowserFormAndNothingIsStored(Upload upload) throws Exception {
        Set<Path> files = photoFiles();
        Api.Answer answer = worker.api().upload("/api/v1/reports/" + report + "/photos", upload.content(),
                upload.fileName(), upload.caption() == null ? Map.of() : Map.of("caption", upload.caption()));
        assertRefused(answer, upload.rest());
        assertNothingStored(upload, files);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void isRefusedThroughSyncAndNothingIsStored(Upload upload) throws Exception {
        Set<Path> files = photoFiles();
        UUID photo = UUID.randomUUID();
        Api.Answer pushed = expect(worker.api().post("/api/v1/sync/push", push(announcement(photo, upload))), 200);
        var result = pushed.body().path("results").path(0);
        if (result.path("outcome").asString().equals("REJECTED")) {
            assertThat(result.path("status").asInt()).as(upload.name()).isEqualTo(upload.sync().status());
            assertThat(result.path("problemType").asString()).endsWith("/" + upload.sync().type());
            assertThat(photoRows()).isZero();
            assertNothingStored(upload, files);
            return;
        }
        expect(worker.api().send("POST", "/api/v1/sync/uploads", Map.of("photoId", photo.toString(),
                "sha256", sha256(upload.content()), "size", upload.content().length),
                Map.of(DEVICE_ID, device.toString())), 200);
        Map<String, Object> announced = photoRow(photo);
        HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(URI.create(worker.api().base()
                        + "/api/v1/sync/uploads/" + photo))
                .header("Authorization", "Bearer " + worker.api().token())
                .header("Upload-Offset", "0")
                .header(DEVICE_ID, device.toString())
                .header("Content-Type", "application/offset+octet-stream")
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(upload.content())).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertRefused(answer(response), upload.sync());
        assertThat(photoRow(photo)).as("the announced photo, still waiting for its content").isEqualTo(announced);
        assertThat(worker.api().get("/api/v1/photos/" + photo).body().path("pending").asBoolean()).isTrue();
        assertThat(worker.api().get("/api/v1/sync/uploads/" + photo).body().path("offset").asLong())
                .as("the refused content is gone; the device starts again from byte 0").isZero();
        assertNothingStored(upload, files);
    }

    @Test
    void aWellFormedPhotoSentUnderATraversingNameIsStoredUnderItsHashAndTheNameIsNeverUsed() throws Exception {
        byte[] jpeg = Images.jpeg(32, 24);
        String key = sha256(jpeg);
        Api.Answer stored = expect(worker.api().upload("/api/v1/reports/" + report + "/photos", jpeg,
                "../../../../../../tmp/fieldbook-evil.jpg", Map.of("caption", "../../../etc/passwd")), 201);
        assertThat(stored.body().path("caption").asString()).isEqualTo("../../../etc/passwd");
        assertThat(photoFiles()).anyMatch(file -> file.getFileName().toString().equals(key))
                .noneMatch(file -> file.getFileName().toString().contains("evil"));
        assertThat(Path.of("/tmp/fieldbook-evil.jpg")).doesNotExist();
        HttpResponse<byte[]> content = worker.api().get("/api/v1/photos/" + stored.id() + "/content").raw();
        assertThat(content.headers().firstValue("Content-Disposition").orElseThrow())
                .isEqualTo("inline; filename=\"" + stored.id() + ".jpg\"");
        assertThat(content.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
    }

    private void assertRefused(Api.Answer answer, Refusal expected) {
        assertThat(answer.status()).isEqualTo(expected.status());
        assertThat(answer.isProblem()).as("problem+json, not %s", answer.contentType()).isTrue();
        assertThat(answer.problemType()).endsWith("/" + expected.type());
    }

    /** No stored photo of the report, no file added to the photo directory (a thumbnail of another test's aside). */
    private void assertNothingStored(Upload upload, Set<Path> before) throws Exception {
        assertThat(jdbc.sql("SELECT COUNT(*) FROM photos WHERE report_id = ? AND state = 'STORED'")
                .param(UUID.fromString(report)).query(Long.class).single()).isZero();
        Set<Path> added = photoFiles();
        added.removeAll(before);
        added.removeIf(file -> file.getFileName().toString().contains(".thumb"));
        assertThat(added).as("files added to the photo directory").isEmpty();
        String key = sha256(upload.content());
        assertThat(photoFiles()).noneMatch(file -> file.getFileName().toString().startsWith(key));
        assertThat(Path.of("/tmp/fieldbook-evil.html")).doesNotExist();
    }

    private Set<Path> photoFiles() throws IOException {
        Path directory = Path.of(environment.getProperty("fieldbook.attachments.directory"));
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile).collect(Collectors.toSet());
        }
    }

    private long photoRows() {
        return jdbc.sql("SELECT COUNT(*) FROM photos WHERE report_id = ?").param(UUID.fromString(report))
                .query(Long.class).single();
    }

    private Map<String, Object> photoRow(UUID photo) {
        return jdbc.sql("SELECT * FROM photos WHERE id = ?").param(photo).query().singleRow();
    }

    private Map<String, Object> announcement(UUID photo, Upload upload) throws Exception {
        Map<String, Object> changes = new LinkedHashMap<>();
        changes.put("reportId", change(report));
        changes.put("sha256", change(sha256(upload.content())));
        changes.put("size", change(upload.content().length));
        if (upload.caption() != null) {
            changes.put("caption", change(upload.caption()));
        }
        Map<String, Object> operation = new LinkedHashMap<>();
        operation.put("operationId", UUID.randomUUID().toString());
        operation.put("entity", "Photo");
        operation.put("entityId", photo.toString());
        operation.put("kind", "CREATE");
        operation.put("baseVersion", 0);
        operation.put("changes", changes);
        operation.put("madeAt", Instant.now().toString());
        return operation;
    }

    private Map<String, Object> push(Map<String, Object> operation) {
        return Map.of("protocolVersion", 1, "clientVersion", "0.1.0", "deviceId", device.toString(),
                "device", Map.of("outboxDepth", 1, "pendingPhotos", 1, "appVersion", "0.1.0"),
                "operations", List.of(operation));
    }

    private static Map<String, Object> change(Object value) {
        Map<String, Object> change = new LinkedHashMap<>();
        change.put("base", null);
        change.put("value", value);
        return change;
    }

    private static Api.Answer answer(HttpResponse<byte[]> response) {
        String type = response.headers().firstValue("Content-Type").orElse(null);
        var body = type != null && type.contains("json") && response.body().length > 0
                ? tools.jackson.databind.json.JsonMapper.builder().build().readTree(response.body())
                : tools.jackson.databind.json.JsonMapper.builder().build().createObjectNode();
        return new Api.Answer(response.statusCode(), body, type, response);
    }

    private static String sha256(byte[] content) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    }
}
