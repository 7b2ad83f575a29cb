package app.fieldbook.load;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * After the rush: every acknowledged report must be in the database, submitted, with its photos, and every
 * acknowledged photo in the store with the right SHA-256 (its content downloaded and hashed again). Then
 * the thumbnails of the rush's photos are waited for, at most {@code thumbnailWait}.
 */
final class RushCheck {

    private static final int THREADS = 4;

    private final LoadSettings settings;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final ObjectMapper json = new ObjectMapper();

    RushCheck(LoadSettings settings) {
        this.settings = settings;
    }

    String verify(List<RushTally.Acknowledged> acknowledged, Duration thumbnailWait) {
        Queue<String> lost = new ConcurrentLinkedQueue<>();
        AtomicInteger photos = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> checks = new ArrayList<>();
            for (RushTally.Acknowledged submission : acknowledged) {
                checks.add(threads.submit(() -> check(submission, lost, photos)));
            }
            for (Future<?> check : checks) {
                check.get();
            }
            String thumbnails = awaitThumbnails(acknowledged, thumbnailWait);
            return String.format(Locale.ROOT, """
                      checked afterwards      %d reports and %d photos read back, content hashed again: %d lost%s
                      thumbnails              %s
                    """, acknowledged.size(), photos.get(), lost.size(),
                    lost.isEmpty() ? "" : " (first: " + lost.peek() + ")", thumbnails);
        } catch (Exception e) {
            return "  checked afterwards      check failed: " + e + "\n";
        } finally {
            threads.shutdownNow();
        }
    }

    private void check(RushTally.Acknowledged submission, Queue<String> lost, AtomicInteger photos) {
        try {
            JsonNode report = getJson(submission.token(), "/api/v1/reports/" + submission.reportId());
            if (report == null || !"SUBMITTED".equals(report.path("status").asString())) {
                lost.add("report " + submission.reportId() + (report == null ? " missing" : " is "
                        + report.path("status").asString()));
            }
            for (RushPhotos.Photo photo : submission.photos()) {
                photos.incrementAndGet();
                JsonNode recorded = getJson(submission.token(), "/api/v1/photos/" + photo.id());
                if (recorded == null || !photo.sha256().equals(recorded.path("sha256").asString())
                        || recorded.path("pending").asBoolean() || recorded.path("sizeBytes").asLong() != photo.size()) {
                    lost.add("photo " + photo.id() + " recorded as " + recorded);
                    continue;
                }
                String stored = sha256Of(submission.token(), "/api/v1/photos/" + photo.id() + "/content");
                if (!photo.sha256().equals(stored)) {
                    lost.add("photo " + photo.id() + " stored with SHA-256 " + stored);
                }
            }
        } catch (IOException e) {
            lost.add("report " + submission.reportId() + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** How long after the check the rush's thumbnails all existed, or how many were still missing. */
    private String awaitThumbnails(List<RushTally.Acknowledged> acknowledged, Duration wait) throws Exception {
        List<String[]> missing = new ArrayList<>();
        for (RushTally.Acknowledged submission : acknowledged) {
            for (RushPhotos.Photo photo : submission.photos()) {
                missing.add(new String[] {submission.token(), photo.id().toString()});
            }
        }
        int total = missing.size();
        long started = System.nanoTime();
        while (!missing.isEmpty() && System.nanoTime() - started < wait.toNanos()) {
            List<String[]> still = new ArrayList<>();
            for (String[] photo : missing) {
                JsonNode recorded = getJson(photo[0], "/api/v1/photos/" + photo[1]);
                if (recorded == null || !recorded.path("thumbnail").asBoolean()) {
                    still.add(photo);
                }
            }
            missing = still;
            if (!missing.isEmpty()) {
                Thread.sleep(2_000);
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        return missing.isEmpty()
                ? String.format(Locale.ROOT, "all %d made, %.0f s after the check began", total, seconds)
                : String.format(Locale.ROOT, "%d of %d still missing after %.0f s", missing.size(), total, seconds);
    }

    private JsonNode getJson(String token, String path) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = http.send(request(token, path), HttpResponse.BodyHandlers.ofByteArray());
        return response.statusCode() == 200 ? json.readTree(response.body()) : null;
    }

    private String sha256Of(String token, String path) throws IOException, InterruptedException {
        HttpResponse<InputStream> response = http.send(request(token, path), HttpResponse.BodyHandlers.ofInputStream());
        MessageDigest digest = RushPhotos.sha256();
        try (InputStream content = new DigestInputStream(response.body(), digest)) {
            content.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return response.statusCode() == 200 ? HexFormat.of().formatHex(digest.digest()) : "HTTP " + response.statusCode();
    }

    private HttpRequest request(String token, String path) {
        return HttpRequest.newBuilder(URI.create(settings.baseUrl() + path))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token)
                .GET().build();
    }
}
