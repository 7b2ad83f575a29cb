package app.fieldbook.client;

import java.time.Duration;

/**
 * Waits between retries. The client never calls {@link Thread#sleep} itself, so that tests (and apps
 * with their own scheduling) decide what waiting means.
 */
@FunctionalInterface
public interface Sleeper {

    /** Sleeps on the calling thread. */
    Sleeper THREAD = duration -> Thread.sleep(duration);

    /**
     * Waits for {@code duration}.
     *
     * @throws InterruptedException when the waiting thread is interrupted; the sync then stops
     */
    void sleep(Duration duration) throws InterruptedException;
}
