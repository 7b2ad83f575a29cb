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

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.time.YearMonth;
import java.util.Locale;

/**
 * Month-end (issue 13): {@code month-end.users} managers (20), signed in beforehand, each run at the same moment
 * the month-end of their portfolio (12 sites) for last month, then its CSV and its PDF export, and again
 * {@code month-end.runs} times in all, each time for the month before. Gatling's assertions: the p95 and p99 of
 * the whole (group {@code month-end}: the report and both exports, one after the other) under
 * {@code month-end.p95-ms} (2 s) and {@code month-end.p99-ms}, and the error rate.
 */
public class MonthEndSimulation extends Simulation {

    private final LoadSettings settings = LoadSettings.fromSystemProperties();
    private final PeakSettings peak = PeakSettings.fromSystemProperties();
    private final PeakWorld world = PeakWorld.prepare(settings, peak);
    private final PeakTally tally = new PeakTally();
    private final CpuUse cpu = new CpuUse(settings.serverPid(), settings.database());
    private CpuUse.Sample cpuAtStart;

    {
        var managers = new SignedInPhones(settings, world.password()).signIn(
                PeakWorld.records(world.managers().subList(0, peak.monthEndManagers()), world.sites()), 2);
        YearMonth lastMonth = YearMonth.now().minusMonths(1);
        ScenarioBuilder closing = scenario("managers closing the month")
                .feed(listFeeder(managers).queue())
                // each run a month further back: a run closes a month the manager has not asked for before (the
                // server keeps a month-end for its exports a short while, ADR 0037)
                .repeat(peak.monthEndRuns(), "run").on(exec(session -> session.set("startedAt", System.nanoTime())
                        .set("month", lastMonth.minusMonths(session.getInt("run")).toString())
                        .set(PeakTally.SESSION_ERRORS, 0)), group("month-end").on(
                        exec(tally.timed("month-end report", http("month-end report").get("/api/v1/insights/month-end")
                                .queryParam("month", "#{month}").queryParam("portfolioId", "#{portfolioId}")
                                .header("Authorization", "Bearer #{token}").check(status().is(200))))
                        .exec(tally.timed("month-end CSV", http("month-end CSV").get("/api/v1/insights/month-end.csv")
                                .queryParam("month", "#{month}").queryParam("portfolioId", "#{portfolioId}")
                                .header("Authorization", "Bearer #{token}").header("Accept", "text/csv")
                                .check(status().is(200), header("Content-Type").find().transform(type -> type.startsWith("text/csv")).is(true))))
                        .exec(tally.timed("month-end PDF", http("month-end PDF").get("/api/v1/insights/month-end.pdf")
                                .queryParam("month", "#{month}").queryParam("portfolioId", "#{portfolioId}")
                                .header("Authorization", "Bearer #{token}").header("Accept", "application/pdf")
                                .check(status().is(200), header("Content-Type").is("application/pdf"))))),
                        exec(session -> {
                            tally.record("month-end (all 3)", (System.nanoTime() - session.getLong("startedAt")) / 1_000_000,
                                    PeakTally.errorsOf(session) == 0);
                            return session;
                        }));
        setUp(closing.injectOpen(atOnceUsers(peak.monthEndManagers())))
                .protocols(Api.protocol(settings))
                .assertions(
                        global().failedRequests().percent().lte(peak.maxErrorPercent()),
                        details("month-end").responseTime().percentile(95.0).lte(peak.p95Millis()[PeakSettings.MONTH_END]),
                        details("month-end").responseTime().percentile(99.0).lte(peak.p99Millis()[PeakSettings.MONTH_END]));
    }

    @Override
    public void before() {
        cpuAtStart = cpu.sample();
    }

    @Override
    public void after() {
        Summary.publish(settings, "peak-month-end", String.format(Locale.ROOT, """
                Month-end (%d managers at once, %d runs each, portfolios of %d sites, months %s and before)
                %s  CPU                    %s
                """, peak.monthEndManagers(), peak.monthEndRuns(), peak.portfolioSites(), YearMonth.now().minusMonths(1),
                tally.describe("month-end (all 3)", "month-end report", "month-end CSV", "month-end PDF"), cpu.between(cpuAtStart, cpu.sample())));
    }
}
