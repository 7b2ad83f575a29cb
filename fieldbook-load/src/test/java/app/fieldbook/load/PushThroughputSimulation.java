package app.fieldbook.load;

import static io.gatling.javaapi.core.CoreDsl.asLongAs;
import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.listFeeder;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Figure 1, push throughput: {@code devices} field workers (20) push back to back, each batch half new
 * reports and half edits of reports the device filed before, until the measured window closes. The
 * figure is the operations applied per second: the operations of every push answered within the window,
 * divided by the window. Every result must be {@code APPLIED}, or the push counts as failed. Pushes
 * during the warm-up are named {@code push (warm-up)} in the report and are not counted.
 */
public class PushThroughputSimulation extends Simulation {

    private final LoadSettings settings = LoadSettings.fromSystemProperties();
    private final World world = World.prepare(settings);
    private final Tally tally = new Tally(settings.pushWarmUp(), settings.pushWindow(),
            new CpuUse(settings.serverPid(), settings.database()));

    {
        long maxPushes = (settings.pushWarmUp().toSeconds() + settings.pushWindow().toSeconds()) * 100;

        ScenarioBuilder devices = scenario("field workers pushing")
                .feed(listFeeder(world.workerRecords()).queue())
                .exec(Api.signIn(world.password()))
                .exec(http("newest own report").get("/api/v1/reports")
                        .header("Authorization", "Bearer #{token}")
                        .queryParam("siteId", "#{pushSiteId}").queryParam("authorId", "#{userId}")
                        .queryParam("size", "1")
                        .check(status().is(200), jsonPath("$.items[0].date").optional().saveAs("newestDate")))
                .exitHereIfFailed()
                .exec(session -> session.set("device", new Device(UUID.fromString(session.getString("pushSiteId")),
                        firstFreeDay(session))).set("pushes", 0L))
                .asLongAs(session -> tally.open() && session.getLong("pushes") < maxPushes).on(
                        exec(session -> {
                            Device device = session.get("device");
                            return session.set("body", device.nextPush(settings.pushBatch()))
                                    .set("operations", settings.pushBatch())
                                    .set("pushName", tally.measuring() ? "push" : "push (warm-up)")
                                    .set("pushes", session.getLong("pushes") + 1);
                        })
                        .exec(Api.push("#{pushName}"))
                        .exec(session -> {
                            if (session.isFailed()) {
                                tally.failed(session.getString("refusal"));
                                return session;
                            }
                            Device device = session.get("device");
                            String mismatch = device.acknowledge(session.getList("entityIds"), session.getList("versions"));
                            if (mismatch != null) {
                                tally.failed(mismatch);
                                return session.markAsFailed();
                            }
                            tally.acknowledged(settings.pushBatch(), session.getLong("latency"),
                                    "push".equals(session.getString("pushName")));
                            return session;
                        })
                        .exitHereIfFailed());

        setUp(devices.injectOpen(atOnceUsers(settings.devices())))
                .protocols(Api.protocol(settings))
                .maxDuration(settings.pushWarmUp().plus(settings.pushWindow()).plusMinutes(2))
                .assertions(global().failedRequests().count().is(0L));
    }

    private static LocalDate firstFreeDay(Session session) {
        String newest = session.contains("newestDate") ? session.getString("newestDate") : null;
        return newest == null ? LocalDate.of(1900, 1, 1) : LocalDate.parse(newest).plusDays(1);
    }

    @Override
    public void after() {
        Summary.publish(settings, "push-throughput", tally.summary(settings));
    }

    /** Counts what the devices pushed in the measured window, and how long each measured push took. */
    static final class Tally {

        private final Duration warmUp;
        private final Duration window;
        private final AtomicLong startedAt = new AtomicLong();
        private final AtomicLong applied = new AtomicLong();
        private final AtomicInteger failures = new AtomicInteger();
        private final List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        private final CpuUse cpu;
        private final AtomicReference<CpuUse.Sample> windowOpened = new AtomicReference<>();
        private final AtomicReference<CpuUse.Sample> windowClosed = new AtomicReference<>();
        private volatile String firstFailure;

        Tally(Duration warmUp, Duration window, CpuUse cpu) {
            this.warmUp = warmUp;
            this.window = window;
            this.cpu = cpu;
        }

        private long elapsed() {
            startedAt.compareAndSet(0, System.nanoTime());
            return System.nanoTime() - startedAt.get();
        }

        /** Whether pushes may still start: the window has not closed. */
        boolean open() {
            boolean open = elapsed() < warmUp.plus(window).toNanos();
            if (!open && windowClosed.get() == null) {
                windowClosed.compareAndSet(null, cpu.sample());
            }
            return open;
        }

        boolean measuring() {
            boolean measuring = elapsed() >= warmUp.toNanos();
            if (measuring && windowOpened.get() == null) {
                windowOpened.compareAndSet(null, cpu.sample());
            }
            return measuring;
        }

        void acknowledged(int operations, long latencyMillis, boolean measuredPush) {
            long at = elapsed();
            if (at >= warmUp.toNanos() && at < warmUp.plus(window).toNanos()) {
                applied.addAndGet(operations);
            }
            if (measuredPush) {
                latencies.add(latencyMillis);
            }
        }

        void failed(String what) {
            failures.incrementAndGet();
            if (firstFailure == null) {
                firstFailure = what;
            }
        }

        String summary(LoadSettings settings) {
            List<Long> sorted = new ArrayList<>(latencies);
            Collections.sort(sorted);
            double seconds = window.toMillis() / 1000.0;
            return String.format(Locale.ROOT, """
                    Push throughput (target: at least 2000 operations/s sustained)
                      devices                 %d
                      operations per push     %d (half new reports, half edits of earlier ones)
                      warm-up, window         %d s, %d s
                      pushes measured         %d
                      operations applied      %d within the window
                      operations/s            %.0f
                      push latency p50        %d ms
                      push latency p95        %d ms
                      push latency p99        %d ms
                      push latency max        %d ms
                      failed pushes           %d%s
                      CPU in the window       %s
                    """,
                    settings.devices(), settings.pushBatch(), warmUp.toSeconds(), window.toSeconds(), sorted.size(),
                    applied.get(), applied.get() / seconds, percentile(sorted, 50), percentile(sorted, 95),
                    percentile(sorted, 99), sorted.isEmpty() ? 0 : sorted.getLast(), failures.get(),
                    firstFailure == null ? "" : " (first: " + firstFailure + ")",
                    windowOpened.get() == null || windowClosed.get() == null ? "not measured"
                            : cpu.between(windowOpened.get(), windowClosed.get()));
        }

        /** Nearest-rank percentile. */
        static long percentile(List<Long> sorted, int percent) {
            if (sorted.isEmpty()) {
                return 0;
            }
            int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
            return sorted.get(Math.max(0, rank - 1));
        }
    }
}
