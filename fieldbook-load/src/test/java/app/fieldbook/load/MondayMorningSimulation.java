package app.fieldbook.load;

import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.listFeeder;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.time.Duration;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The Monday-morning read peak (issue 13): {@code reads.users} people (workers and managers of the
 * {@link PeakWorld}, signed in beforehand) arrive over {@code reads.ramp-seconds} and, for
 * {@code reads.seconds}, each in turn: a manager opens the dashboard of their portfolio for this month; then
 * one of their sites' list of 50 reports, one of its newest reports, its photo list and a photo's thumbnail,
 * then pauses {@code reads.pause-ms} (a person reading). Gatling caches as a browser does: a thumbnail read again is
 * answered 304 Not Modified, which counts as a success. Gatling's assertions: p95 and p99 of each request
 * under {@code reads.p95-ms} and {@code reads.p99-ms}, and the error rate. Before them, {@code reads.warmup-users}
 * (50) read the same way for {@code reads.warmup-seconds} (20), not counted: a server on a Monday morning has been
 * running, and a JVM measured from its start spends much of its first minute compiling.
 */
public class MondayMorningSimulation extends Simulation {

    static final String[] REQUESTS = {"dashboard", "report list", "report", "photo list", "thumbnail"};

    private final LoadSettings settings = LoadSettings.fromSystemProperties();
    private final PeakSettings peak = PeakSettings.fromSystemProperties();
    private final PeakWorld world = PeakWorld.prepare(settings, peak);
    private final PeakTally tally = new PeakTally();
    private final CpuUse cpu = new CpuUse(settings.serverPid(), settings.database());
    private final Duration warmUp = Duration.ofSeconds(Integer.getInteger("fieldbook.peak.reads.warmup-seconds", 20));
    private final int warmUpReaders = Integer.getInteger("fieldbook.peak.reads.warmup-users", 50);
    private final AtomicBoolean measuring = new AtomicBoolean();
    private volatile CpuUse.Sample cpuAtStart;
    private final int pauseMillis = Integer.getInteger("fieldbook.peak.reads.pause-ms", 1000);

    {
        List<PeakWorld.Person> people = new ArrayList<>(world.managers());
        people.addAll(world.workers());
        List<Map<String, Object>> readers = new ArrayList<>(new SignedInPhones(settings, world.password())
                .signIn(PeakWorld.records(people, world.sites()), 2));
        Collections.shuffle(readers, new Random(13));
        String month = YearMonth.now().toString();
        int newest = peak.authorsPerSite() * 2;

        ScenarioBuilder warmingUp = reading("Monday-morning readers warming up", readers, month, newest, warmUp,
                " (warm-up)", false);
        ScenarioBuilder reading = reading("Monday-morning readers", readers, month, newest, peak.readDuration(), "",
                true);

        List<Assertion> assertions = new ArrayList<>();
        assertions.add(global().failedRequests().percent().lte(peak.maxErrorPercent()));
        for (String request : REQUESTS) {
            assertions.add(details(request).responseTime().percentile(95.0).lte(peak.p95Millis()[PeakSettings.READS]));
            assertions.add(details(request).responseTime().percentile(99.0).lte(peak.p99Millis()[PeakSettings.READS]));
        }
        setUp(warmingUp.injectOpen(rampUsers(warmUp.isZero() ? 0 : warmUpReaders).during(Duration.ofSeconds(1)))
                .andThen(reading.injectOpen(rampUsers(peak.readers()).during(peak.readRamp()))))
                .protocols(Api.protocol(settings))
                .maxDuration(warmUp.plus(peak.readRamp()).plus(peak.readDuration()).plusMinutes(2))
                .assertions(assertions);
    }

    /**
     * Readers from {@code readers} in turn, for {@code during} each: the chain of the class's comment, requests
     * named with {@code suffix}; only a measured scenario's are counted in the summary.
     */
    private ScenarioBuilder reading(String name, List<Map<String, Object>> readers, String month, int newest,
            Duration during, String suffix, boolean measured) {
        return scenario(name)
                .feed(listFeeder(readers).circular())
                .exec(session -> {
                    if (measured && measuring.compareAndSet(false, true)) {
                        cpuAtStart = cpu.sample();
                    }
                    return session;
                })
                .during(during).on(
                        exec(session -> {
                            List<String> sites = session.getList("siteIds");
                            return session.set("siteId", sites.get(ThreadLocalRandom.current().nextInt(sites.size())));
                        })
                        .doIf(session -> !session.getString("portfolioId").isEmpty()).then(
                                counted("dashboard" + suffix, measured, http("dashboard" + suffix)
                                        .get("/api/v1/insights/dashboard")
                                        .queryParam("month", month).queryParam("portfolioId", "#{portfolioId}")
                                        .header("Authorization", "Bearer #{token}").check(status().is(200))))
                        .exec(counted("report list" + suffix, measured, http("report list" + suffix)
                                .get("/api/v1/reports")
                                .queryParam("siteId", "#{siteId}").queryParam("size", "50")
                                .header("Authorization", "Bearer #{token}")
                                .check(status().is(200), jsonPath("$.items[*].id").findAll().saveAs("reportIds"))))
                        .exitHereIfFailed()
                        .exec(session -> {
                            List<String> ids = session.getList("reportIds");
                            return session.set("reportId",
                                    ids.get(ThreadLocalRandom.current().nextInt(Math.min(newest, ids.size()))));
                        })
                        .exec(counted("report" + suffix, measured, http("report" + suffix)
                                .get("/api/v1/reports/#{reportId}")
                                .header("Authorization", "Bearer #{token}").check(status().is(200))))
                        .exec(session -> session.remove("photoId"))
                        .exec(counted("photo list" + suffix, measured, http("photo list" + suffix)
                                .get("/api/v1/reports/#{reportId}/photos")
                                .header("Authorization", "Bearer #{token}")
                                .check(status().is(200),
                                        jsonPath("$[*].id").findRandom().optional().saveAs("photoId"))))
                        .doIf(session -> session.contains("photoId")).then(
                                counted("thumbnail" + suffix, measured, http("thumbnail" + suffix)
                                        .get("/api/v1/photos/#{photoId}/thumbnail")
                                        .header("Authorization", "Bearer #{token}").header("Accept", "image/*")
                                        .check(status().in(200, 304))))
                        .pause(Duration.ofMillis(pauseMillis / 2), Duration.ofMillis(pauseMillis * 3L / 2)));
    }

    private ChainBuilder counted(String name, boolean measured, HttpRequestActionBuilder request) {
        return measured ? tally.timed(name, request) : exec(request);
    }

    @Override
    public void after() {
        Summary.publish(settings, "peak-reads", String.format(Locale.ROOT, """
                Monday-morning reads (%d users over %d s, %d s each, pauses around %d ms; %d before for %d s, not counted)
                %s  CPU                    %s
                """, peak.readers(), peak.readRamp().toSeconds(), peak.readDuration().toSeconds(), pauseMillis,
                warmUpReaders, warmUp.toSeconds(),
                tally.describe(REQUESTS), cpu.between(cpuAtStart, cpu.sample())));
    }
}
