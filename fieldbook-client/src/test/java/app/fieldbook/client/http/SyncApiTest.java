package app.fieldbook.client.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import app.fieldbook.client.LoopbackServer;
import app.fieldbook.client.LoopbackServer.Fault;
import app.fieldbook.client.TestClock;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class SyncApiTest {

    private final TestClock clock = TestClock.at("2025-06-02T16:30:00Z");
    private final LoopbackServer server = new LoopbackServer();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final UUID deviceId = UUID.randomUUID();

    @AfterEach
    void stop() {
        server.close();
        http.close();
    }

    private SyncApi api(URI uri) {
        return new SyncApi(uri, http, SyncApi.jsonMapper(), Duration.ofSeconds(10), "test/1", clock,
                () -> Optional.of(LoopbackServer.TOKEN), () -> deviceId);
    }

    @Test
    void retryAfterIsReadAsSecondsOrAsAnHttpDate() {
        SyncApi api = api(server.uri());
        assertThat(api.retryAfter("7")).isEqualTo(Duration.ofSeconds(7));
        assertThat(api.retryAfter("Mon, 02 Jun 2025 16:32:00 GMT")).isEqualTo(Duration.ofMinutes(2));
        assertThat(api.retryAfter("Mon, 02 Jun 2025 16:00:00 GMT")).isEqualTo(Duration.ZERO);
        assertThat(api.retryAfter("soon")).isNull();
    }

    @Test
    void aServerThatIsNotThereIsUnreachable() throws Exception {
        int freePort;
        try (ServerSocket socket = new ServerSocket(0)) {
            freePort = socket.getLocalPort();
        }
        RequestFailed failure = catchThrowableOfType(RequestFailed.class,
                () -> api(URI.create("http://127.0.0.1:" + freePort)).openConflicts());
        assertThat(failure.kind()).isEqualTo(RequestFailed.Kind.UNREACHABLE);
        assertThat(failure.transientFailure()).isTrue();
    }

    @Test
    void aConnectionDroppedBeforeTheAnswerIsAnInterruptedExchange() {
        server.failNext("/api/v1/sync/push", Fault.drop());
        ObjectNode push = LoopbackServer.MAPPER.createObjectNode();
        push.putArray("operations");
        RequestFailed failure = catchThrowableOfType(RequestFailed.class, () -> api(server.uri()).push(push));
        assertThat(failure.kind()).isEqualTo(RequestFailed.Kind.INTERRUPTED);
        assertThat(failure.transientFailure()).isTrue();
        assertThat(server.received("POST", "/api/v1/sync/push")).hasSize(1);
    }

    @Test
    void anErrorAnswerCarriesItsProblemAndRetryAfter() {
        server.failNext("/api/v1/sync/conflicts", Fault.status(503, "Retry-After", "12"));
        RequestFailed busy = catchThrowableOfType(RequestFailed.class, () -> api(server.uri()).openConflicts());
        assertThat(busy.serverBusy()).isTrue();
        assertThat(busy.retryAfter()).contains(Duration.ofSeconds(12));

        server.failNext("/api/v1/sync/conflicts", Fault.problem(426, "client-too-old",
                Map.of("minimumClientVersion", "2.0.0")));
        RequestFailed old = catchThrowableOfType(RequestFailed.class, () -> api(server.uri()).openConflicts());
        assertThat(old.transientFailure()).isFalse();
        assertThat(old.problem().typeEndsWith("/client-too-old")).isTrue();
        assertThat(old.problem().property("minimumClientVersion")).contains("2.0.0");
    }

    @Test
    void aChunkIsSentWithItsOffsetAsOffsetOctetStreamFromItsDevice() {
        UUID photoId = UUID.randomUUID();
        server.failNext("/api/v1/sync/uploads/", Fault.problem(409, "upload-offset", Map.of("offset", 5)));
        RequestFailed failure = catchThrowableOfType(RequestFailed.class,
                () -> api(server.uri()).sendChunk(photoId, 3, new byte[] {1, 2, 3, 4}, 2));
        assertThat(failure.problem().longProperty("offset")).contains(5L);
        LoopbackServer.Received patch = server.received("PATCH", "/api/v1/sync/uploads/" + photoId).getFirst();
        assertThat(patch.header("Upload-Offset")).isEqualTo("3");
        assertThat(patch.header("Fieldbook-Device-Id")).isEqualTo(deviceId.toString());
        assertThat(patch.header("Content-Type")).isEqualTo("application/offset+octet-stream");
        assertThat(patch.header("Authorization")).isEqualTo("Bearer " + LoopbackServer.TOKEN);
        assertThat(patch.body()).containsExactly(1, 2);
    }
}
