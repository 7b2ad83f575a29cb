package app.fieldbook.load;

import static io.gatling.javaapi.core.CoreDsl.asLongAs;
import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Figure 2, initial download: a new device of the archive's manager, who sees exactly the
 * {@code downloadReports} (100,000) reports that {@link ArchiveSeedSimulation} filed, pulls everything with
 * {@code limit} {@code pullLimit}, following {@code cursor} while {@code more} is true. The figure is the
 * wall time of the whole download (the group {@code initial download} in the report), which must deliver
 * every report. It is repeated {@code downloads} times, each time as another new device. Run it once the
 * server has settled after seeding (the {@code run} script waits until the change feed has no unpositioned
 * rows), or the first pull also positions the backlog.
 */
public class InitialDownloadSimulation extends Simulation {

    private final LoadSettings settings = LoadSettings.fromSystemProperties();
    private final World world = World.prepare(settings);
    private final List<Download> downloads = Collections.synchronizedList(new ArrayList<>());

    private final CpuUse cpu = new CpuUse(settings.serverPid(), settings.database());

    /** One complete download: how many reports in how many pulls, how long it took, and who used the CPU. */
    record Download(long reports, int pulls, long nanos, String cpu) {
    }

    {
        int maxPulls = 2 * (settings.downloadReports() / settings.pullLimit()) + 10;

        ScenarioBuilder download = scenario("new device of the archive manager")
                .exec(session -> session.set("login", World.MANAGER))
                .exec(Api.signIn(world.password()))
                .repeat(settings.downloads()).on(
                        exec(session -> session.markAsSucceeded()
                                .set("deviceId", UUID.randomUUID().toString()).set("cursor", "").set("knownSites", "[]")
                                .set("more", "true").set("pulls", 0).set("reports", 0L)
                                .set("cpuAtStart", cpu.sample()).set("startedAt", System.nanoTime()))
                        .group("initial download").on(
                                asLongAs(session -> "true".equals(session.getString("more"))
                                        && session.getInt("pulls") < maxPulls).on(
                                        exec(Api.pull(settings.pullLimit()))
                                        .exitHereIfFailed()
                                        .exec(session -> session.set("pulls", session.getInt("pulls") + 1)
                                                .set("reports", session.getLong("reports") + session.getInt("pageReports"))))
                                // a download that misses reports is a failed download
                                .exec(session -> session.getLong("reports") == settings.downloadReports()
                                        ? session : session.markAsFailed()))
                        .exec(session -> {
                            long nanos = System.nanoTime() - session.getLong("startedAt");
                            downloads.add(new Download(session.getLong("reports"), session.getInt("pulls"), nanos,
                                    cpu.between(session.get("cpuAtStart"), cpu.sample())));
                            return session;
                        }));

        setUp(download.injectOpen(atOnceUsers(1)))
                .protocols(Api.protocol(settings))
                .maxDuration(Duration.ofMinutes(30))
                .assertions(
                        global().failedRequests().count().is(0L),
                        details("initial download").failedRequests().count().is(0L));
    }

    @Override
    public void after() {
        StringBuilder summary = new StringBuilder(String.format(Locale.ROOT, """
                Initial download (target: under 10 s for 100000 reports)
                  reports expected        %d (the archive manager's whole scope)
                  pull limit              %d
                """, settings.downloadReports(), settings.pullLimit()));
        List<Download> done = List.copyOf(downloads);
        for (int i = 0; i < done.size(); i++) {
            Download d = done.get(i);
            summary.append(String.format(Locale.ROOT, "  download %d              %.2f s, %d reports in %d pulls%s%n"
                            + "    CPU                   %s%n",
                    i + 1, d.nanos() / 1e9, d.reports(), d.pulls(),
                    d.reports() == settings.downloadReports() ? "" : " (INCOMPLETE)", d.cpu()));
        }
        if (done.isEmpty()) {
            summary.append("  no download completed\n");
        }
        Summary.publish(settings, "initial-download", summary.toString());
    }
}
