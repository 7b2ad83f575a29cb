package app.fieldbook.load;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.listFeeder;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durable report submissions per second (issue 13), the figure set against the raw PostgreSQL one of the same run:
 * {@code submissions.clients} field workers of the {@link PeakWorld} (16, as many as pgbench's clients), signed in
 * beforehand, each create a report with every section filled and submit it, over and over without a pause, for
 * {@code submissions.seconds} (30), after {@code submissions.warmup-seconds} (20) of the same work that is not
 * counted (a server at the peak has been running: a JVM measured from its start spends much of its processor on
 * compiling the path, and the figure of its first 30 s was half that of 90 s). Each create and each submit is a
 * transaction with its audit event, committed before the answer, as pgbench commits a row like a report and one
 * like its audit event. The reports fall on days of the 20th century, after the worker's newest one there, so
 * that every create is new even on a kept database. Gatling's assertions: the error rate, and p99 of each request
 * under {@code submissions.p99-ms} (1 s).
 */
public class DurableSubmissionsSimulation extends Simulation {

    /** The last day the reports of this simulation fall on; the seeded history starts after it. */
    private static final LocalDate LAST_DAY = LocalDate.of(1999, 12, 31);
    private static final Pattern PGBENCH = Pattern.compile("PostgreSQL \\(pgbench\\)\\s+(\\d+) report\\+audit");

    private final LoadSettings settings = LoadSettings.fromSystemProperties();
    private final PeakSettings peak = PeakSettings.fromSystemProperties();
    private final PeakWorld world = PeakWorld.prepare(settings, peak);
    private final int clients = Integer.getInteger("fieldbook.peak.submissions.clients", 16);
    private final Duration duration = Duration.ofSeconds(Integer.getInteger("fieldbook.peak.submissions.seconds", 30));
    private final Duration warmUp =
            Duration.ofSeconds(Integer.getInteger("fieldbook.peak.submissions.warmup-seconds", 20));
    private final int p99Millis = Integer.getInteger("fieldbook.peak.submissions.p99-ms", 1000);
    private final AtomicLong submitted = new AtomicLong();
    private final PeakTally tally = new PeakTally();
    private final CpuUse cpu = new CpuUse(settings.serverPid(), settings.database());
    private final AtomicBoolean measuring = new AtomicBoolean();
    private volatile CpuUse.Sample cpuAtStart;

    {
        List<PeakWorld.Person> workers = world.workers().subList(0, Math.min(clients, world.workers().size()));
        List<Map<String, Object>> signedIn = new SignedInPhones(settings, world.password())
                .signIn(PeakWorld.records(workers, world.sites()), 2);
        ScenarioBuilder warmingUp = submitting("field workers warming up", signedIn, warmUp, " (warm-up)", false);
        ScenarioBuilder submitting = submitting("field workers submitting", signedIn, duration, "", true);
        setUp(warmingUp.injectOpen(atOnceUsers(workers.size()))
                .andThen(submitting.injectOpen(atOnceUsers(workers.size()))))
                .protocols(Api.protocol(settings))
                .assertions(
                        global().failedRequests().percent().lte(peak.maxErrorPercent()),
                        details("create report").responseTime().percentile(99.0).lte(p99Millis),
                        details("submit").responseTime().percentile(99.0).lte(p99Millis));
    }

    /**
     * Each worker, from their newest report of the 20th century on, creates and submits the next day's for
     * {@code during}; the requests' names end in {@code suffix}, and only a measured scenario's are counted.
     */
    private ScenarioBuilder submitting(String name, List<Map<String, Object>> signedIn, Duration during,
            String suffix, boolean measured) {
        return scenario(name)
                .feed(listFeeder(signedIn).queue())
                .exec(session -> {
                    if (measured && measuring.compareAndSet(false, true)) {
                        cpuAtStart = cpu.sample();
                    }
                    return session;
                })
                .exec(http("newest own report of the 20th century" + suffix).get("/api/v1/reports")
                        .header("Authorization", "Bearer #{token}")
                        .queryParam("siteId", "#{siteId}").queryParam("authorId", "#{userId}")
                        .queryParam("to", LAST_DAY.toString()).queryParam("size", "1")
                        .check(status().is(200), jsonPath("$.items[0].date").optional().saveAs("newestDate")))
                .exitHereIfFailed()
                .exec(session -> session.set("date", session.contains("newestDate")
                        ? LocalDate.parse(session.getString("newestDate")) : LocalDate.of(1899, 12, 31)))
                .during(during).on(
                        exec(session -> next(session))
                        .exec(counted("create report" + suffix, measured, http("create report" + suffix)
                                .post("/api/v1/reports")
                                .header("Authorization", "Bearer #{token}")
                                .body(StringBody(session -> ReportJson.complete(session.getString("reportId"),
                                        session.getString("siteId"), session.getString("day"))))
                                .check(status().is(201))))
                        .exitHereIfFailed()
                        .exec(counted("submit" + suffix, measured, http("submit" + suffix)
                                .post("/api/v1/reports/#{reportId}/submit")
                                .header("Authorization", "Bearer #{token}")
                                .check(status().is(200), jsonPath("$.status").is("SUBMITTED"))))
                        .exitHereIfFailed()
                        .exec(session -> {
                            if (measured) {
                                submitted.incrementAndGet();
                            }
                            return session;
                        }));
    }

    private ChainBuilder counted(String name, boolean measured, HttpRequestActionBuilder request) {
        return measured ? tally.timed(name, request) : exec(request);
    }

    /** The next report of the worker: a new id, the day after their last one (never past {@link #LAST_DAY}). */
    private static Session next(Session session) {
        LocalDate day = session.<LocalDate>get("date").plusDays(1);
        if (day.isAfter(LAST_DAY)) {
            throw new IllegalStateException("no day of the 20th century left for " + session.getString("login"));
        }
        return session.set("date", day).set("day", day.toString()).set("reportId", UUID.randomUUID().toString());
    }

    @Override
    public void after() {
        double seconds = tally.seconds();
        double perSecond = submitted.get() / seconds;
        Integer raw = rawPostgres(settings.results().resolve("raw-limits.txt"));
        Summary.publish(settings, "peak-submissions", String.format(Locale.ROOT, """
                Durable report submissions (%d field workers, each creating and submitting reports without a pause, %d s, after %d s not counted)
                  submitted              %d reports in %.1f s (first create to last submit): %.0f/s (each a create and a submit, two commits); %s
                %s  CPU                    %s
                """, clients, duration.toSeconds(), warmUp.toSeconds(), submitted.get(), seconds, perSecond,
                raw == null ? "the raw PostgreSQL figure not measured in this run"
                        : String.format(Locale.ROOT, "%.0f %% of the raw PostgreSQL figure (%d transactions/s)",
                                100.0 * perSecond / raw, raw),
                tally.describe("create report", "submit"), cpu.between(cpuAtStart, cpu.sample())));
    }

    /** The pgbench figure of this run's raw limits (report+audit transactions a second), if it was measured. */
    private static Integer rawPostgres(Path rawLimits) {
        try {
            if (!Files.exists(rawLimits)) {
                return null;
            }
            Matcher matcher = PGBENCH.matcher(Files.readString(rawLimits));
            return matcher.find() ? Integer.valueOf(matcher.group(1)) : null;
        } catch (IOException e) {
            return null;
        }
    }
}
