package app.fieldbook.client.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.fieldbook.client.Backoff;
import app.fieldbook.client.TestClock;
import app.fieldbook.client.TestDevices;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetryingTest {

    private final TestClock clock = TestClock.at("2025-06-02T16:30:00Z");
    private final Retrying retrying = new Retrying(Backoff.STANDARD, clock, TestDevices.LONGEST_JITTER);

    @Test
    void transientFailuresAreRetriedAfterAGrowingJitteredWait() {
        Deque<RequestFailed> failures = new ArrayDeque<>(List.of(
                RequestFailed.interrupted("Push", new IOException("reset")), answered(502, null)));

        String answer = retrying.call(() -> {
            if (!failures.isEmpty()) {
                throw failures.poll();
            }
            return "answer";
        });

        assertThat(answer).isEqualTo("answer");
        assertThat(clock.sleeps()).containsExactly(Backoff.STANDARD.ceiling(0), Backoff.STANDARD.ceiling(1));
    }

    @Test
    void aRetryAfterReplacesTheBackoff() {
        Deque<RequestFailed> failures = new ArrayDeque<>(List.of(answered(503, Duration.ofSeconds(9))));

        retrying.call(() -> {
            if (!failures.isEmpty()) {
                throw failures.poll();
            }
            return "answer";
        });

        assertThat(clock.sleeps()).containsExactly(Duration.ofSeconds(9));
    }

    @Test
    void aRetryAfterLongerThanTheLongestWaitEndsAtOnce() {
        assertThatThrownBy(() -> retrying.call(() -> {
            throw answered(429, Duration.ofMinutes(5));
        })).isInstanceOf(RequestFailed.class);

        assertThat(clock.sleeps()).isEmpty();
    }

    @Test
    void aFailureThatWillNotChangeIsNotRetried() {
        int[] calls = {0};
        assertThatThrownBy(() -> retrying.call(() -> {
            calls[0]++;
            throw answered(422, null);
        })).isInstanceOf(RequestFailed.class);

        assertThat(calls[0]).isEqualTo(1);
    }

    @Test
    void triesStopAfterTheAttemptsOfOneCall() {
        int[] calls = {0};
        assertThatThrownBy(() -> retrying.call(() -> {
            calls[0]++;
            throw answered(500, null);
        })).isInstanceOf(RequestFailed.class);

        assertThat(calls[0]).isEqualTo(Backoff.STANDARD.attemptsPerCall());
        assertThat(clock.sleeps()).hasSize(Backoff.STANDARD.attemptsPerCall() - 1);
    }

    private static RequestFailed answered(int status, Duration retryAfter) {
        return RequestFailed.answered("Push", Problem.read(status, new byte[0], SyncApi.jsonMapper()),
                retryAfter);
    }
}
