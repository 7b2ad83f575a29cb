package app.fieldbook.demo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A minimal client of the Fieldbook HTTP API on this machine, signed in with a bearer token. */
final class DemoApi {

    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json;
    private final String base;
    private final String token;

    private DemoApi(JsonMapper json, String base, String token) {
        this.json = json;
        this.base = base;
        this.token = token;
    }

    static DemoApi signIn(JsonMapper json, int port, String login, String password) throws IOException, InterruptedException {
        String base = "http://127.0.0.1:" + port;
        DemoApi anonymous = new DemoApi(json, base, null);
        JsonNode issued = anonymous.send("POST", "/api/v1/auth/tokens",
                Map.of("login", login, "password", password, "label", "demo data", "lifetimeDays", 1));
        return new DemoApi(json, base, issued.path("token").asString());
    }

    JsonNode get(String path) throws IOException, InterruptedException {
        return send("GET", path, null);
    }

    /** Posts and answers the id of what was created. */
    String create(String path, Object body) throws IOException, InterruptedException {
        return send("POST", path, body).path("id").asString();
    }

    void post(String path) throws IOException, InterruptedException {
        send("POST", path, null);
    }

    void post(String path, Object body) throws IOException, InterruptedException {
        send("POST", path, body);
    }

    void put(String path, Object body) throws IOException, InterruptedException {
        send("PUT", path, body);
    }

    /** Revokes this client's token. */
    void signOut() throws IOException, InterruptedException {
        send("DELETE", "/api/v1/auth/tokens/current", null);
    }

    /** Attaches a photo to a report (a multipart upload with one file part and a caption). */
    void attachPhoto(String reportId, byte[] jpeg, String caption) throws IOException, InterruptedException {
        String boundary = "fieldbook-demo-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"caption\"\r\n\r\n" + caption
                + "\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"photo.jpg\"\r\n"
                + "Content-Type: image/jpeg\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(jpeg);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/reports/" + reportId
                        + "/photos"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException("photo upload answered " + response.statusCode() + ": " + response.body());
        }
    }

    private JsonNode send(String method, String path, Object body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Accept", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        return response.body().isEmpty() ? json.createObjectNode() : json.readTree(response.body());
    }
}
