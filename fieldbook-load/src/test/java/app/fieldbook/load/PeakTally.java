package app.fieldbook.load;

import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.responseTimeInMillis;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The key figures of a peak's requests for the results table, by request name: count, errors, requests per second
 * between the first and the last answer, and the 50th, 95th and 99th percentiles and the maximum of the response
 * time. Gatling's assertions judge the run; this only prints what its report shows, in one line per request.
 */
final class PeakTally {

    private final Map<String, Queue<Long>> times = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> errors = new ConcurrentHashMap<>();
    private final AtomicLong first = new AtomicLong(Long.MAX_VALUE);
    private final AtomicLong last = new AtomicLong();

    /** The session attribute counting the errors of one virtual user's timed requests. */
    static final String SESSION_ERRORS = "peakErrors";

    /** The errors of this virtual user's timed requests so far. */
    static int errorsOf(Session session) {
        return session.contains(SESSION_ERRORS) ? session.getInt(SESSION_ERRORS) : 0;
    }

    /** The request, with its response time and outcome counted under {@code name}. */
    ChainBuilder timed(String name, HttpRequestActionBuilder request) {
        return exec(session -> session.remove("peakTime").markAsSucceeded())
                .exec(request.check(responseTimeInMillis().saveAs("peakTime")))
                .exec(session -> {
                    long now = System.nanoTime();
                    first.accumulateAndGet(now, Math::min);
                    last.accumulateAndGet(now, Math::max);
                    if (session.contains("peakTime")) {
                        times.computeIfAbsent(name, key -> new ConcurrentLinkedQueue<>()).add(session.getLong("peakTime"));
                    }
                    if (session.isFailed() || !session.contains("peakTime")) {
                        errors.computeIfAbsent(name, key -> new AtomicLong()).incrementAndGet();
                        return session.set(SESSION_ERRORS, errorsOf(session) + 1);
                    }
                    return session;
                });
    }

    /** Seconds between the first and the last answer counted. */
    double seconds() {
        return Math.max(1e-9, (last.get() - first.get()) / 1e9);
    }

    /** Counts a duration measured otherwise, such as a group's (several requests one after the other). */
    void record(String name, long millis, boolean ok) {
        long now = System.nanoTime();
        first.accumulateAndGet(now - millis * 1_000_000, Math::min);
        last.accumulateAndGet(now, Math::max);
        times.computeIfAbsent(name, key -> new ConcurrentLinkedQueue<>()).add(millis);
        if (!ok) {
            errors.computeIfAbsent(name, key -> new AtomicLong()).incrementAndGet();
        }
    }

    /** One line per request name, in the order given (names without a request are left out). */
    String describe(String... names) {
        StringBuilder lines = new StringBuilder();
        double seconds = Math.max(1e-9, (last.get() - first.get()) / 1e9);
        for (String name : names) {
            Queue<Long> measured = times.get(name);
            if (measured == null) {
                continue;
            }
            List<Long> sorted = new ArrayList<>(measured);
            Collections.sort(sorted);
            lines.append(String.format(Locale.ROOT,
                    "  %-22s %7d requests, %4d errors, %7.1f/s; ms p50 %5d  p95 %5d  p99 %5d  max %5d%n", name,
                    sorted.size(), errors.getOrDefault(name, new AtomicLong()).get(), sorted.size() / seconds,
                    percentile(sorted, 50), percentile(sorted, 95), percentile(sorted, 99), sorted.getLast()));
        }
        return lines.toString();
    }

    private static long percentile(List<Long> sorted, int percent) {
        int index = (int) Math.ceil(percent / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
