package app.fieldbook.load;

import static io.gatling.javaapi.core.CoreDsl.ByteArrayBody;
import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.listFeeder;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import app.fieldbook.protocol.Operation;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The sync storm (issue 13): {@code storm.devices} phones (300) of the {@link PeakWorld}'s workers, signed in
 * long before, come back online within {@code storm.ramp-seconds}, each with {@code storm.queued} new reports
 * (every section filled) and {@code storm.photos} photos announced in its outbox: one push with all of it (the
 * requests of {@link SyncRequests}, as {@link PushThroughputSimulation} and the rush send them), then each
 * photo's resumable upload in one chunk (a real 12-megapixel JPEG of {@link RushPhotos}, each distinct). The
 * reports fall on weekends, which the seeded history leaves free, so every create is new. Every result must be
 * {@code APPLIED} and every upload's receipt must carry the photo's SHA-256. Gatling's assertions: p95 and p99
 * of the push and of the upload under {@code storm.p95-ms} and {@code storm.p99-ms}, and the error rate.
 */
public class SyncStormSimulation extends Simulation {

    private static final String DEVICE_ID = "Fieldbook-Device-Id";

    private final LoadSettings settings = LoadSettings.fromSystemProperties();
    private final PeakSettings peak = PeakSettings.fromSystemProperties();
    private final PeakWorld world = PeakWorld.prepare(settings, peak);
    private final int photosPerDevice = Integer.getInteger("fieldbook.peak.storm.photos", 2);
    private final RushPhotos photos = RushPhotos.generate(Math.min(4, Math.max(1, photosPerDevice)));
    private final AtomicLong photoSequence = new AtomicLong();
    private final AtomicLong devicesDone = new AtomicLong();
    private final AtomicLong bytesUploaded = new AtomicLong();
    private final AtomicLong reportsApplied = new AtomicLong();
    private final PeakTally tally = new PeakTally();
    private final CpuUse cpu = new CpuUse(settings.serverPid(), settings.database());
    private CpuUse.Sample cpuAtStart;

    {
        List<Map<String, Object>> workers = new SignedInPhones(settings, world.password())
                .signIn(PeakWorld.records(world.workers(), world.sites()), 2);
        List<Map<String, Object>> devices = new ArrayList<>();
        for (int d = 0; d < peak.stormDevices(); d++) {
            Map<String, Object> device = new java.util.LinkedHashMap<>(workers.get(d % workers.size()));
            device.put("phone", d / workers.size());
            devices.add(device);
        }
        ScenarioBuilder storm = scenario("devices back online")
                .feed(listFeeder(devices).queue())
                .exec(this::outbox)
                .exec(tally.timed("sync push", Api.push("sync push")))
                .exitHereIfFailed()
                .exec(session -> {
                    reportsApplied.addAndGet(peak.stormQueued());
                    return session;
                })
                .repeat(photosPerDevice, "photoIndex").on(
                        exec(tally.timed("upload start", http("upload start").post("/api/v1/sync/uploads")
                                .header("Authorization", "Bearer #{token}")
                                .header(DEVICE_ID, "#{deviceId}")
                                .body(StringBody(session -> "{\"photoId\":\"" + photo(session).id() + "\",\"sha256\":\""
                                        + photo(session).sha256() + "\",\"size\":" + photo(session).size() + "}"))
                                .check(status().is(200), jsonPath("$.offset").is("0"))))
                        .exec(tally.timed("photo upload", http("photo upload")
                                .patch(session -> "/api/v1/sync/uploads/" + photo(session).id())
                                .header("Authorization", "Bearer #{token}")
                                .header("Content-Type", "application/offset+octet-stream")
                                .header("Upload-Offset", "0")
                                .header(DEVICE_ID, "#{deviceId}")
                                .body(ByteArrayBody(session -> photos.bytes(photo(session))))
                                .check(status().is(200), jsonPath("$.receipt.sha256").is(session -> photo(session).sha256()))))
                        .exec(session -> {
                            if (!session.isFailed()) {
                                bytesUploaded.addAndGet(photo(session).size());
                            }
                            return session;
                        }))
                .exec(session -> {
                    if (!session.isFailed()) {
                        devicesDone.incrementAndGet();
                    }
                    return session;
                });
        setUp(storm.injectOpen(rampUsers(peak.stormDevices()).during(peak.stormRamp())))
                .protocols(Api.protocol(settings))
                .assertions(
                        global().failedRequests().percent().lte(peak.maxErrorPercent()),
                        details("sync push").responseTime().percentile(95.0).lte(peak.p95Millis()[PeakSettings.STORM]),
                        details("sync push").responseTime().percentile(99.0).lte(peak.p99Millis()[PeakSettings.STORM]),
                        details("photo upload").responseTime().percentile(95.0).lte(peak.p95Millis()[PeakSettings.STORM]),
                        details("photo upload").responseTime().percentile(99.0).lte(peak.p99Millis()[PeakSettings.STORM]));
    }

    /** The device's outbox as one push: its new reports on weekend days of its own, and its photos' announcements. */
    private Session outbox(Session session) {
        UUID siteId = UUID.fromString(session.getString("siteId"));
        int phone = session.getInt("phone");
        List<LocalDate> weekendDays = new ArrayList<>();
        LocalDate day = LocalDate.now().minusDays(1);
        int skip = phone * peak.stormQueued();
        while (weekendDays.size() < peak.stormQueued()) {
            if (day.getDayOfWeek() == DayOfWeek.SATURDAY || day.getDayOfWeek() == DayOfWeek.SUNDAY) {
                if (skip > 0) {
                    skip--;
                } else {
                    weekendDays.add(day);
                }
            }
            day = day.minusDays(1);
        }
        List<Operation> operations = new ArrayList<>();
        List<UUID> reports = new ArrayList<>();
        for (int i = 0; i < peak.stormQueued(); i++) {
            UUID reportId = UUID.randomUUID();
            reports.add(reportId);
            operations.add(SyncRequests.createComplete(UUID.randomUUID(), reportId, siteId, weekendDays.get(i), i));
        }
        List<RushPhotos.Photo> own = new ArrayList<>();
        for (int i = 0; i < photosPerDevice; i++) {
            RushPhotos.Photo photo = photos.photo(UUID.randomUUID(), photoSequence.getAndIncrement());
            own.add(photo);
            operations.add(SyncRequests.announcePhoto(UUID.randomUUID(), photo.id(), reports.get(i % reports.size()),
                    photo.sha256(), photo.size(), i));
        }
        UUID deviceId = UUID.randomUUID();
        return session.set("body", SyncRequests.push(deviceId, operations)).set("operations", operations.size())
                .set("deviceId", deviceId.toString()).set("photos", own);
    }

    private static RushPhotos.Photo photo(Session session) {
        List<RushPhotos.Photo> own = session.getList("photos");
        return own.get(session.getInt("photoIndex"));
    }

    @Override
    public void before() {
        cpuAtStart = cpu.sample();
    }

    @Override
    public void after() {
        Summary.publish(settings, "peak-storm", String.format(Locale.ROOT, """
                Sync storm (%d devices within %d s, each %d new reports and %d photos of %.1f MB)
                  devices done           %d of %d; %.0f MB of photos acknowledged
                  reports/s              %.0f (reports applied over the storm's %.1f s, its uploads included); photo ingest %.1f MB/s
                %s  CPU                    %s
                """, peak.stormDevices(), peak.stormRamp().toSeconds(), peak.stormQueued(), photosPerDevice,
                photos.averageSize() / 1e6, devicesDone.get(), peak.stormDevices(), bytesUploaded.get() / 1e6,
                reportsApplied.get() / tally.seconds(), tally.seconds(), bytesUploaded.get() / 1e6 / tally.seconds(),
                tally.describe("sync push", "upload start", "photo upload"), cpu.between(cpuAtStart, cpu.sample())));
    }
}
