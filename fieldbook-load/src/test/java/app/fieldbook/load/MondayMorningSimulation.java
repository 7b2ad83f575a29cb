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
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.time.Duration;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The Monday-morning read peak (issue 13): {@code reads.users} people (workers and managers of the
 * {@link PeakWorld}, signed in beforehand) arrive over {@code reads.ramp-seconds} and, for
 * {@code reads.seconds}, each in turn: a manager opens the dashboard of their portfolio for this month; then
 * one of their sites' list of 50 reports, one of its newest reports, its photo list and a photo's thumbnail,
 * then pauses {@code reads.pause-ms} (a person reading). Gatling caches as a browser does: a thumbnail read again is
 * answered 304 Not Modified, which counts as a success. Gatling's assertions: p95 and p99 of each request
 * under {@code reads.p95-ms} and {@code reads.p99-ms}, and the error rate.
 */
public class MondayMorningSimulation extends Simulation {

    static final String[] REQUESTS = {"dashboard", "report list", "report", "photo list", "thumbnail"};

    private final LoadSettings settings = LoadSettings.fromSystemProperties();
    private final PeakSettings peak = PeakSettings.fromSystemProperties();
    private final PeakWorld world = PeakWorld.prepare(settings, peak);
    private final PeakTally tally = new PeakTally();
    private final CpuUse cpu = new CpuUse(settings.serverPid(), settings.database());
    private final CpuUse.Sample cpuAtStart = cpu.sample();
    private final int pauseMillis = Integer.getInteger("fieldbook.peak.reads.pause-ms", 1000);

    {
        List<PeakWorld.Person> people = new ArrayList<>(world.managers());
        people.addAll(world.workers());
        List<Map<String, Object>> readers = new ArrayList<>(new SignedInPhones(settings, world.password())
                .signIn(PeakWorld.records(people, world.sites()), 2));
        Collections.shuffle(readers, new Random(13));
        String month = YearMonth.now().toString();
        int newest = peak.authorsPerSite() * 2;

        ScenarioBuilder reading = scenario("Monday-morning readers")
                .feed(listFeeder(readers).circular())
                .during(peak.readDuration()).on(
                        exec(session -> {
                            List<String> sites = session.getList("siteIds");
                            return session.set("siteId", sites.get(ThreadLocalRandom.current().nextInt(sites.size())));
                        })
                        .doIf(session -> !session.getString("portfolioId").isEmpty()).then(
                                tally.timed("dashboard", http("dashboard").get("/api/v1/insights/dashboard")
                                        .queryParam("month", month).queryParam("portfolioId", "#{portfolioId}")
                                        .header("Authorization", "Bearer #{token}").check(status().is(200))))
                        .exec(tally.timed("report list", http("report list").get("/api/v1/reports")
                                .queryParam("siteId", "#{siteId}").queryParam("size", "50")
                                .header("Authorization", "Bearer #{token}")
                                .check(status().is(200), jsonPath("$.items[*].id").findAll().saveAs("reportIds"))))
                        .exitHereIfFailed()
                        .exec(session -> {
                            List<String> ids = session.getList("reportIds");
                            return session.set("reportId",
                                    ids.get(ThreadLocalRandom.current().nextInt(Math.min(newest, ids.size()))));
                        })
                        .exec(tally.timed("report", http("report").get("/api/v1/reports/#{reportId}")
                                .header("Authorization", "Bearer #{token}").check(status().is(200))))
                        .exec(session -> session.remove("photoId"))
                        .exec(tally.timed("photo list", http("photo list").get("/api/v1/reports/#{reportId}/photos")
                                .header("Authorization", "Bearer #{token}")
                                .check(status().is(200), jsonPath("$[*].id").findRandom().optional().saveAs("photoId"))))
                        .doIf(session -> session.contains("photoId")).then(
                                tally.timed("thumbnail", http("thumbnail").get("/api/v1/photos/#{photoId}/thumbnail")
                                        .header("Authorization", "Bearer #{token}").header("Accept", "image/*")
                                        .check(status().in(200, 304))))
                        .pause(Duration.ofMillis(pauseMillis / 2), Duration.ofMillis(pauseMillis * 3L / 2)));

        List<Assertion> assertions = new ArrayList<>();
        assertions.add(global().failedRequests().percent().lte(peak.maxErrorPercent()));
        for (String request : REQUESTS) {
            assertions.add(details(request).responseTime().percentile(95.0).lte(peak.p95Millis()[PeakSettings.READS]));
            assertions.add(details(request).responseTime().percentile(99.0).lte(peak.p99Millis()[PeakSettings.READS]));
        }
        setUp(reading.injectOpen(rampUsers(peak.readers()).during(peak.readRamp())))
                .protocols(Api.protocol(settings))
                .maxDuration(peak.readRamp().plus(peak.readDuration()).plusMinutes(2))
                .assertions(assertions);
    }

    @Override
    public void after() {
        Summary.publish(settings, "peak-reads", String.format(Locale.ROOT, """
                Monday-morning reads (%d users over %d s, %d s each, pauses around %d ms)
                %s  CPU                    %s
                """, peak.readers(), peak.readRamp().toSeconds(), peak.readDuration().toSeconds(), pauseMillis,
                tally.describe(REQUESTS), cpu.between(cpuAtStart, cpu.sample())));
    }
}
