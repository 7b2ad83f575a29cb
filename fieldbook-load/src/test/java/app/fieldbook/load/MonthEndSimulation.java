package app.fieldbook.load;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.group;
import static io.gatling.javaapi.core.CoreDsl.listFeeder;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.header;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.time.YearMonth;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Month-end (issue 13): {@code month-end.users} managers (20), signed in beforehand, each run at the same moment
 * the month-end of their portfolio (12 sites) for last month, then its CSV and its PDF export, and again
 * {@code month-end.runs} times in all, each time for the month before. Before that, each closes
 * {@code month-end.warmup-runs} (2) months further back that are not counted: a server at month-end has been
 * running, and a JVM measured from its start spends much of the first closes compiling. Gatling's assertions:
 * the p95 and p99 of the whole (group {@code month-end}: the report and both exports, one after the other) under
 * {@code month-end.p95-ms} (2 s) and {@code month-end.p99-ms}, and the error rate.
 */
public class MonthEndSimulation extends Simulation {

    private final LoadSettings settings = LoadSettings.fromSystemProperties();
    private final PeakSettings peak = PeakSettings.fromSystemProperties();
    private final PeakWorld world = PeakWorld.prepare(settings, peak);
    private final PeakTally tally = new PeakTally();
    private final CpuUse cpu = new CpuUse(settings.serverPid(), settings.database());
    private final int warmUpRuns = Integer.getInteger("fieldbook.peak.month-end.warmup-runs", 2);
    private final AtomicBoolean measuring = new AtomicBoolean();
    private volatile CpuUse.Sample cpuAtStart;

    {
        var managers = new SignedInPhones(settings, world.password()).signIn(
                PeakWorld.records(world.managers().subList(0, peak.monthEndManagers()), world.sites()), 2);
        YearMonth lastMonth = YearMonth.now().minusMonths(1);
        ScenarioBuilder warmingUp = closing("managers warming up", managers, lastMonth.minusMonths(peak.monthEndRuns()),
                warmUpRuns, " (warm-up)", false);
        ScenarioBuilder closing = closing("managers closing the month", managers, lastMonth, peak.monthEndRuns(), "",
                true);
        setUp(warmingUp.injectOpen(atOnceUsers(warmUpRuns > 0 ? peak.monthEndManagers() : 0))
                .andThen(closing.injectOpen(atOnceUsers(peak.monthEndManagers()))))
                .protocols(Api.protocol(settings))
                .assertions(
                        global().failedRequests().percent().lte(peak.maxErrorPercent()),
                        details("month-end").responseTime().percentile(95.0).lte(peak.p95Millis()[PeakSettings.MONTH_END]),
                        details("month-end").responseTime().percentile(99.0).lte(peak.p99Millis()[PeakSettings.MONTH_END]));
    }

    /**
     * Each manager closes {@code runs} months, {@code first} and those before it, one after the other: the
     * month-end report, its CSV, its PDF. Requests and group are named with {@code suffix}; only a measured
     * scenario's are counted in the summary (Gatling's assertions name the measured group).
     */
    private ScenarioBuilder closing(String name, List<Map<String, Object>> managers, YearMonth first, int runs,
            String suffix, boolean measured) {
        return scenario(name)
                .feed(listFeeder(managers).queue())
                .exec(session -> {
                    if (measured && measuring.compareAndSet(false, true)) {
                        cpuAtStart = cpu.sample();
                    }
                    return session;
                })
                // each run a month further back: a run closes a month the manager has not asked for before (the
                // server keeps a month-end for its exports a short while, ADR 0037)
                .repeat(runs, "run").on(exec(session -> session.set("startedAt", System.nanoTime())
                        .set("month", first.minusMonths(session.getInt("run")).toString())
                        .set(PeakTally.SESSION_ERRORS, 0)), group("month-end" + suffix).on(
                        exec(counted("month-end report" + suffix, measured, http("month-end report" + suffix)
                                .get("/api/v1/insights/month-end")
                                .queryParam("month", "#{month}").queryParam("portfolioId", "#{portfolioId}")
                                .header("Authorization", "Bearer #{token}").check(status().is(200))))
                        .exec(counted("month-end CSV" + suffix, measured, http("month-end CSV" + suffix)
                                .get("/api/v1/insights/month-end.csv")
                                .queryParam("month", "#{month}").queryParam("portfolioId", "#{portfolioId}")
                                .header("Authorization", "Bearer #{token}").header("Accept", "text/csv")
                                .check(status().is(200), header("Content-Type").find()
                                        .transform(type -> type.startsWith("text/csv")).is(true))))
                        .exec(counted("month-end PDF" + suffix, measured, http("month-end PDF" + suffix)
                                .get("/api/v1/insights/month-end.pdf")
                                .queryParam("month", "#{month}").queryParam("portfolioId", "#{portfolioId}")
                                .header("Authorization", "Bearer #{token}").header("Accept", "application/pdf")
                                .check(status().is(200), header("Content-Type").is("application/pdf"))))),
                        exec(session -> {
                            if (measured) {
                                tally.record("month-end (all 3)",
                                        (System.nanoTime() - session.getLong("startedAt")) / 1_000_000,
                                        PeakTally.errorsOf(session) == 0);
                            }
                            return session;
                        }));
    }

    private ChainBuilder counted(String name, boolean measured, HttpRequestActionBuilder request) {
        return measured ? tally.timed(name, request) : exec(request);
    }

    @Override
    public void after() {
        Summary.publish(settings, "peak-month-end", String.format(Locale.ROOT, """
                Month-end (%d managers at once, %d runs each, portfolios of %d sites, months %s and before; %d runs each before, not counted)
                %s  CPU                    %s
                """, peak.monthEndManagers(), peak.monthEndRuns(), peak.portfolioSites(), YearMonth.now().minusMonths(1), warmUpRuns,
                tally.describe("month-end (all 3)", "month-end report", "month-end CSV", "month-end PDF"), cpu.between(cpuAtStart, cpu.sample())));
    }
}
