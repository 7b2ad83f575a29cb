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

import app.fieldbook.protocol.Operation;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
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
    private final int pushReports = Integer.getInteger("fieldbook.peak.submissions.push-reports", 25);
    /**
     * Whether a pushed report is one operation, its create with the status submitted (which the protocol takes: one
     * transaction), instead of a create and then its submission; measures what folding the two would give.
     */
    private final boolean pushSubmitted = Boolean.getBoolean("fieldbook.peak.submissions.push-submitted");
    private final Phase rest = new Phase();
    private final Phase sync = new Phase();
    private final CpuUse cpu = new CpuUse(settings.serverPid(), settings.database());

    /** What one way of submitting measured: its reports, its requests' times and the processor over it. */
    private final class Phase {
        final AtomicLong submitted = new AtomicLong();
        final PeakTally tally = new PeakTally();
        final AtomicBoolean measuring = new AtomicBoolean();
        volatile CpuUse.Sample cpuAtStart;
        volatile CpuUse.Sample cpuAtEnd;

        /** Samples the processor as the first virtual user of a measured scenario starts. */
        Session start(Session session) {
            if (measuring.compareAndSet(false, true)) {
                cpuAtStart = cpu.sample();
            }
            return session;
        }

        /**
         * Samples the processor as the phase ends (each user's last step, so the last sample wins; a user stopped
         * by a failed request does not get there).
         */
        Session end(Session session) {
            cpuAtEnd = cpu.sample();
            return session;
        }

        /** The processor over the phase; not known when no user started it or none finished it. */
        String cpuUse() {
            return cpuAtStart == null || cpuAtEnd == null ? "not measured (no user of this phase finished it)"
                    : cpu.between(cpuAtStart, cpuAtEnd);
        }
    }

    {
        List<PeakWorld.Person> workers = world.workers().subList(0, Math.min(clients, world.workers().size()));
        List<Map<String, Object>> signedIn = new SignedInPhones(settings, world.password())
                .signIn(PeakWorld.records(workers, world.sites()), 2);
        ScenarioBuilder warmingUp = submitting("field workers warming up", signedIn, warmUp, " (warm-up)", null);
        ScenarioBuilder submitting = submitting("field workers submitting", signedIn, duration, "", rest);
        ScenarioBuilder devicesWarmingUp = pushing("devices warming up", signedIn, warmUp, " (warm-up)", null);
        ScenarioBuilder pushing = pushing("devices pushing", signedIn, duration, "", sync);
        int users = workers.size();
        setUp(warmingUp.injectOpen(atOnceUsers(users))
                .andThen(submitting.injectOpen(atOnceUsers(users))
                        .andThen(devicesWarmingUp.injectOpen(atOnceUsers(users))
                                .andThen(pushing.injectOpen(atOnceUsers(users))))))
                .protocols(Api.protocol(settings))
                .assertions(
                        global().failedRequests().percent().lte(peak.maxErrorPercent()),
                        details("create report").responseTime().percentile(99.0).lte(p99Millis),
                        details("submit").responseTime().percentile(99.0).lte(p99Millis),
                        details("sync push").responseTime().percentile(99.0).lte(p99Millis));
    }

    /** The worker's newest report of the 20th century, whose next day is the first one this phase uses. */
    private static ChainBuilder newestOwnReport(String suffix) {
        return exec(http("newest own report of the 20th century" + suffix).get("/api/v1/reports")
                        .header("Authorization", "Bearer #{token}")
                        .queryParam("siteId", "#{siteId}").queryParam("authorId", "#{userId}")
                        .queryParam("to", LAST_DAY.toString()).queryParam("size", "1")
                        .check(status().is(200), jsonPath("$.items[0].date").optional().saveAs("newestDate")))
                .exitHereIfFailed()
                .exec(session -> session.set("date", session.contains("newestDate")
                        ? LocalDate.parse(session.getString("newestDate")) : LocalDate.of(1899, 12, 31)));
    }

    /**
     * Each worker, from their newest report of the 20th century on, creates and submits the next day's for
     * {@code during}; the requests' names end in {@code suffix}, and only a measured scenario's are counted.
     */
    private ScenarioBuilder submitting(String name, List<Map<String, Object>> signedIn, Duration during,
            String suffix, Phase phase) {
        return measuredFor(name, signedIn, during, suffix, phase,
                exec(session -> next(session))
                        .exec(counted("create report" + suffix, phase, http("create report" + suffix)
                                .post("/api/v1/reports")
                                .header("Authorization", "Bearer #{token}")
                                .body(StringBody(session -> ReportJson.complete(session.getString("reportId"),
                                        session.getString("siteId"), session.getString("day"))))
                                .check(status().is(201))))
                        .exitHereIfFailed()
                        .exec(counted("submit" + suffix, phase, http("submit" + suffix)
                                .post("/api/v1/reports/#{reportId}/submit")
                                .header("Authorization", "Bearer #{token}")
                                .check(status().is(200), jsonPath("$.status").is("SUBMITTED"))))
                        .exitHereIfFailed()
                        .exec(submitted(phase, 1)));
    }

    /**
     * Each worker's device, from their newest report of the 20th century on, pushes {@code pushReports} reports
     * at a time for {@code during}, as a device that was offline sends its outbox (the web app sends up to 100
     * operations a push): for each report a create with every section filled and then its submission, two
     * operations, each applied in a transaction of its own with its audit event and committed before the answer
     * (or, with {@code submissions.push-submitted}, one operation creating it submitted).
     */
    private ScenarioBuilder pushing(String name, List<Map<String, Object>> signedIn, Duration during,
            String suffix, Phase phase) {
        return measuredFor(name, signedIn, during, suffix, phase,
                exec(this::outbox)
                        .exec(counted("sync push" + suffix, phase, Api.push("sync push" + suffix)))
                        .exitHereIfFailed()
                        .exec(submitted(phase, pushReports)));
    }

    /**
     * One signed-in worker a user: from their newest report of the 20th century on, {@code round} over and over
     * for {@code during}, with the processor sampled at the phase's start and end when {@code phase} measures it.
     */
    private ScenarioBuilder measuredFor(String name, List<Map<String, Object>> signedIn, Duration during,
            String suffix, Phase phase, ChainBuilder round) {
        return scenario(name)
                .feed(listFeeder(signedIn).queue())
                .exec(session -> phase != null ? phase.start(session) : session)
                .exec(newestOwnReport(suffix))
                .exec(session -> session.set("deviceId", UUID.randomUUID().toString()))
                .during(during).on(round)
                .exec(session -> phase != null ? phase.end(session) : session);
    }

    /** Counts {@code reports} submitted in a measured phase. */
    private static Function<Session, Session> submitted(Phase phase, int reports) {
        return session -> {
            if (phase != null) {
                phase.submitted.addAndGet(reports);
            }
            return session;
        };
    }

    /**
     * The device's next push: the next {@code pushReports} days' reports, each created and then submitted (or
     * created submitted, with {@code submissions.push-submitted}).
     */
    private Session outbox(Session session) {
        UUID siteId = UUID.fromString(session.getString("siteId"));
        List<Operation> operations = new ArrayList<>();
        Session next = session;
        for (int i = 0; i < pushReports; i++) {
            next = next(next);
            UUID reportId = UUID.fromString(next.getString("reportId"));
            LocalDate day = LocalDate.parse(next.getString("day"));
            if (pushSubmitted) {
                operations.add(SyncRequests.createSubmitted(UUID.randomUUID(), reportId, siteId, day, i));
            } else {
                operations.add(SyncRequests.createComplete(UUID.randomUUID(), reportId, siteId, day, i));
                operations.add(SyncRequests.submit(UUID.randomUUID(), reportId, 1));
            }
        }
        return next.set("body", SyncRequests.push(UUID.fromString(session.getString("deviceId")), operations))
                .set("operations", operations.size());
    }

    private static ChainBuilder counted(String name, Phase phase, HttpRequestActionBuilder request) {
        return phase != null ? phase.tally.timed(name, request) : exec(request);
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
        Integer raw = rawPostgres(settings.results().resolve("raw-limits.txt"));
        Summary.publish(settings, "peak-submissions", String.format(Locale.ROOT, """
                Durable report submissions (%d field workers, each creating and submitting reports without a pause, %d s, after %d s not counted)
                  through REST           %s
                %s  CPU                    %s
                  through sync pushes    %s
                %s  CPU                    %s
                """, clients, duration.toSeconds(), warmUp.toSeconds(),
                figure(rest, "first create to last submit", "one request each", raw,
                        "each a create and a submit, two commits"),
                rest.tally.describe("create report", "submit"), rest.cpuUse(),
                figure(sync, "first push to last", pushReports + " reports a push", raw, pushSubmitted
                        ? "each one operation, created submitted: one commit" : "each a create and a submit, two commits"),
                sync.tally.describe("sync push"), sync.cpuUse()));
    }

    private static String figure(Phase phase, String span, String requests, Integer raw, String commits) {
        double seconds = phase.tally.seconds();
        double perSecond = phase.submitted.get() / seconds;
        return String.format(Locale.ROOT, "%d reports in %.1f s (%s): %.0f/s (%s; %s); %s", phase.submitted.get(),
                seconds, span, perSecond, requests, commits,
                raw == null ? "the raw PostgreSQL figure not measured in this run"
                        : String.format(Locale.ROOT, "%.0f %% of the raw PostgreSQL figure (%d transactions/s)",
                                100.0 * perSecond / raw, raw));
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
