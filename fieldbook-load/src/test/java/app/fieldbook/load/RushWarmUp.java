package app.fieldbook.load;

import app.fieldbook.protocol.Operation;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Before the rush, a few phones submit reports with photos for {@code rush.warmup-seconds}, through REST
 * and, when the rush uses it, through sync, so that the rush meets a server that has been running, as the
 * one at 4:30 PM has, and not a JVM that is still compiling its code. Then it waits until the thumbnails
 * of those photos are made, so that their work does not fall into the rush. Nothing of it is counted.
 */
final class RushWarmUp {

    private static final int PHONES = 4;
    private static final Duration THUMBNAIL_WAIT = Duration.ofMinutes(5);

    private final LoadSettings settings;
    private final RushPhotos photos;
    private final AtomicLong sequence;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final ObjectMapper json = new ObjectMapper();
    /** Each warm-up photo with the token of the phone that sent it: only its author's site may read it. */
    private final Queue<Map.Entry<String, UUID>> sent = new ConcurrentLinkedQueue<>();
    private final AtomicLong submissions = new AtomicLong();

    RushWarmUp(LoadSettings settings, RushPhotos photos, AtomicLong sequence) {
        this.settings = settings;
        this.photos = photos;
        this.sequence = sequence;
    }

    /** Runs the warm-up with the first few workers and answers a line for the summary. */
    String run(World world) {
        Duration length = settings.rushWarmUp();
        if (length.isZero()) {
            return "none";
        }
        long started = System.nanoTime();
        long until = started + length.toNanos();
        List<Map<String, Object>> phones = world.workerRecords().subList(0, Math.min(PHONES, world.workerRecords().size()));
        ExecutorService threads = Executors.newFixedThreadPool(phones.size());
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < phones.size(); i++) {
                Map<String, Object> phone = phones.get(i);
                boolean viaSync = !settings.rushVia().equals("rest") && i % 2 == 1;
                running.add(threads.submit(() -> submitUntil(phone, world.password(), viaSync, until)));
            }
            for (Future<?> phone : running) {
                phone.get();
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            String thumbnails = awaitThumbnails();
            return String.format(Locale.ROOT, "%d submissions with %d photos by %d phones in %.0f s before the rush"
                    + " (not counted); %s", submissions.get(), sent.size(), phones.size(), seconds, thumbnails);
        } catch (Exception e) {
            throw new IllegalStateException("the warm-up failed: " + e.getMessage(), e);
        } finally {
            threads.shutdownNow();
        }
    }

    private Void submitUntil(Map<String, Object> phone, String password, boolean viaSync, long until) throws Exception {
        JsonNode signedIn = signIn((String) phone.get("login"), password);
        String token = signedIn.path("token").asString();
        String siteId = (String) phone.get("pushSiteId");
        JsonNode newest = send("GET", "/api/v1/reports?siteId=" + siteId + "&authorId="
                + signedIn.path("user").path("id").asString() + "&size=1",
                token, null, null, 200).path("items").path(0);
        LocalDate date = newest.isMissingNode() ? LocalDate.of(1900, 1, 1) : LocalDate.parse(newest.path("date").asString());
        UUID deviceId = UUID.randomUUID();
        while (System.nanoTime() < until) {
            date = date.plusDays(1);
            UUID reportId = UUID.randomUUID();
            List<RushPhotos.Photo> own = new ArrayList<>();
            for (int i = 0; i < settings.rushPhotos(); i++) {
                own.add(photos.photo(UUID.randomUUID(), sequence.getAndIncrement()));
            }
            if (viaSync) {
                submitBySync(token, deviceId, UUID.fromString(siteId), reportId, date, own);
            } else {
                submitByRest(token, siteId, reportId, date, own);
            }
            own.forEach(photo -> sent.add(Map.entry(token, photo.id())));
            submissions.incrementAndGet();
        }
        return null;
    }

    private void submitByRest(String token, String siteId, UUID reportId, LocalDate date, List<RushPhotos.Photo> own)
            throws IOException, InterruptedException {
        send("POST", "/api/v1/reports", token, "application/json",
                HttpRequest.BodyPublishers.ofString(ReportJson.complete(reportId.toString(), siteId, date.toString())), 201);
        for (RushPhotos.Photo photo : own) {
            send("POST", "/api/v1/reports/" + reportId + "/photos?id=" + photo.id(), token, "image/jpeg",
                    HttpRequest.BodyPublishers.ofByteArray(photos.bytes(photo)), 201);
        }
        send("POST", "/api/v1/reports/" + reportId + "/submit", token, null, HttpRequest.BodyPublishers.noBody(), 200);
    }

    private void submitBySync(String token, UUID deviceId, UUID siteId, UUID reportId, LocalDate date,
            List<RushPhotos.Photo> own) throws IOException, InterruptedException {
        List<Operation> operations = new ArrayList<>();
        operations.add(SyncRequests.createComplete(UUID.randomUUID(), reportId, siteId, date, 0));
        for (int i = 0; i < own.size(); i++) {
            operations.add(SyncRequests.announcePhoto(UUID.randomUUID(), own.get(i).id(), reportId, own.get(i).sha256(),
                    own.get(i).size(), i));
        }
        operations.add(SyncRequests.submit(UUID.randomUUID(), reportId, 1));
        send("POST", "/api/v1/sync/push", token, "application/json",
                HttpRequest.BodyPublishers.ofString(SyncRequests.push(deviceId, operations)), 200);
        for (RushPhotos.Photo photo : own) {
            HttpRequest upload = HttpRequest.newBuilder(URI.create(settings.url() + "/api/v1/sync/uploads/" + photo.id()))
                    .header("Authorization", "Bearer " + token)
                    .header("Fieldbook-Device-Id", deviceId.toString())
                    .header("Content-Type", "application/offset+octet-stream")
                    .header("Upload-Offset", "0")
                    .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(photos.bytes(photo)))
                    .build();
            expect(http.send(upload, HttpResponse.BodyHandlers.ofString()), 200);
        }
    }

    /** Waits until the warm-up's photos have their thumbnails, at most a few minutes. */
    private String awaitThumbnails() throws Exception {
        long started = System.nanoTime();
        long until = started + THUMBNAIL_WAIT.toNanos();
        for (Map.Entry<String, UUID> photo : sent) {
            while (!send("GET", "/api/v1/photos/" + photo.getValue(), photo.getKey(), null, null, 200).path("thumbnail")
                    .asBoolean()) {
                if (System.nanoTime() > until) {
                    return "its thumbnails not all made within " + THUMBNAIL_WAIT.toMinutes() + " minutes";
                }
                Thread.sleep(250);
            }
        }
        return String.format(Locale.ROOT, "its thumbnails made %.0f s after it", (System.nanoTime() - started) / 1e9);
    }

    private JsonNode signIn(String login, String password) throws IOException, InterruptedException {
        return send("POST", "/api/v1/auth/tokens", null, "application/json", HttpRequest.BodyPublishers.ofString(
                json.writeValueAsString(Map.of("login", login, "password", password, "label", "load warm-up",
                        "lifetimeDays", 1))), 201);
    }

    private JsonNode send(String method, String path, String token, String contentType,
            HttpRequest.BodyPublisher body, int expected) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(settings.url() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : body);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        expect(answer, expected);
        return answer.body().isEmpty() ? json.nullNode() : json.readTree(answer.body());
    }

    private static void expect(HttpResponse<String> answer, int expected) {
        if (answer.statusCode() != expected) {
            throw new IllegalStateException(answer.request().method() + " " + answer.request().uri().getPath()
                    + " answered " + answer.statusCode() + ": " + answer.body());
        }
    }
}
