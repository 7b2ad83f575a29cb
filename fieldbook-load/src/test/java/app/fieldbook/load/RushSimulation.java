package app.fieldbook.load;

import static io.gatling.javaapi.core.CoreDsl.ByteArrayBody;
import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.asLongAs;
import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.exitBlockOnFail;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.listFeeder;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.repeat;
import static io.gatling.javaapi.core.CoreDsl.responseTimeInMillis;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.ByteArrayBodyPart;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import app.fieldbook.protocol.Operation;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The 4:30 PM rush (issue 9): {@code rush.users} field workers submit the day's report with
 * {@code rush.photos} photos at once. Each virtual user is one worker's phone: it finds its newest report,
 * waits until every phone has, then creates a report with every section filled, uploads its photos (real 12-megapixel
 * JPEGs of about 1.5 MB, each distinct, see {@link RushPhotos}) and submits. The phones are signed in before
 * the simulation begins ({@link SignedInPhones}), as real phones signed in long before the rush. Through the REST API (the
 * photo as the request body, or as a multipart form with {@code rush.multipart}), through sync (one push with the report, the photo announcements and the
 * submission, then a resumable upload per photo), or half each way ({@code rush.via}). Meanwhile a probe
 * asks for {@code /actuator/health} and a report list, from a JVM of its own ({@link OutsideProbe}) and from
 * inside Gatling. Afterwards every acknowledged report and photo is
 * read back (status, SHA-256, and the stored content hashed again), and the thumbnails are waited for.
 * Any answer but the expected one counts as an error, 503 with Retry-After included.
 */
public class RushSimulation extends Simulation {

    private static final Duration THUMBNAIL_WAIT = Duration.ofMinutes(10);
    /** The header naming the device that sends an upload: the one that announced the photo in its push. */
    private static final String DEVICE_ID = "Fieldbook-Device-Id";

    private final LoadSettings settings = LoadSettings.fromSystemProperties();
    private final String machine = MachineSpeed.describe(settings.diskDirectory());
    private final World world = World.prepare(settings, settings.rushUsers());
    private final RushPhotos photos = RushPhotos.generate(Math.max(1, Math.min(8, settings.rushPhotos() * 2)));
    private final RushTally tally = new RushTally(settings, new CpuUse(settings.serverPid(), settings.database()));
    private final AtomicLong photoSequence = new AtomicLong();
    private final String warmUp = new RushWarmUp(settings, photos, photoSequence).run(world);
    private static final int SIGN_IN_PARALLEL = 2;
    private static final int READY_TRIES = 10;
    private static final Duration OPENING_SPACING = Duration.ofMillis(5);
    private final OutsideProbe outsideProbe;

    {
        // phones signed in long before 4:30 PM: their sign-ins (each a deliberately slow password hash) are done
        // before the rush, two at a time, instead of falling on the server with it
        List<Map<String, Object>> workers = new SignedInPhones(settings, world.password())
                .signIn(world.workerRecords(), SIGN_IN_PARALLEL);
        int viaRest = switch (settings.rushVia()) {
            case "rest" -> workers.size();
            case "sync" -> 0;
            default -> workers.size() / 2;
        };
        // the phones open the app a little apart, not all in the same millisecond (over a second at least: a
        // shorter ramp left ten phones waiting, never injected)
        Duration openingApps = Collections.max(List.of(OPENING_SPACING.multipliedBy(workers.size()), Duration.ofSeconds(1)));
        List<PopulationBuilder> populations = new ArrayList<>();
        if (viaRest > 0) {
            populations.add(phones("rush through the REST API", workers.subList(0, viaRest), restSubmission())
                    .injectOpen(rampUsers(viaRest).during(openingApps)));
        }
        if (viaRest < workers.size()) {
            populations.add(phones("rush through sync", workers.subList(viaRest, workers.size()), syncSubmission())
                    .injectOpen(rampUsers(workers.size() - viaRest).during(openingApps)));
        }
        populations.add(probe().injectOpen(atOnceUsers(1)));
        String managerToken = (String) new SignedInPhones(settings, world.password())
                .signIn(List.of(Map.of("login", World.MANAGER)), 1).getFirst().get("token");
        outsideProbe = OutsideProbe.start(settings.baseUrl(), managerToken, Duration.ofMinutes(30));
        setUp(populations).protocols(Api.protocol(settings)).maxDuration(Duration.ofMinutes(30));
    }

    /** Phones (signed in before) that look up their newest report, wait for each other, and then submit at once. */
    private ScenarioBuilder phones(String name, List<Map<String, Object>> workers, ChainBuilder submission) {
        return scenario(name)
                .feed(listFeeder(workers).queue())
                // a phone answered 503 tries again after the wait it was asked for, at most a few times
                .tryMax(READY_TRIES, "readyTry").on(
                        pause(session -> session.getInt("readyTry") == 0 ? Duration.ZERO
                                : Duration.ofMillis(2000 + ThreadLocalRandom.current().nextInt(2000)))
                        .exec(http("newest own report").get("/api/v1/reports")
                                .header("Authorization", "Bearer #{token}")
                                .queryParam("siteId", "#{pushSiteId}").queryParam("authorId", "#{userId}")
                                .queryParam("size", "1")
                                .check(status().is(200), jsonPath("$.items[0].date").optional().saveAs("newestDate"))))
                .doIf(Session::isFailed).then(exec(session -> {
                    tally.notReady();
                    return session;
                }))
                .exitHereIfFailed()
                .exec(session -> {
                    Session prepared = prepared(session);
                    tally.ready();
                    return prepared;
                })
                .asLongAs(session -> !tally.allReady()).on(pause(Duration.ofMillis(50)))
                .exec(session -> {
                    tally.started();
                    return session.set("started", System.nanoTime());
                })
                .exitBlockOnFail().on(submission)
                .exec(session -> {
                    if (session.isFailed()) {
                        tally.failed(session.contains("httpStatus") ? session.getString("httpStatus") : "no answer");
                    } else {
                        tally.submitted(session.getString("token"), UUID.fromString(session.getString("reportId")),
                                session.getList("photos"), System.nanoTime() - session.getLong("started"));
                    }
                    return session;
                });
    }

    /** The phone's report id and date and its photos (hashed here, before the rush, not during it). */
    private Session prepared(Session session) {
        String newest = session.contains("newestDate") ? session.getString("newestDate") : null;
        LocalDate date = newest == null ? LocalDate.of(1900, 1, 1) : LocalDate.parse(newest).plusDays(1);
        List<RushPhotos.Photo> own = new ArrayList<>();
        for (int i = 0; i < settings.rushPhotos(); i++) {
            own.add(photos.photo(UUID.randomUUID(), photoSequence.getAndIncrement()));
        }
        return session.set("reportId", UUID.randomUUID().toString()).set("date", date.toString()).set("photos", own);
    }

    /** Create the report (every section), upload the photos as request bodies, submit. */
    private ChainBuilder restSubmission() {
        return exec(http("create report").post("/api/v1/reports")
                        .header("Authorization", "Bearer #{token}")
                        .body(StringBody(session -> ReportJson.complete(session.getString("reportId"),
                                session.getString("pushSiteId"), session.getString("date"))))
                        .check(status().saveAs("httpStatus"), status().is(201)))
                .repeat(settings.rushPhotos(), "photoIndex").on(
                        exec(restUpload().check(status().saveAs("httpStatus"), status().is(201),
                                        responseTimeInMillis().saveAs("photoLatency"),
                                        jsonPath("$.sha256").is(session -> photo(session).sha256())))
                        .exec(session -> photoAcknowledged(session)))
                .exec(http("submit").post("/api/v1/reports/#{reportId}/submit")
                        .header("Authorization", "Bearer #{token}")
                        .check(status().saveAs("httpStatus"), status().is(200),
                                jsonPath("$.status").is("SUBMITTED")));
    }

    /**
     * The photo as the request body, an array made for the request (a stream cost the generator more, see
     * docs/performance.md); or, with {@code rush.multipart}, as a browser's form.
     */
    private HttpRequestActionBuilder restUpload() {
        HttpRequestActionBuilder upload = http("photo upload").post(session -> "/api/v1/reports/"
                        + session.getString("reportId") + "/photos?id=" + photo(session).id() + "&caption=Photo%20"
                        + (session.getInt("photoIndex") + 1) + "&latitude=53.55&longitude=9.99")
                .header("Authorization", "Bearer #{token}");
        if (settings.rushMultipart()) {
            return upload.bodyPart(ByteArrayBodyPart("file", session -> photos.bytes(photo(session)))
                            .fileName("photo.jpg").contentType("image/jpeg"))
                    .asMultipartForm();
        }
        return upload.header("Content-Type", "image/jpeg")
                .body(ByteArrayBody(session -> photos.bytes(photo(session))));
    }

    /**
     * One push with the report (every section), the photo announcements and the submission, as a phone's
     * outbox holds them; then each photo's resumable upload in one chunk.
     */
    private ChainBuilder syncSubmission() {
        return exec(session -> {
                    UUID reportId = UUID.fromString(session.getString("reportId"));
                    List<Operation> operations = new ArrayList<>();
                    operations.add(SyncRequests.createComplete(UUID.randomUUID(), reportId,
                            UUID.fromString(session.getString("pushSiteId")), LocalDate.parse(session.getString("date")),
                            (int) (photoSequence.get() % 97)));
                    List<RushPhotos.Photo> own = session.getList("photos");
                    for (int i = 0; i < own.size(); i++) {
                        operations.add(SyncRequests.announcePhoto(UUID.randomUUID(), own.get(i).id(), reportId,
                                own.get(i).sha256(), own.get(i).size(), i));
                    }
                    operations.add(SyncRequests.submit(UUID.randomUUID(), reportId, 1));
                    UUID deviceId = UUID.randomUUID();
                    return session.set("body", SyncRequests.push(deviceId, operations)).set("deviceId", deviceId.toString())
                            .set("operations", operations.size());
                })
                .exec(Api.push("sync push").check(status().saveAs("httpStatus")))
                .repeat(settings.rushPhotos(), "photoIndex").on(
                        exec(http("upload start").post("/api/v1/sync/uploads")
                                .header("Authorization", "Bearer #{token}")
                                .header(DEVICE_ID, "#{deviceId}")
                                .body(StringBody(session -> "{\"photoId\":\"" + photo(session).id() + "\",\"sha256\":\""
                                        + photo(session).sha256() + "\",\"size\":" + photo(session).size() + "}"))
                                .check(status().saveAs("httpStatus"), status().is(200), jsonPath("$.offset").is("0")))
                        .exec(http("photo upload").patch(session -> "/api/v1/sync/uploads/" + photo(session).id())
                                .header("Authorization", "Bearer #{token}")
                                .header("Content-Type", "application/offset+octet-stream")
                                .header("Upload-Offset", "0")
                                .header(DEVICE_ID, "#{deviceId}")
                                .body(ByteArrayBody(session -> photos.bytes(photo(session))))
                                .check(status().saveAs("httpStatus"), status().is(200),
                                        responseTimeInMillis().saveAs("photoLatency"),
                                        jsonPath("$.receipt.sha256").is(session -> photo(session).sha256())))
                        .exec(session -> photoAcknowledged(session)));
    }

    /** Health and a report list, four times a second each, as long as phones are submitting. */
    private ScenarioBuilder probe() {
        return scenario("probe")
                .exec(session -> session.set("login", World.MANAGER))
                .exec(Api.signIn(world.password()))
                .asLongAs(session -> !tally.finished()).on(
                        exec(http("health").get("/actuator/health")
                                .check(status().is(200), responseTimeInMillis().saveAs("probeLatency")))
                        .exec(session -> {
                            tally.probed("health", session.getLong("probeLatency"));
                            return session;
                        })
                        .exec(http("report list").get("/api/v1/reports?size=20")
                                .header("Authorization", "Bearer #{token}")
                                .check(status().is(200), responseTimeInMillis().saveAs("probeLatency")))
                        .exec(session -> {
                            tally.probed("report list", session.getLong("probeLatency"));
                            return session;
                        })
                        .pause(Duration.ofMillis(250)));
    }

    private static RushPhotos.Photo photo(Session session) {
        List<RushPhotos.Photo> own = session.getList("photos");
        return own.get(session.getInt("photoIndex"));
    }

    private Session photoAcknowledged(Session session) {
        tally.photoUploaded(photo(session).size(), session.getLong("photoLatency"));
        return session;
    }

    @Override
    public void after() {
        outsideProbe.close();
        Summary.publish(settings, "rush", tally.summary(machine, warmUp, photos.averageSize(),
                new RushCheck(settings).verify(tally.acknowledged(), THUMBNAIL_WAIT), outsideProbe));
    }
}
