package app.fieldbook;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A small HTTP client of the Fieldbook API for tests, acting with one bearer token (or none). */
public final class Api {

    /** An answer: status, body as JSON (empty object when there is none), content type and headers. */
    public record Answer(int status, JsonNode body, String contentType, HttpResponse<byte[]> raw) {

        public String id() {
            return body.path("id").asString();
        }

        public long version() {
            return body.path("version").asLong();
        }

        public boolean isProblem() {
            return contentType != null && contentType.startsWith("application/problem+json");
        }

        public String problemType() {
            return body.path("type").asString();
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final String base;
    private final String token;

    private Api(String base, String token) {
        this.base = base;
        this.token = token;
    }

    public static Api anonymous(int port) {
        return new Api("http://127.0.0.1:" + port, null);
    }

    public Api withToken(String bearerToken) {
        return new Api(base, bearerToken);
    }

    /** Signs in for a bearer token; fails the test if refused. */
    public Api signIn(String login, String password) {
        Answer answer = post("/api/v1/auth/tokens", Map.of("login", login, "password", password));
        if (answer.status() != 201) {
            throw new AssertionError("Sign-in of " + login + " refused: " + answer);
        }
        return withToken(answer.body().path("token").asString());
    }

    public String base() {
        return base;
    }

    /** The bearer token this client sends, for requests the helpers here do not cover. */
    public String token() {
        return token;
    }

    public Answer get(String path) {
        return send("GET", path, null, Map.of());
    }

    public Answer post(String path, Object body) {
        return send("POST", path, body, Map.of());
    }

    public Answer post(String path) {
        return send("POST", path, null, Map.of());
    }

    public Answer put(String path, Object body) {
        return send("PUT", path, body, Map.of());
    }

    public Answer delete(String path) {
        return send("DELETE", path, null, Map.of());
    }

    /** Sends raw JSON text, for malformed bodies. */
    public Answer sendJson(String method, String path, String json) {
        return exchange(request(path, Map.of("Content-Type", "application/json"))
                .method(method, HttpRequest.BodyPublishers.ofString(json)));
    }

    public Answer send(String method, String path, Object body, Map<String, String> headers) {
        HttpRequest.Builder request = request(path, headers);
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        }
        return exchange(request);
    }

    /** Uploads a multipart form with one file part {@code file} and text parts. */
    public Answer upload(String path, byte[] file, String filename, Map<String, String> fields) {
        String boundary = "fieldbook-" + UUID.randomUUID();
        List<byte[]> parts = new ArrayList<>();
        fields.forEach((name, value) -> parts.add(("--" + boundary + "\r\nContent-Disposition: form-data; name=\""
                + name + "\"\r\n\r\n" + value + "\r\n").getBytes(StandardCharsets.UTF_8)));
        parts.add(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        parts.add(file);
        parts.add(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return exchange(request(path, Map.of("Content-Type", "multipart/form-data; boundary=" + boundary))
                .POST(HttpRequest.BodyPublishers.ofByteArrays(parts)));
    }

    /** Posts {@code content} as the request body, with the given content type. */
    public Answer postBytes(String path, byte[] content, String contentType) {
        return exchange(request(path, Map.of("Content-Type", contentType))
                .POST(HttpRequest.BodyPublishers.ofByteArray(content)));
    }

    /** Sends {@code content} as the body of any method, with the given content type and headers. */
    public Answer sendBytes(String method, String path, byte[] content, String contentType, Map<String, String> headers) {
        Map<String, String> all = new java.util.LinkedHashMap<>(headers);
        all.put("Content-Type", contentType);
        return exchange(request(path, all).method(method, HttpRequest.BodyPublishers.ofByteArray(content)));
    }

    private HttpRequest.Builder request(String path, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        headers.forEach(request::header);
        return request;
    }

    private static Answer exchange(HttpRequest.Builder request) {
        try {
            HttpResponse<byte[]> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            String contentType = response.headers().firstValue("Content-Type").orElse(null);
            JsonNode body = JSON.createObjectNode();
            if (contentType != null && contentType.contains("json") && response.body().length > 0) {
                body = JSON.readTree(response.body());
            }
            return new Answer(response.statusCode(), body, contentType, response);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
