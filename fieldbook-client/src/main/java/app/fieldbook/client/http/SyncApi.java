package app.fieldbook.client.http;

import app.fieldbook.client.Account;
import app.fieldbook.client.SyncInterrupted;
import app.fieldbook.protocol.Conflict;
import app.fieldbook.protocol.ConflictResolution;
import app.fieldbook.protocol.PullRequest;
import app.fieldbook.protocol.PullResponse;
import app.fieldbook.protocol.PushResponse;
import app.fieldbook.protocol.UploadStart;
import app.fieldbook.protocol.UploadState;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.channels.UnresolvedAddressException;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Fieldbook server's token and sync endpoints over HTTP. Every call either returns the parsed
 * answer or throws {@link RequestFailed}; it never retries by itself.
 */
public final class SyncApi {

    private static final String JSON = "application/json";
    /** Names the device on upload requests: the server takes a photo's content only from the device that announced it. */
    public static final String DEVICE_ID = "Fieldbook-Device-Id";
    /** Where a chunk of a photo's content starts; the server answers 409 with its offset when they differ. */
    public static final String UPLOAD_OFFSET = "Upload-Offset";
    /** The content type of a chunk of a photo's content. */
    public static final String CHUNK = "application/offset+octet-stream";

    /**
     * Asks for a bearer token; {@code label} names the device in the person's list of sign-ins. A person with a
     * second factor sends its current {@code code}, or a {@code recoveryCode}; null otherwise.
     */
    public record TokenRequest(String login, String password, String label, String code, String recoveryCode) {
    }

    /**
     * {@code recoveryCodesLeft}: when a recovery code was used, how many are still unused.
     * {@code passwordChangeRequired}: an administrator chose the password; the token reaches nothing but
     * {@link #changePassword} until its person has chosen their own.
     */
    public record TokenIssued(String token, OffsetDateTime expiresAt, Account user, Integer recoveryCodesLeft,
            boolean passwordChangeRequired) {
    }

    /** The person's password and the one they choose instead. */
    public record PasswordChange(String currentPassword, String newPassword) {
        @Override
        public String toString() {
            return "PasswordChange[currentPassword=<hidden>, newPassword=<hidden>]";
        }
    }

    /** {@code sessionsEnded}: the person's other sign-ins, ended by the change. */
    public record PasswordChanged(int sessionsEnded) {
    }

    private final String base;
    private final HttpClient http;
    private final JsonMapper json;
    private final Duration timeout;
    private final String userAgent;
    private final Clock clock;
    private final Supplier<Optional<String>> token;
    private final Supplier<UUID> deviceId;

    public SyncApi(URI server, HttpClient http, JsonMapper json, Duration timeout, String userAgent, Clock clock,
            Supplier<Optional<String>> token, Supplier<UUID> deviceId) {
        this.base = server.toString().replaceFirst("/+$", "");
        this.http = http;
        this.json = json;
        this.timeout = timeout;
        this.userAgent = userAgent;
        this.clock = clock;
        this.token = token;
        this.deviceId = deviceId;
    }

    /** The JSON mapping the client uses on the wire and in the store. */
    public static JsonMapper jsonMapper() {
        return JsonMapper.builder()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .build();
    }

    /**
     * Asks for a bearer token. {@code code}, when given, is sent as the authenticator app's code when it is six
     * digits and as a recovery code otherwise.
     */
    public TokenIssued issueToken(String login, String password, String label, String code) {
        String trimmed = code == null || code.isBlank() ? null : code.strip();
        boolean appCode = trimmed != null && trimmed.matches("[0-9]{6}");
        return exchange("Sign-in", post("/api/v1/auth/tokens", new TokenRequest(login, password, label,
                appCode ? trimmed : null, appCode ? null : trimmed), false), TokenIssued.class);
    }

    /** Changes the signed-in person's password; the token it is sent with stays valid. */
    public PasswordChanged changePassword(String currentPassword, String newPassword) {
        BodyPublisher publisher = BodyPublishers.ofByteArray(json.writeValueAsBytes(
                new PasswordChange(currentPassword, newPassword)));
        return exchange("Password change", request("/api/v1/auth/password", true).header("Content-Type", JSON)
                .PUT(publisher), PasswordChanged.class);
    }

    /** Pushes a {@link app.fieldbook.protocol.PushRequest}, given as JSON so that operations sent before go out byte for byte as first sent. */
    public PushResponse push(JsonNode request) {
        return exchange("Push", post("/api/v1/sync/push", request, true), PushResponse.class);
    }

    public PullResponse pull(PullRequest request) {
        return exchange("Pull", post("/api/v1/sync/pull", request, true), PullResponse.class);
    }

    public List<Conflict> openConflicts() {
        return exchange("Conflicts", request("/api/v1/sync/conflicts", true).GET(), new TypeReference<>() {
        });
    }

    public Conflict resolve(UUID conflictId, ConflictResolution resolution) {
        return exchange("Resolution", post("/api/v1/sync/conflicts/" + conflictId + "/resolution", resolution, true),
                Conflict.class);
    }

    public UploadState startUpload(UploadStart start) {
        return exchange("Upload", post("/api/v1/sync/uploads", start, true)
                .header(DEVICE_ID, deviceId.get().toString()), UploadState.class);
    }

    public UploadState uploadState(UUID photoId) {
        return exchange("Upload", request("/api/v1/sync/uploads/" + photoId, true).GET(), UploadState.class);
    }

    /** Sends {@code length} bytes of {@code bytes} as the content from {@code offset} on. */
    public UploadState sendChunk(UUID photoId, long offset, byte[] bytes, int length) {
        HttpRequest.Builder request = request("/api/v1/sync/uploads/" + photoId, true)
                .header(UPLOAD_OFFSET, Long.toString(offset))
                .header(DEVICE_ID, deviceId.get().toString())
                .header("Content-Type", CHUNK)
                .method("PATCH", BodyPublishers.ofByteArray(bytes, 0, length));
        return exchange("Upload", request, UploadState.class);
    }

    private HttpRequest.Builder post(String path, Object body, boolean authenticated) {
        BodyPublisher publisher = BodyPublishers.ofByteArray(json.writeValueAsBytes(body));
        return request(path, authenticated).header("Content-Type", JSON).POST(publisher);
    }

    private HttpRequest.Builder request(String path, boolean authenticated) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(timeout)
                .header("Accept", JSON + ", application/problem+json")
                .header("User-Agent", userAgent);
        if (authenticated) {
            token.get().ifPresent(value -> request.header("Authorization", "Bearer " + value));
        }
        return request;
    }

    private <T> T exchange(String what, HttpRequest.Builder request, Class<T> type) {
        return parse(what, send(what, request), body -> json.readValue(body, type));
    }

    private <T> T exchange(String what, HttpRequest.Builder request, TypeReference<T> type) {
        return parse(what, send(what, request), body -> json.readValue(body, type));
    }

    private HttpResponse<byte[]> send(String what, HttpRequest.Builder request) {
        try {
            return http.send(request.build(), BodyHandlers.ofByteArray());
        } catch (ConnectException | HttpConnectTimeoutException | UnresolvedAddressException e) {
            throw RequestFailed.unreachable(what, e);
        } catch (IOException e) {
            if (e.getCause() instanceof ConnectException || e.getCause() instanceof UnresolvedAddressException) {
                throw RequestFailed.unreachable(what, e);
            }
            throw RequestFailed.interrupted(what, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SyncInterrupted(e);
        }
    }

    private <T> T parse(String what, HttpResponse<byte[]> response, BodyReader<T> reader) {
        int status = response.statusCode();
        if (status < 200 || status > 299) {
            Duration retryAfter = response.headers().firstValue("Retry-After").map(this::retryAfter).orElse(null);
            throw RequestFailed.answered(what, Problem.read(status, response.body(), json), retryAfter);
        }
        try {
            return reader.read(response.body());
        } catch (JacksonException e) {
            throw RequestFailed.interrupted(what, e);
        }
    }

    /** Reads Retry-After: seconds, or an HTTP date; never negative. Unreadable values are ignored. */
    public Duration retryAfter(String value) {
        String text = value.trim();
        try {
            if (text.matches("\\d{1,9}")) {
                return Duration.ofSeconds(Long.parseLong(text));
            }
            Duration until = Duration.between(clock.instant(),
                    ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
            return until.isNegative() ? Duration.ZERO : until;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    @FunctionalInterface
    private interface BodyReader<T> {
        T read(byte[] body);
    }
}
