package app.fieldbook.client;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * How the client waits before trying again: exponential backoff with full jitter, capped. The n-th
 * retry (from 0) waits a random time between zero and {@code min(cap, initial * 2^n)}. A server's
 * Retry-After replaces the random wait.
 *
 * @param initial the ceiling of the first wait
 * @param cap the highest ceiling, also the longest an operation or upload is postponed between syncs
 * @param attemptsPerCall how many times one request is tried within a sync (at least 1)
 * @param longestWait the longest the client waits within a sync; a server asking for more ends the sync,
 *     and the device comes back after the time it asked for
 */
public record Backoff(Duration initial, Duration cap, int attemptsPerCall, Duration longestWait) {

    /** One second doubling up to ten minutes; three tries per call; waits of at most thirty seconds within a sync. */
    public static final Backoff STANDARD = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(10), 3,
            Duration.ofSeconds(30));

    public Backoff {
        if (initial.isNegative() || initial.isZero() || cap.compareTo(initial) < 0 || attemptsPerCall < 1
                || longestWait.isNegative()) {
            throw new IllegalArgumentException("Invalid backoff " + initial + ", " + cap + ", " + attemptsPerCall
                    + ", " + longestWait);
        }
    }

    /** The ceiling of the wait before retry number {@code retry} (from 0). */
    public Duration ceiling(int retry) {
        int shift = Math.min(Math.max(retry, 0), 40);
        long millis = initial.toMillis();
        long ceiling = millis > (cap.toMillis() >> shift) ? cap.toMillis() : millis << shift;
        return Duration.ofMillis(Math.min(ceiling, cap.toMillis()));
    }

    /** A random wait between zero and {@link #ceiling(int)}. */
    public Duration delay(int retry, RandomGenerator random) {
        return Duration.ofMillis(random.nextLong(ceiling(retry).toMillis() + 1));
    }
}
