package app.fieldbook.sync;

import static app.fieldbook.Fixtures.expect;
import static app.fieldbook.sync.SyncDevice.edit;
import static org.assertj.core.api.Assertions.assertThat;

import app.fieldbook.Api;
import app.fieldbook.Fixtures;
import app.fieldbook.Fixtures.Person;
import app.fieldbook.FullStackTest;
import app.fieldbook.Images;
import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * The sync protocol's decoders of untrusted input over HTTP: a push body (the envelope, then each operation
 * bound on its own) and the headers of a resumable upload ({@code Upload-Offset}, {@code Fieldbook-Device-Id})
 * with its chunk. Whatever a device sends, the answer is a result for each operation (200) or a refusal
 * (4xx, problem+json), never a server error. Inputs in {@code SyncInputFuzzTestInputs/<method>/}, where
 * {@code {site}} and {@code {device}} stand for this world's site and device and {@code {content}} for the
 * announced photo; {@code JAZZER_FUZZ=1} fuzzes.
 */
@FullStackTest
class SyncInputFuzzTest {

    private static final byte[] PHOTO = Images.jpeg(8, 8);

    @LocalServerPort
    int port;

    private static Person worker;
    private static String site;
    private static SyncDevice phone;
    private static String report;

    @BeforeEach
    void world() {
        if (worker == null || !worker.api().base().endsWith(":" + port)) {
            Fixtures world = new Fixtures(port);
            site = world.site();
            worker = world.worker(site);
            phone = new SyncDevice(worker.api(), site);
            report = phone.push(phone.create(UUID.randomUUID(), LocalDate.of(2026, 9, 7), "fuzzing"))
                    .path("entityId").asString();
        }
    }

    @FuzzTest(maxDuration = "60s")
    void aPushIsAnsweredPerOperationOrRefused(byte[] input) {
        String body = new String(input, StandardCharsets.UTF_8).replace("{site}", site)
                .replace("{device}", phone.id.toString());
        Api.Answer answer;
        try (SilentCloseable loopback = overLoopback()) {
            answer = worker.api().sendJson("POST", "/api/v1/sync/push", body);
        }
        assertAnsweredOrRefused(answer);
        if (answer.status() == 200) {
            JsonNode results = answer.body().path("results");
            assertThat(results.isArray()).isTrue();
            assertThat(results.valueStream().map(result -> result.path("outcome").asString())).doesNotContain("");
        }
    }

    @FuzzTest(maxDuration = "60s")
    void uploadHeadersAreReadOrRefused(byte[] input) throws Exception {
        try (SilentCloseable loopback = overLoopback()) {
            appendAfterAnnouncing(input);
        }
    }

    private void appendAfterAnnouncing(byte[] input) throws Exception {
        UUID photo = announcePhoto();
        expect(phone.api.send("POST", "/api/v1/sync/uploads", Map.of("photoId", photo.toString(),
                "sha256", sha256(PHOTO), "size", PHOTO.length), Map.of("Fieldbook-Device-Id", phone.id.toString())),
                200);
        int first = indexOf(input, 0);
        int second = indexOf(input, first + 1);
        String offset = new String(input, 0, first, StandardCharsets.UTF_8);
        String device = new String(input, Math.min(first + 1, input.length), Math.max(0, second - first - 1),
                StandardCharsets.UTF_8).replace("{device}", phone.id.toString());
        byte[] chunk = Arrays.copyOfRange(input, Math.min(second + 1, input.length), input.length);
        if (new String(chunk, StandardCharsets.ISO_8859_1).equals("{content}")) {
            chunk = PHOTO;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Upload-Offset", offset);
        headers.put("Fieldbook-Device-Id", device);
        Api.Answer answer;
        try {
            answer = phone.api.sendBytes("PATCH", "/api/v1/sync/uploads/" + photo, chunk,
                    "application/offset+octet-stream", headers);
        } catch (IllegalArgumentException notSendable) {
            return; // a header value no HTTP client can send (a line break, a control character)
        }
        assertAnsweredOrRefused(answer);
    }

    private static void assertAnsweredOrRefused(Api.Answer answer) {
        assertThat(answer.status()).as("%s", answer).isBetween(200, 499);
        if (answer.status() >= 400) {
            assertThat(answer.isProblem()).as("%s", answer).isTrue();
        }
    }

    private static int indexOf(byte[] input, int from) {
        for (int i = from; i < input.length; i++) {
            if (input[i] == '\n') {
                return i;
            }
        }
        return input.length;
    }

    private UUID announcePhoto() throws Exception {
        UUID photo = UUID.randomUUID();
        Map<String, Object> announce = phone.operation(photo.toString(), "CREATE", 0, Map.of(
                "reportId", edit(null, report), "sha256", edit(null, sha256(PHOTO)), "size", edit(null, PHOTO.length)));
        announce.put("entity", "Photo");
        assertThat(phone.push(announce).path("outcome").asString()).isEqualTo("APPLIED");
        return photo;
    }

    private static String sha256(byte[] content) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    }

    /**
     * Lets this test's requests to its own server over loopback through Jazzer's detector of outbound
     * connections (set on each input: fuzzing starts the detector after the test's set-up).
     */
    private static SilentCloseable overLoopback() {
        return BugDetectors.allowNetworkConnections((host, port) -> host.equals("127.0.0.1") || host.equals("localhost"));
    }
}
