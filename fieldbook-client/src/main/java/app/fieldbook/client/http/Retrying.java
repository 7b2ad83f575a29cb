package app.fieldbook.client.http;

import app.fieldbook.client.Backoff;
import app.fieldbook.client.Sleeper;
import app.fieldbook.client.SyncInterrupted;
import java.time.Duration;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Tries one request again after transient failures, within a sync: up to
 * {@link Backoff#attemptsPerCall()} times, waiting a jittered backoff, or the server's Retry-After
 * when it gives one. A failure that is not transient, or a server asking for a longer wait than
 * {@link Backoff#longestWait()}, is thrown at once.
 */
public final class Retrying {

    private final Backoff backoff;
    private final Sleeper sleeper;
    private final RandomGenerator random;

    public Retrying(Backoff backoff, Sleeper sleeper, RandomGenerator random) {
        this.backoff = backoff;
        this.sleeper = sleeper;
        this.random = random;
    }

    public <T> T call(Supplier<T> request) {
        for (int attempt = 1; ; attempt++) {
            try {
                return request.get();
            } catch (RequestFailed failure) {
                if (!failure.transientFailure() || attempt >= backoff.attemptsPerCall()) {
                    throw failure;
                }
                int retry = attempt - 1;
                Duration wait = failure.retryAfter().orElseGet(() -> backoff.delay(retry, random));
                if (wait.compareTo(backoff.longestWait()) > 0) {
                    throw failure;
                }
                sleep(wait);
            }
        }
    }

    private void sleep(Duration wait) {
        try {
            sleeper.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SyncInterrupted(e);
        }
    }
}
