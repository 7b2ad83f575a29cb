package app.fieldbook.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** What the rush's phones and probe saw: timings, failures, and what the server acknowledged. */
final class RushTally {

    private static final Duration READY_WAIT = Duration.ofMinutes(4);
    private static final Duration PROBE_LIMIT = Duration.ofMinutes(25);

    /** A submission the server acknowledged completely: the report and its photos. */
    record Acknowledged(String token, UUID reportId, List<RushPhotos.Photo> photos) {
    }

    private final LoadSettings settings;
    private final CpuUse cpu;
    private final AtomicLong firstReady = new AtomicLong();
    /** Phones that are ready or gave up trying (each phone ends as one or the other, its tries being bounded). */
    private final AtomicInteger settled = new AtomicInteger();
    /** Phones that are ready: each submits once. */
    private final AtomicInteger submitting = new AtomicInteger();
    private final AtomicInteger done = new AtomicInteger();
    private final AtomicLong firstStart = new AtomicLong();
    private final AtomicLong lastEnd = new AtomicLong();
    private final AtomicLong firstStartMillis = new AtomicLong();
    private final AtomicLong lastEndMillis = new AtomicLong();
    private final AtomicLong photoBytes = new AtomicLong();
    private final AtomicReference<CpuUse.Sample> cpuAtStart = new AtomicReference<>();
    private final AtomicReference<CpuUse.Sample> cpuAtEnd = new AtomicReference<>();
    private final List<Long> submissions = Collections.synchronizedList(new ArrayList<>());
    private final List<Long> uploads = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, List<Long>> probes = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
    private final Queue<Acknowledged> acknowledged = new ConcurrentLinkedQueue<>();

    RushTally(LoadSettings settings, CpuUse cpu) {
        this.settings = settings;
        this.cpu = cpu;
    }

    /** A phone that found its newest report: ready to submit with the others. */
    void ready() {
        firstReady.compareAndSet(0, System.nanoTime());
        submitting.incrementAndGet();
        settled.incrementAndGet();
    }

    /** A phone that still could not read its newest report after its tries: it never submits, and counts as failed. */
    void notReady() {
        firstReady.compareAndSet(0, System.nanoTime());
        failures.computeIfAbsent("not ready (newest report not read)", key -> new AtomicInteger()).incrementAndGet();
        settled.incrementAndGet();
    }

    /** Whether every phone is ready (or those that are not have had four minutes since the first one was). */
    boolean allReady() {
        long since = firstReady.get();
        return settled.get() >= settings.rushUsers()
                || since != 0 && System.nanoTime() - since > READY_WAIT.toNanos();
    }

    void started() {
        if (firstStart.compareAndSet(0, System.nanoTime())) {
            firstStartMillis.set(System.currentTimeMillis());
            cpuAtStart.set(cpu.sample());
        }
    }

    void submitted(String token, UUID reportId, List<RushPhotos.Photo> photos, long nanos) {
        acknowledged.add(new Acknowledged(token, reportId, List.copyOf(photos)));
        submissions.add(nanos / 1_000_000);
        ended();
    }

    void failed(String status) {
        failures.computeIfAbsent("submission, HTTP " + status, key -> new AtomicInteger()).incrementAndGet();
        ended();
    }

    private void ended() {
        lastEnd.set(System.nanoTime());
        lastEndMillis.set(System.currentTimeMillis());
        done.incrementAndGet();
        if (finished()) {
            cpuAtEnd.set(cpu.sample());
        }
    }

    void photoUploaded(long bytes, long latencyMillis) {
        photoBytes.addAndGet(bytes);
        uploads.add(latencyMillis);
    }

    void probed(String what, long latencyMillis) {
        probes.computeIfAbsent(what, key -> Collections.synchronizedList(new ArrayList<>())).add(latencyMillis);
    }

    /**
     * Whether every phone has settled (ready, or given up) and every ready one has ended its submission: the probe
     * stops then, and the check after the rush begins. Not merely the phones that started (with a spread the rest
     * have not yet), nor those ready when the others stopped waiting for the slow ones (a slow phone may still get
     * ready and submit). Once true it stays true. As a last resort, true {@link #PROBE_LIMIT} after the first phone
     * was ready plus the spread, should a phone hang.
     */
    boolean finished() {
        // settled first: a phone counts as submitting before it counts as settled
        if (settled.get() >= settings.rushUsers() && done.get() >= submitting.get()) {
            return true;
        }
        long since = firstReady.get();
        return since != 0 && System.nanoTime() - since > PROBE_LIMIT.plus(settings.rushSpread()).toNanos();
    }

    /** When the last submission ended ({@link System#nanoTime}), 0 before any has. */
    long endedAt() {
        return lastEnd.get();
    }

    /** How many submissions the server acknowledged. */
    int acknowledgedCount() {
        return submissions.size();
    }

    /** The next acknowledged submission for the check after the rush, or null when every one has been taken. */
    Acknowledged nextToCheck() {
        return acknowledged.poll();
    }

    /**
     * The summary; {@code outside} is the probe of a JVM of its own, whose answers count from the first
     * submission's start to the last one's end (Gatling's own probe, asked from inside the generator, is shown
     * as well, from the phones' injection on).
     */
    String summary(String machine, String warmUp, long averagePhotoBytes, String check, OutsideProbe outside) {
        double seconds = Math.max(1e-9, (lastEnd.get() - firstStart.get()) / 1e9);
        int failed = failures.values().stream().mapToInt(AtomicInteger::get).sum();
        StringBuilder probeLines = new StringBuilder();
        outside.between(firstStartMillis.get(), lastEndMillis.get()).forEach((what, latencies) -> probeLines.append(
                String.format(Locale.ROOT, "  probe %-18s%s, a JVM of its own, during the rush%n", what,
                        percentiles(latencies))));
        long outsideFailed = outside.failedBetween(firstStartMillis.get(), lastEndMillis.get());
        if (outsideFailed > 0) {
            probeLines.append(String.format(Locale.ROOT, "  probe failures        %d answers not 200%n",
                    outsideFailed));
        }
        new TreeMap<>(probes).forEach((what, latencies) -> probeLines.append(String.format(Locale.ROOT,
                "  (in Gatling) %-12s%s%n", what, percentiles(latencies))));
        return String.format(Locale.ROOT, """
                The rush (targets at 50 users: whole submission p99 <= 1 s; at 1,000 users: photo upload
                p99 <= 3 s, 0 errors, 0 lost; probes p99 < 200 ms)
                  phones                  %d via %s%s, %d photos each (JPEG %d x %d, about %.2f MB, each distinct)
                  machine                 %s
                  warm-up                 %s
                  submissions             %d acknowledged, %d failed%s
                  rush wall time          %.1f s (first submission started to last ended)
                  submissions/s           %.1f
                  whole submission        %s
                  photo upload            %s
                  photos acknowledged     %d, %.0f MB, %.1f MB/s over the rush
                %s  CPU during the rush     %s
                %s""",
                settings.rushUsers(), settings.rushVia(), settings.rushMultipart() ? " (REST uploads multipart)" : "",
                settings.rushPhotos(), RushPhotos.WIDTH, RushPhotos.HEIGHT,
                averagePhotoBytes / 1e6, machine, warmUp, submissions.size(), failed,
                failures.isEmpty() ? "" : " " + new TreeMap<>(Map.copyOf(failures)), seconds,
                submissions.size() / seconds, percentiles(submissions), percentiles(uploads), uploads.size(),
                photoBytes.get() / 1e6, photoBytes.get() / 1e6 / seconds, probeLines,
                cpuAtStart.get() == null || cpuAtEnd.get() == null ? "not measured"
                        : cpu.between(cpuAtStart.get(), cpuAtEnd.get()),
                check);
    }

    private static String percentiles(List<Long> latencies) {
        List<Long> sorted;
        synchronized (latencies) {
            sorted = new ArrayList<>(latencies);
        }
        Collections.sort(sorted);
        return String.format(Locale.ROOT, "p50 %d ms, p95 %d ms, p99 %d ms, max %d ms (%d)",
                PushThroughputSimulation.Tally.percentile(sorted, 50), PushThroughputSimulation.Tally.percentile(sorted, 95),
                PushThroughputSimulation.Tally.percentile(sorted, 99), sorted.isEmpty() ? 0 : sorted.getLast(),
                sorted.size());
    }
}
