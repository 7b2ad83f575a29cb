package app.fieldbook.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Signs every phone of a rush in before it begins, as real phones signed in days before 4:30 PM: a few at a
 * time (a sign-in is a deliberately slow password hash), each answered 503 tried again after its Retry-After.
 * Each worker's record gets its {@code token} and {@code userId}.
 */
final class SignedInPhones {

    private static final int TRIES = 20;

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final LoadSettings settings;
    private final String password;

    SignedInPhones(LoadSettings settings, String password) {
        this.settings = settings;
        this.password = password;
    }

    /** The records with each phone's token and user id, signed in {@code parallel} at a time. */
    List<Map<String, Object>> signIn(List<Map<String, Object>> workers, int parallel) {
        ExecutorService threads = Executors.newFixedThreadPool(parallel);
        try {
            List<Future<Map<String, Object>>> signingIn = new ArrayList<>();
            for (Map<String, Object> worker : workers) {
                signingIn.add(threads.submit(() -> signedIn(worker)));
            }
            List<Map<String, Object>> signedIn = new ArrayList<>();
            for (Future<Map<String, Object>> phone : signingIn) {
                signedIn.add(phone.get());
            }
            return signedIn;
        } catch (Exception e) {
            throw new IllegalStateException("signing the phones in failed: " + e.getMessage(), e);
        } finally {
            threads.shutdownNow();
        }
    }

    private Map<String, Object> signedIn(Map<String, Object> worker) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(settings.baseUrl() + "/api/v1/auth/tokens"))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(Map.of("login", worker.get("login"),
                        "password", password, "label", "load test", "lifetimeDays", 1))))
                .build();
        for (int tries = 1; ; tries++) {
            HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() == 201) {
                JsonNode body = json.readTree(answer.body());
                Map<String, Object> record = new LinkedHashMap<>(worker);
                record.put("token", body.path("token").asString());
                record.put("userId", body.path("user").path("id").asString());
                return record;
            }
            if (answer.statusCode() != 503 || tries == TRIES) {
                throw new IllegalStateException(worker.get("login") + " could not sign in: " + answer.statusCode()
                        + " " + answer.body());
            }
            Thread.sleep(Duration.ofSeconds(Long.parseLong(answer.headers().firstValue("Retry-After").orElse("2"))));
        }
    }
}
