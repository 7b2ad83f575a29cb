package app.fieldbook.client;

import app.fieldbook.client.http.SyncApi;
import app.fieldbook.protocol.Conflict;
import app.fieldbook.protocol.ConflictResolution;
import app.fieldbook.protocol.ConflictState;
import app.fieldbook.protocol.FieldChange;
import app.fieldbook.protocol.Operation;
import app.fieldbook.protocol.OperationKind;
import app.fieldbook.protocol.OperationOutcome;
import app.fieldbook.protocol.OperationResult;
import app.fieldbook.protocol.PhotoReceipt;
import app.fieldbook.protocol.PullResponse;
import app.fieldbook.protocol.PushRequest;
import app.fieldbook.protocol.PushResponse;
import app.fieldbook.protocol.SyncProtocol;
import app.fieldbook.protocol.UploadStart;
import app.fieldbook.protocol.UploadState;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real HTTP server on 127.0.0.1 that answers the client's calls like the Fieldbook server would: it
 * issues tokens, applies pushed operations exactly once (a replayed operation id gets its recorded
 * result), serves queued pull pages, and takes resumable uploads, checking offsets and SHA-256. Tests
 * queue faults on a path (a status with headers, a dropped connection, a dropped answer after the work
 * was done) and read what the client sent.
 */
public final class LoopbackServer implements AutoCloseable {

    public static final String LOGIN = "walter";
    public static final String PASSWORD = "fieldbook-demo";
    public static final UUID USER_ID = UUID.fromString("00000000-0000-0000-0000-0000000000aa");
    public static final String TOKEN = "token-of-walter";
    private volatile String secondFactorCode;
    private volatile boolean passwordChangeRequired;
    private volatile String password = PASSWORD;
    private static final String PROBLEMS = "https://fieldbook.app/problems/";
    private static final String PROBLEM_JSON = "application/problem+json";

    /** A request as the server received it. */
    public record Received(String method, String path, Map<String, String> headers, byte[] body) {

        public JsonNode json() {
            return MAPPER.readTree(body);
        }

        public String header(String name) {
            return headers.get(name.toLowerCase());
        }
    }

    /** What to do instead of answering normally, once. */
    public sealed interface Fault {

        /** Answers with this status, problem body and headers. */
        record Answer(int status, Map<String, Object> problem, Map<String, String> headers) implements Fault {
        }

        /** Closes the connection without answering and without doing the work. */
        record Drop() implements Fault {
        }

        /** Does the work, then closes the connection without answering (the answer is lost). */
        record DropAnswer() implements Fault {
        }

        /** Answers with this status and a header (such as {@code Retry-After}). */
        static Fault status(int status, String header, String value) {
            return new Answer(status, LoopbackServer.problem(status, "test", "Test fault", Map.of()), Map.of(header, value));
        }

        static Fault problem(int status, String type, Map<String, Object> properties) {
            return new Answer(status, refusal(status, type, properties), Map.of());
        }

        static Fault drop() {
            return new Drop();
        }

        static Fault dropAnswer() {
            return new DropAnswer();
        }
    }

    public static final JsonMapper MAPPER = SyncApi.jsonMapper();

    private final HttpServer http;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final List<Received> received = new ArrayList<>();
    private final Map<String, Deque<Fault>> faults = new HashMap<>();
    private final Map<UUID, OperationResult> recorded = new HashMap<>();
    private final Map<UUID, Long> versions = new HashMap<>();
    private final Set<UUID> stored = new HashSet<>();
    private final Map<UUID, UUID> mergedInto = new HashMap<>();
    private final Deque<PullResponse> pages = new ArrayDeque<>();
    /** The photos announced by their creation, as the device will have to start their upload. */
    private final Map<UUID, UploadStart> announced = new HashMap<>();
    private final Map<UUID, ByteArrayOutputStream> uploads = new HashMap<>();
    private volatile Function<Operation, OperationResult> decisions = this::applied;
    private volatile Function<List<Operation>, Integer> batchFailures = batch -> 0;
    private volatile List<Conflict> openConflicts = List.of();
    private volatile boolean acceptsUploadBytes = true;

    public LoopbackServer() {
        try {
            http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        http.setExecutor(executor);
        http.createContext("/", this::handle);
        http.start();
    }

    /**
     * From now on the account has a second factor whose one valid code (as the app's code or as a recovery
     * code) is {@code code}: a token request without a code is answered 401 {@code second-factor-required}, one
     * with another code 401 {@code second-factor-refused}, as the Fieldbook server does.
     */
    public void requireSecondFactor(String code) {
        secondFactorCode = code;
    }

    /**
     * From now on the password is one an administrator chose: a token is issued, but nothing answers it
     * except the password change, until a new password of at least 12 characters (not {@code password1234})
     * was chosen.
     */
    public void requirePasswordChange() {
        passwordChangeRequired = true;
    }

    /** The person's password now. */
    public String password() {
        return password;
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + http.getAddress().getPort());
    }

    // What tests set up

    /** Queues a fault for the next request whose path starts with {@code pathPrefix}. */
    public synchronized LoopbackServer failNext(String pathPrefix, Fault fault) {
        faults.computeIfAbsent(pathPrefix, key -> new ArrayDeque<>()).add(fault);
        return this;
    }

    /** Decides each new operation (replays still get their recorded result). */
    public LoopbackServer deciding(Function<Operation, OperationResult> decisions) {
        this.decisions = decisions;
        return this;
    }

    /** Fails whole push requests with the returned status (0: answer normally), by their operations. */
    public LoopbackServer failingBatches(Function<List<Operation>, Integer> batchFailures) {
        this.batchFailures = batchFailures;
        return this;
    }

    /** Answers a CREATE of {@code clientId} as merged into the existing report {@code serverId}. */
    public synchronized LoopbackServer mergingCreate(UUID clientId, UUID serverId, long serverVersion) {
        mergedInto.put(clientId, serverId);
        versions.put(serverId, serverVersion);
        return this;
    }

    public synchronized LoopbackServer page(PullResponse page) {
        pages.add(page);
        return this;
    }

    public LoopbackServer openConflicts(List<Conflict> conflicts) {
        this.openConflicts = conflicts;
        return this;
    }

    /** Makes uploads keep answering the offset they had, taking no bytes. */
    public LoopbackServer stallUploads() {
        this.acceptsUploadBytes = false;
        return this;
    }

    /** Gives the server part of a photo's content already (as if sent before a break). */
    public synchronized LoopbackServer hasUploaded(UUID photoId, byte[] bytes) {
        uploads.computeIfAbsent(photoId, id -> new ByteArrayOutputStream()).writeBytes(bytes);
        return this;
    }

    // What tests read

    public synchronized List<Received> received() {
        return List.copyOf(received);
    }

    public synchronized List<Received> received(String method, String pathPrefix) {
        return received.stream().filter(r -> r.method().equals(method) && r.path().startsWith(pathPrefix)).toList();
    }

    /** Every operation pushed, in order, resends included. */
    public List<JsonNode> pushedOperations() {
        List<JsonNode> operations = new ArrayList<>();
        for (Received push : received("POST", "/api/v1/sync/push")) {
            push.json().get("operations").forEach(operations::add);
        }
        return operations;
    }

    public synchronized int operationsApplied() {
        return recorded.size();
    }

    public synchronized byte[] uploaded(UUID photoId) {
        ByteArrayOutputStream bytes = uploads.get(photoId);
        return bytes == null ? new byte[0] : bytes.toByteArray();
    }

    // The default model

    /** Applies an operation: the entity's version goes up by one; a merged create answers the server's id. */
    private OperationResult applied(Operation operation) {
        UUID target = mergedInto.getOrDefault(operation.entityId(), operation.entityId());
        long version = versions.merge(target, 1L, Long::sum);
        if (SyncProtocol.PHOTO.equals(operation.entity()) && operation.kind() == OperationKind.CREATE) {
            Map<String, FieldChange> changes = operation.changes();
            announced.put(target, new UploadStart(target, (String) changes.get("sha256").value(),
                    ((Number) changes.get("size").value()).longValue()));
        }
        return new OperationResult(operation.operationId(), OperationOutcome.APPLIED, 200, target, version, List.of(),
                null, null);
    }

    public static OperationResult rejected(Operation operation, int status, String type) {
        return new OperationResult(operation.operationId(), OperationOutcome.REJECTED, status, operation.entityId(),
                operation.baseVersion(), List.of(), PROBLEMS + type, refusedDetail(type));
    }

    /** An RFC 9457 problem as the server writes one: a stable type, a title, the status, and extension properties. */
    private static Map<String, Object> problem(int status, String type, String title, Map<String, Object> properties) {
        Map<String, Object> problem = new LinkedHashMap<>(properties);
        problem.put("type", PROBLEMS + type);
        problem.put("title", title);
        problem.put("status", status);
        return problem;
    }

    /** The problem of a refusal: titled by its type, with a detail unless {@code properties} has one. */
    private static Map<String, Object> refusal(int status, String type, Map<String, Object> properties) {
        Map<String, Object> refusal = problem(status, type, type, properties);
        refusal.putIfAbsent("detail", refusedDetail(type));
        return refusal;
    }

    private static String refusedDetail(String type) {
        return "Refused: " + type;
    }

    // Serving

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        String path = exchange.getRequestURI().getPath();
        Map<String, String> headers = new HashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), values.getFirst()));
        Fault fault;
        synchronized (this) {
            received.add(new Received(exchange.getRequestMethod(), path, headers, body));
            fault = nextFault(path);
        }
        try {
            if (fault instanceof Fault.Drop) {
                drop(exchange);
                return;
            }
            if (fault instanceof Fault.Answer answer) {
                answer.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
                send(exchange, answer.status(), PROBLEM_JSON, MAPPER.writeValueAsBytes(answer.problem()));
                return;
            }
            if (!path.equals("/api/v1/auth/tokens") && !("Bearer " + TOKEN).equals(headers.get("authorization"))) {
                problem(exchange, 401, "unauthenticated", Map.of());
                return;
            }
            Response response = route(exchange.getRequestMethod(), path, headers, body);
            if (fault instanceof Fault.DropAnswer) {
                drop(exchange);
                return;
            }
            send(exchange, response.status(), response.contentType(), response.body());
        } catch (DroppedConnection dropped) {
            throw dropped;
        } catch (RuntimeException e) {
            problem(exchange, 500, "internal", Map.of("detail", String.valueOf(e)));
        }
    }

    private record Response(int status, String contentType, byte[] body) {
        static Response json(int status, Object value) {
            return new Response(status, "application/json", MAPPER.writeValueAsBytes(value));
        }

        static Response problem(int status, String type, Map<String, Object> properties) {
            return new Response(status, PROBLEM_JSON, MAPPER.writeValueAsBytes(refusal(status, type, properties)));
        }
    }

    private Response changePassword(SyncApi.PasswordChange change) {
        if (!password.equals(change.currentPassword())) {
            return Response.problem(403, "wrong-password", Map.of());
        }
        String refused = change.newPassword().length() < 12 ? "must be at least 12 characters"
                : change.newPassword().equals("password1234") ? "is too common: choose another" : null;
        if (refused != null) {
            return Response.problem(400, "invalid-request", Map.of("errors",
                    List.of(Map.of("field", "newPassword", "message", refused))));
        }
        password = change.newPassword();
        passwordChangeRequired = false;
        return Response.json(200, new SyncApi.PasswordChanged(0));
    }

    private Fault nextFault(String path) {
        for (Map.Entry<String, Deque<Fault>> entry : faults.entrySet()) {
            if (path.startsWith(entry.getKey()) && !entry.getValue().isEmpty()) {
                return entry.getValue().poll();
            }
        }
        return null;
    }

    private Response route(String method, String path, Map<String, String> headers, byte[] body) {
        if (method.equals("PUT") && path.equals("/api/v1/auth/password")) {
            return changePassword(MAPPER.readValue(body, SyncApi.PasswordChange.class));
        }
        if (passwordChangeRequired && !path.equals("/api/v1/auth/tokens")) {
            return Response.problem(403, "password-change-required", Map.of());
        }
        if (method.equals("POST") && path.equals("/api/v1/auth/tokens")) {
            SyncApi.TokenRequest request = MAPPER.readValue(body, SyncApi.TokenRequest.class);
            if (!LOGIN.equals(request.login()) || !password.equals(request.password())) {
                return Response.problem(401, "sign-in-refused", Map.of());
            }
            if (secondFactorCode != null) {
                if (request.code() == null && request.recoveryCode() == null) {
                    return Response.problem(401, "second-factor-required", Map.of());
                }
                if (!secondFactorCode.equals(request.code()) && !secondFactorCode.equals(request.recoveryCode())) {
                    return Response.problem(401, "second-factor-refused", Map.of());
                }
            }
            return Response.json(201, new SyncApi.TokenIssued(TOKEN, OffsetDateTime.parse("2099-01-01T00:00:00Z"),
                    new Account(USER_ID, LOGIN, "Walter Worker", "WORKER"), null, passwordChangeRequired));
        }
        if (method.equals("POST") && path.equals("/api/v1/sync/push")) {
            return push(MAPPER.readValue(body, PushRequest.class));
        }
        if (method.equals("POST") && path.equals("/api/v1/sync/pull")) {
            synchronized (this) {
                PullResponse page = pages.poll();
                return Response.json(200, page != null ? page : new PullResponse("end", false, List.of(), List.of(),
                        List.of(), List.of(), List.of(), List.of(), List.of()));
            }
        }
        if (method.equals("GET") && path.equals("/api/v1/sync/conflicts")) {
            return Response.json(200, openConflicts);
        }
        if (method.equals("POST") && path.startsWith("/api/v1/sync/conflicts/")) {
            UUID id = UUID.fromString(path.split("/")[5]);
            ConflictResolution resolution = MAPPER.readValue(body, ConflictResolution.class);
            Conflict open = openConflicts.stream().filter(c -> c.id().equals(id)).findFirst().orElse(null);
            if (open == null) {
                return Response.problem(404, "not-found", Map.of());
            }
            Object value = switch (resolution.choice()) {
                case SERVER -> open.serverValue();
                case CLIENT -> open.clientValue();
                case VALUE -> resolution.value();
            };
            return Response.json(200, new Conflict(open.id(), open.entity(), open.entityId(), open.siteId(),
                    open.field(), open.serverValue(), open.serverChangedBy(), open.serverChangedAt(),
                    open.clientValue(), open.clientChangedBy(), open.clientDeviceId(), open.clientChangedAt(),
                    ConflictState.RESOLVED, value, USER_ID, OffsetDateTime.parse("2025-06-02T18:00:00Z"),
                    open.version() + 1));
        }
        if (path.startsWith("/api/v1/sync/uploads")) {
            return upload(method, path, headers, body);
        }
        return Response.problem(404, "not-found", Map.of());
    }

    private synchronized Response push(PushRequest request) {
        List<Operation> operations = request.operations();
        int failure = batchFailures.apply(operations);
        if (failure == 400) {
            return Response.problem(400, "invalid-request", Map.of("errors",
                    List.of(Map.of("field", "operations[0].changes", "message", "is invalid"))));
        }
        if (failure != 0) {
            return Response.problem(failure, "test", Map.of());
        }
        List<OperationResult> results = new ArrayList<>();
        for (Operation operation : operations) {
            OperationResult result = recorded.get(operation.operationId());
            if (result == null) {
                result = decisions.apply(operation);
                if (result == null) {
                    continue;
                }
                recorded.put(operation.operationId(), result);
            }
            results.add(result);
        }
        return Response.json(200, new PushResponse(results));
    }

    private synchronized Response upload(String method, String path, Map<String, String> headers, byte[] body) {
        UUID photoId;
        if (method.equals("POST")) {
            UploadStart start = MAPPER.readValue(body, UploadStart.class);
            photoId = start.photoId();
            UploadStart photo = announced.get(photoId);
            if (photo == null) {
                return Response.problem(404, "not-found", Map.of());
            }
            if (!photo.sha256().equals(start.sha256()) || photo.size() != start.size()) {
                return Response.problem(409, "upload-mismatch", Map.of());
            }
            return Response.json(200, state(photoId));
        }
        photoId = UUID.fromString(path.substring(path.lastIndexOf('/') + 1));
        if (!announced.containsKey(photoId)) {
            return Response.problem(404, "not-found", Map.of());
        }
        if (method.equals("GET")) {
            return Response.json(200, state(photoId));
        }
        ByteArrayOutputStream have = uploads.computeIfAbsent(photoId, id -> new ByteArrayOutputStream());
        long offset = Long.parseLong(headers.get(SyncApi.UPLOAD_OFFSET.toLowerCase()));
        if (!SyncApi.CHUNK.equals(headers.get("content-type"))) {
            return Response.problem(415, "unsupported-media-type", Map.of());
        }
        if (offset != have.size()) {
            return Response.problem(409, "upload-offset", Map.of("offset", (long) have.size()));
        }
        if (have.size() + body.length > announced.get(photoId).size()) {
            return Response.problem(413, "upload-too-long", Map.of());
        }
        if (acceptsUploadBytes) {
            have.writeBytes(body);
        }
        if (have.size() == announced.get(photoId).size() && !sha256(have.toByteArray()).equals(announced.get(photoId).sha256())) {
            have.reset();
            return Response.problem(422, "hash-mismatch", Map.of());
        }
        return Response.json(200, state(photoId));
    }

    private UploadState state(UUID photoId) {
        UploadStart photo = announced.get(photoId);
        ByteArrayOutputStream have = uploads.get(photoId);
        long offset = have == null ? 0 : have.size();
        PhotoReceipt receipt = offset == photo.size()
                ? new PhotoReceipt(photoId, photo.sha256(), photo.size(), "image/jpeg",
                        OffsetDateTime.parse("2025-06-02T17:00:00Z"), storedVersion(photoId))
                : null;
        return new UploadState(photoId, offset, photo.size(), receipt);
    }

    /** The photo's version once its content is stored: storing it makes a new one, once, as on the server. */
    private long storedVersion(UUID photoId) {
        if (stored.add(photoId)) {
            return versions.merge(photoId, 1L, Long::sum);
        }
        return versions.getOrDefault(photoId, 1L);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void problem(HttpExchange exchange, int status, String type, Map<String, Object> properties)
            throws IOException {
        Response refused = Response.problem(status, type, properties);
        send(exchange, status, refused.contentType(), refused.body());
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (var out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** Ends the exchange without an answer: the server closes the connection. */
    private static void drop(HttpExchange exchange) {
        throw new DroppedConnection();
    }

    private static final class DroppedConnection extends RuntimeException {
        DroppedConnection() {
            super("connection dropped on purpose", null, false, false);
        }
    }

    @Override
    public void close() {
        http.stop(0);
        executor.shutdownNow();
    }
}
