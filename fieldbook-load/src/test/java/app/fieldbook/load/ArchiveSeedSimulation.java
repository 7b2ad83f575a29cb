package app.fieldbook.load;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.listFeeder;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Files the {@code downloadReports} (100,000) reports of the archive that {@link InitialDownloadSimulation}
 * downloads: every field worker pushes its share in pushes of {@code seedBatch} (500) operations, all at
 * once. Seeding again replays the same operations and adds nothing (see {@link Archive}). Its rate is a
 * second push figure, with the largest batches the protocol allows.
 */
public class ArchiveSeedSimulation extends Simulation {

    private final LoadSettings settings = LoadSettings.fromSystemProperties();
    private final World world = World.prepare(settings);
    private final Archive archive = new Archive(world.archiveSiteIds(), settings.downloadReports() / settings.devices());
    private final CpuUse cpu = new CpuUse(settings.serverPid(), settings.database());
    private final CpuUse.Sample cpuAtStart = cpu.sample();
    private final AtomicLong startedAt = new AtomicLong();
    private final AtomicLong endedAt = new AtomicLong();
    private final AtomicLong seeded = new AtomicLong();

    {
        ScenarioBuilder seed = scenario("field workers filing the archive")
                .feed(listFeeder(world.workerRecords()).queue())
                .exec(Api.signIn(world.password()))
                .repeat(archive.pushesPerWorker(settings.seedBatch()), "seedPush").on(
                        exec(session -> {
                            startedAt.compareAndSet(0, System.nanoTime());
                            int push = session.getInt("seedPush");
                            return session.set("body", archive.push(session.getString("login"), push, settings.seedBatch()))
                                    .set("operations", archive.operationsIn(push, settings.seedBatch()));
                        })
                        .exec(Api.push("seed push"))
                        .exitHereIfFailed()
                        .exec(session -> {
                            seeded.addAndGet(session.getInt("operations"));
                            endedAt.accumulateAndGet(System.nanoTime(), Math::max);
                            return session;
                        }));

        setUp(seed.injectOpen(atOnceUsers(settings.devices())))
                .protocols(Api.protocol(settings))
                .maxDuration(Duration.ofMinutes(20))
                .assertions(global().failedRequests().count().is(0L));
    }

    @Override
    public void after() {
        double seconds = Math.max(1e-9, (endedAt.get() - startedAt.get()) / 1e9);
        Summary.publish(settings, "archive-seed", String.format(Locale.ROOT, """
                Archive seed (pushes of %d operations, for the initial download)
                  reports applied         %d of %d, by %d workers at once
                  time                    %.1f s
                  operations/s            %.0f
                  CPU                     %s
                """, settings.seedBatch(), seeded.get(), settings.downloadReports(), settings.devices(), seconds,
                seeded.get() / seconds, cpu.between(cpuAtStart, cpu.sample())));
    }
}
