package app.fieldbook.load;

import static io.gatling.javaapi.core.CoreDsl.ByteArrayBody;
import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.asLongAs;
import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.doIfEqualsOrElse;
import static io.gatling.javaapi.core.CoreDsl.during;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.exitBlockOnFail;
import static io.gatling.javaapi.core.CoreDsl.global;
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
import io.gatling.javaapi.core.Assertion;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The 4:30 PM rush (issue 9): {@code rush.users} field workers submit the day's report with
 * {@code rush.photos} photos at once, after a warm-up that is not counted (a few phones submitting through the rush's
 * own requests for {@code rush.warmup-seconds}, a manager probing, then their thumbnails waited for: the rush meets
 * a server that has been running, whose JIT has seen every kind of request the rush sends; a warm-up of other
 * requests left more of the JIT's code to be thrown away and compiled again inside the rush, docs/performance.md).
 * Each virtual user is one worker's phone: it finds its newest report, waits until every phone has, then creates a report with every section filled, uploads its photos (real 12-megapixel
 * JPEGs of about 1.5 MB, each distinct, see {@link RushPhotos}) and submits. The phones are signed in before
 * the simulation begins ({@link SignedInPhones}), as real phones signed in long before the rush. Through the REST API (the
 * photo as the request body, or as a multipart form with {@code rush.multipart}), through sync (one push with the report, the photo announcements and the
 * submission, then a resumable upload per photo), or half each way ({@code rush.via}). Meanwhile a probe
 * asks for {@code /actuator/health} and a report list, from a JVM of its own ({@link OutsideProbe}) and from
 * inside Gatling. Afterwards every acknowledged report and photo is
 * read back (status, SHA-256, and the stored content hashed again), and the thumbnails are waited for, as Gatling's
 * own requests ({@link RushCheck}). Any answer but the expected one counts as an error, 503 with Retry-After
 * included; Gatling's assertions ({@link RushLimits}) refuse any error and the latencies past the issues' figures.
 * With {@code rush.spread-seconds} the phones start within that time of each other instead of at once.
 */
public class RushSimulation extends Simulation {

    private static final Duration THUMBNAIL_WAIT = Duration.ofMinutes(10);
    /** Gatling's group of a phone's whole submission: its requests' names are under it, and its time is the whole's. */
    private static final String SUBMISSION = "submission";
    private static final int WARM_UP_PHONES = 4;
    private static final Duration WARM_UP_THUMBNAIL_WAIT = Duration.ofMinutes(5);
    private static final String WARM_UP = " (warm-up)";
    /** The header naming the device that sends an upload: the one that announced the photo in its push. */
    private static final String DEVICE_ID = "Fieldbook-Device-Id";

    private final LoadSettings settings = LoadSettings.fromSystemProperties();
    private final String machine = MachineSpeed.describe(settings.diskDirectory());
    private final World world = World.prepare(settings, settings.rushUsers());
    private final RushPhotos photos = RushPhotos.generate(Math.max(1, Math.min(8, settings.rushPhotos() * 2)));
    private final RushTally tally = new RushTally(settings, new CpuUse(settings.serverPid(), settings.database()));
    private final RushLimits limits = RushLimits.fromSystemProperties(settings.rushUsers());
    private final RushCheck check = new RushCheck(tally, THUMBNAIL_WAIT);
    private final AtomicLong photoSequence = new AtomicLong();
    private final WarmUpTally warmUp = new WarmUpTally();
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
            populations.add(phones("rush through the REST API", workers.subList(0, viaRest), restSubmission(""))
                    .injectOpen(rampUsers(viaRest).during(openingApps)));
        }
        if (viaRest < workers.size()) {
            populations.add(phones("rush through sync", workers.subList(viaRest, workers.size()), syncSubmission(""))
                    .injectOpen(rampUsers(workers.size() - viaRest).during(openingApps)));
        }
        // the probe ends when the last phone has; then every acknowledged submission is read back
        populations.add(probe().injectOpen(atOnceUsers(1))
                .andThen(check.checking().injectOpen(atOnceUsers(RushCheck.CHECKERS))));
        String managerToken = (String) new SignedInPhones(settings, world.password())
                .signIn(List.of(Map.of("login", World.MANAGER)), 1).getFirst().get("token");
        // the rush's half hour at most, after the warm-up and its wait for thumbnails, then the check's reads and its
        // wait for the rush's thumbnails
        Duration longest = Duration.ofMinutes(30).plus(settings.rushWarmUp()).plus(WARM_UP_THUMBNAIL_WAIT)
                .plus(settings.rushSpread()).plusMinutes(5).plus(THUMBNAIL_WAIT);
        outsideProbe = OutsideProbe.start(settings.baseUrl(), managerToken, longest);
        List<PopulationBuilder> all = settings.rushWarmUp().isZero() ? populations
                : List.of(warmingUp(workers, managerToken).injectOpen(atOnceUsers(Math.min(WARM_UP_PHONES, workers.size()) + 1))
                        .andThen(populations));
        setUp(all).protocols(Api.protocol(settings)).maxDuration(longest).assertions(assertions(viaRest, workers.size()));
    }

    /**
     * The error rate of every request (the warm-up's, the probe's and the check's included: a photo the check finds
     * missing is a failed request), and within the phones' submissions the percentiles of {@link RushLimits}.
     */
    private List<Assertion> assertions(int viaRest, int phones) {
        List<Assertion> assertions = new ArrayList<>();
        assertions.add(global().failedRequests().percent().lte(limits.maxErrorPercent()));
        if (settings.rushPhotos() > 0) {
            bound(assertions, details(SUBMISSION, "photo upload"), 95.0, limits.photoP95Millis());
            bound(assertions, details(SUBMISSION, "photo upload"), 99.0, limits.photoP99Millis());
        }
        List<String> reportRequests = new ArrayList<>();
        if (viaRest > 0) {
            reportRequests.addAll(List.of("create report", "submit"));
        }
        if (viaRest < phones) {
            reportRequests.add("sync push");
        }
        for (String request : reportRequests) {
            bound(assertions, details(SUBMISSION, request), 99.0, limits.reportP99Millis());
        }
        bound(assertions, details(SUBMISSION), 99.0, limits.submissionP99Millis());
        return assertions;
    }

    private static void bound(List<Assertion> assertions, Assertion.WithPath path,
            double percentile, int millis) {
        if (millis > 0) {
            assertions.add(path.responseTime().percentile(percentile).lte(millis));
        }
    }

    /**
     * The warm-up: the first few phones submit through the rush's own chains for {@code rush.warmup-seconds} (the way
     * the rush sends, every other phone through sync when it sends both ways), each round after looking up its newest
     * report as a rush phone does and each round finished when the time is up, while the manager asks for what the
     * probe asks for; then each phone waits until its photos have thumbnails (at most a few minutes), so that their
     * work does not fall into the rush.
     */
    private ScenarioBuilder warmingUp(List<Map<String, Object>> workers, String managerToken) {
        List<Map<String, Object>> records = new ArrayList<>();
        for (int i = 0; i < Math.min(WARM_UP_PHONES, workers.size()); i++) {
            Map<String, Object> phone = new LinkedHashMap<>(workers.get(i));
            phone.put("warmUpVia", switch (settings.rushVia()) {
                case "rest" -> "rest";
                case "sync" -> "sync";
                default -> i % 2 == 1 ? "sync" : "rest";
            });
            records.add(phone);
        }
        records.add(Map.of("warmUpVia", "probe", "token", managerToken));
        Duration length = settings.rushWarmUp();
        return scenario("warm-up")
                .feed(listFeeder(records).queue())
                .exec(session -> {
                    warmUp.began();
                    return session.set("warmUp", true).set("sent", List.of());
                })
                .doIfEqualsOrElse("#{warmUpVia}", "probe").then(
                        during(length, false).on(probing(WARM_UP)))
                .orElse(
                        during(length, false).on(
                                exitBlockOnFail().on(
                                        exec(newestOwnReport(WARM_UP))
                                        .exec(this::prepared)
                                        .doIfEqualsOrElse("#{warmUpVia}", "sync")
                                        .then(syncSubmission(WARM_UP)).orElse(restSubmission(WARM_UP)))
                                .exec(session -> {
                                    warmUp.round(session.isFailed());
                                    return session.markAsSucceeded();
                                }))
                        .exec(session -> {
                            warmUp.phoneDone();
                            return session.set("thumbnailsUntil", System.nanoTime() + WARM_UP_THUMBNAIL_WAIT.toNanos());
                        })
                        .foreach("#{sent}", "sentPhoto").on(
                                exec(session -> session.set("thumbnail", false))
                                .asLongAs(session -> !session.getBoolean("thumbnail")
                                        && System.nanoTime() < session.getLong("thumbnailsUntil")).on(
                                        exec(http("thumbnail made?" + WARM_UP).get("/api/v1/photos/#{sentPhoto}")
                                                .header("Authorization", "Bearer #{token}")
                                                .check(status().is(200), jsonPath("$.thumbnail").ofBoolean().saveAs("thumbnail")))
                                        .doIf(session -> !session.getBoolean("thumbnail")).then(pause(Duration.ofMillis(250)))))
                        .exec(session -> {
                            warmUp.thumbnailsWaited(session.getList("sent").isEmpty() || session.getBoolean("thumbnail"));
                            return session;
                        }));
    }

    /** Phones (signed in before) that look up their newest report, wait for each other, and then submit at once. */
    private ScenarioBuilder phones(String name, List<Map<String, Object>> workers, ChainBuilder submission) {
        return scenario(name)
                .feed(listFeeder(workers).queue())
                // a phone answered 503 tries again after the wait it was asked for, at most a few times
                .tryMax(READY_TRIES, "readyTry").on(
                        pause(session -> session.getInt("readyTry") == 0 ? Duration.ZERO
                                : Duration.ofMillis(2000 + ThreadLocalRandom.current().nextInt(2000)))
                        .exec(newestOwnReport("")))
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
                .doIf(session -> settings.rushSpread().isPositive()).then(pause(session ->
                        Duration.ofMillis(ThreadLocalRandom.current().nextLong(settings.rushSpread().toMillis() + 1))))
                .exec(session -> {
                    tally.started();
                    return session.set("started", System.nanoTime());
                })
                .group(SUBMISSION).on(exitBlockOnFail().on(submission))
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

    /** The phone's newest report, whose date the next one follows. */
    private static HttpRequestActionBuilder newestOwnReport(String suffix) {
        return http("newest own report" + suffix).get("/api/v1/reports")
                .header("Authorization", "Bearer #{token}")
                .queryParam("siteId", "#{pushSiteId}").queryParam("authorId", "#{userId}")
                .queryParam("size", "1")
                .check(status().is(200), jsonPath("$.items[0].date").optional().saveAs("newestDate"));
    }

    /** The phone's report id and date and its photos (hashed here, before the rush, not during it). */
    private Session prepared(Session session) {
        String newest = session.contains("newestDate") ? session.getString("newestDate") : null;
        session = session.remove("newestDate");
        LocalDate date = newest == null ? LocalDate.of(1900, 1, 1) : LocalDate.parse(newest).plusDays(1);
        List<RushPhotos.Photo> own = new ArrayList<>();
        for (int i = 0; i < settings.rushPhotos(); i++) {
            own.add(photos.photo(UUID.randomUUID(), photoSequence.getAndIncrement()));
        }
        return session.set("reportId", UUID.randomUUID().toString()).set("date", date.toString()).set("photos", own);
    }

    /** Create the report (every section), upload the photos as request bodies, submit. */
    private ChainBuilder restSubmission(String suffix) {
        return exec(http("create report" + suffix).post("/api/v1/reports")
                        .header("Authorization", "Bearer #{token}")
                        .body(StringBody(session -> ReportJson.complete(session.getString("reportId"),
                                session.getString("pushSiteId"), session.getString("date"))))
                        .check(status().saveAs("httpStatus"), status().is(201)))
                .repeat(settings.rushPhotos(), "photoIndex").on(
                        exec(restUpload(suffix).check(status().saveAs("httpStatus"), status().is(201),
                                        responseTimeInMillis().saveAs("photoLatency"),
                                        jsonPath("$.sha256").is(session -> photo(session).sha256())))
                        .exec(session -> photoAcknowledged(session)))
                .exec(http("submit" + suffix).post("/api/v1/reports/#{reportId}/submit")
                        .header("Authorization", "Bearer #{token}")
                        .check(status().saveAs("httpStatus"), status().is(200),
                                jsonPath("$.status").is("SUBMITTED")));
    }

    /**
     * The photo as the request body, an array made for the request (a stream cost the generator more, see
     * docs/performance.md); or, with {@code rush.multipart}, as a browser's form.
     */
    private HttpRequestActionBuilder restUpload(String suffix) {
        HttpRequestActionBuilder upload = http("photo upload" + suffix).post(session -> "/api/v1/reports/"
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
    private ChainBuilder syncSubmission(String suffix) {
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
                .exec(Api.push("sync push" + suffix).check(status().saveAs("httpStatus")))
                .repeat(settings.rushPhotos(), "photoIndex").on(
                        exec(http("upload start" + suffix).post("/api/v1/sync/uploads")
                                .header("Authorization", "Bearer #{token}")
                                .header(DEVICE_ID, "#{deviceId}")
                                .body(StringBody(session -> "{\"photoId\":\"" + photo(session).id() + "\",\"sha256\":\""
                                        + photo(session).sha256() + "\",\"size\":" + photo(session).size() + "}"))
                                .check(status().saveAs("httpStatus"), status().is(200), jsonPath("$.offset").is("0")))
                        .exec(http("photo upload" + suffix).patch(session -> "/api/v1/sync/uploads/" + photo(session).id())
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
                .asLongAs(session -> !tally.finished()).on(probing(""));
    }

    /** Health and a report list, then a quarter of a second's pause; counted unless the session is the warm-up's. */
    private ChainBuilder probing(String suffix) {
        return exec(http("health" + suffix).get("/actuator/health")
                        .check(status().is(200), responseTimeInMillis().saveAs("probeLatency")))
                .exec(session -> probed(session, "health"))
                .exec(http("report list" + suffix).get("/api/v1/reports?size=20")
                        .header("Authorization", "Bearer #{token}")
                        .check(status().is(200), responseTimeInMillis().saveAs("probeLatency")))
                .exec(session -> probed(session, "report list"))
                .pause(Duration.ofMillis(250));
    }

    private Session probed(Session session, String what) {
        if (!session.contains("warmUp") && session.contains("probeLatency")) {
            tally.probed(what, session.getLong("probeLatency"));
        }
        return session.remove("probeLatency");
    }

    private static RushPhotos.Photo photo(Session session) {
        List<RushPhotos.Photo> own = session.getList("photos");
        return own.get(session.getInt("photoIndex"));
    }

    private Session photoAcknowledged(Session session) {
        if (session.contains("warmUp")) {
            List<String> sent = new ArrayList<>(session.getList("sent"));
            sent.add(photo(session).id().toString());
            warmUp.photoSent();
            return session.set("sent", sent);
        }
        tally.photoUploaded(photo(session).size(), session.getLong("photoLatency"));
        return session;
    }

    @Override
    public void after() {
        outsideProbe.close();
        Summary.publish(settings, "rush", tally.summary(machine, warmUp.describe(settings.rushWarmUp()), photos.averageSize(),
                check.describe(tally.acknowledgedCount()), outsideProbe));
    }

    /** What the warm-up did, for the summary's line about it. */
    private static final class WarmUpTally {

        private final AtomicLong began = new AtomicLong();
        private final AtomicLong submitted = new AtomicLong();
        private final AtomicLong failed = new AtomicLong();
        private final AtomicLong photos = new AtomicLong();
        private final AtomicLong lastSubmitted = new AtomicLong();
        private final AtomicLong lastWaited = new AtomicLong();
        private final AtomicInteger phones = new AtomicInteger();
        private final AtomicInteger withoutThumbnails = new AtomicInteger();

        void began() {
            began.compareAndSet(0, System.nanoTime());
        }

        /** A phone's round: a submission, or one that {@code failed} somewhere (then the phone goes on). */
        void round(boolean failedRound) {
            (failedRound ? failed : submitted).incrementAndGet();
        }

        void photoSent() {
            photos.incrementAndGet();
        }

        /** A phone's rounds are over. */
        void phoneDone() {
            phones.incrementAndGet();
            lastSubmitted.accumulateAndGet(System.nanoTime(), Math::max);
        }

        /** A phone has waited for its photos' thumbnails; {@code made} whether they all exist. */
        void thumbnailsWaited(boolean made) {
            if (!made) {
                withoutThumbnails.incrementAndGet();
            }
            lastWaited.accumulateAndGet(System.nanoTime(), Math::max);
        }

        String describe(Duration length) {
            if (length.isZero()) {
                return "none";
            }
            return String.format(Locale.ROOT, "%d submissions with %d photos by %d phones in %.0f s before the rush, the"
                    + " rush's own requests (not counted)%s; %s", submitted.get(), photos.get(), phones.get(),
                    (lastSubmitted.get() - began.get()) / 1e9, failed.get() == 0 ? "" : ", " + failed.get() + " failed",
                    withoutThumbnails.get() == 0
                            ? String.format(Locale.ROOT, "its thumbnails made %.0f s after it",
                                    (lastWaited.get() - lastSubmitted.get()) / 1e9)
                            : "the thumbnails of " + withoutThumbnails.get() + " phones not all made within "
                                    + WARM_UP_THUMBNAIL_WAIT.toMinutes() + " minutes");
        }
    }
}
