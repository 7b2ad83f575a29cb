package app.fieldbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Each run of a background job is counted and timed by the job's name; a failed one is counted and goes on. */
class BackgroundJobsTest {

    private static final Instant NOW = Instant.parse("2026-12-02T08:00:00Z");

    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final BackgroundJobs jobs = new BackgroundJobs(registry, Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void aRunThatSucceedsIsCountedTimedAndIsTheLastSuccessAndItsFailuresStartAtZero() {
        assertThat(jobs.run("feed-sequencing", () -> 42)).isEqualTo(42);

        assertThat(registry.get("fieldbook.job.runs").tag("name", "feed-sequencing").counter().count()).isEqualTo(1);
        assertThat(registry.get("fieldbook.job.failures").tag("name", "feed-sequencing").counter().count()).isZero();
        assertThat(registry.get("fieldbook.job.duration").tag("name", "feed-sequencing").timer().count()).isEqualTo(1);
        assertThat(registry.get("fieldbook.job.last.success").tag("name", "feed-sequencing").timeGauge()
                .value(TimeUnit.MILLISECONDS)).isEqualTo(NOW.toEpochMilli());
    }

    @Test
    void aRunThatThrowsIsAFailureAndTheExceptionGoesOnUnchanged() {
        IOException unreadable = new IOException("disk gone");
        assertThatThrownBy(() -> jobs.run("thumbnails", () -> {
            throw unreadable;
        })).isSameAs(unreadable);
        assertThatThrownBy(() -> jobs.run("thumbnails", () -> {
            throw new IllegalStateException("bug");
        })).isInstanceOf(IllegalStateException.class);

        assertThat(registry.get("fieldbook.job.runs").tag("name", "thumbnails").counter().count()).isEqualTo(2);
        assertThat(registry.get("fieldbook.job.failures").tag("name", "thumbnails").counter().count()).isEqualTo(2);
        assertThat(registry.get("fieldbook.job.last.success").tag("name", "thumbnails").timeGauge()
                .value(TimeUnit.MILLISECONDS)).as("no run succeeded").isNaN();
    }

    @Test
    void aScheduledJobThatFailsBacksOffDoublingUpToTheMaximumAndASuccessEndsIt() {
        MovingClock clock = new MovingClock(NOW);
        BackgroundJobs scheduled = new BackgroundJobs(registry, clock, Duration.ofSeconds(5));
        AtomicInteger tries = new AtomicInteger();
        AtomicBoolean databaseAway = new AtomicBoolean(true);
        BackgroundJobs.Run<Integer, RuntimeException> sequencing = () -> {
            tries.incrementAndGet();
            if (databaseAway.get()) {
                throw new IllegalStateException("database away");
            }
            return 7;
        };

        List<Long> triedAtMillis = new ArrayList<>();
        for (int tick = 0; tick < 40; tick++) {
            int before = tries.get();
            assertThat(scheduled.runScheduled("feed-sequencing", sequencing)).isEmpty();
            if (tries.get() > before) {
                triedAtMillis.add(clock.millis() - NOW.toEpochMilli());
            }
            clock.moveOn(Duration.ofMillis(500));
        }
        assertThat(triedAtMillis).as("tried again after 1, 2, 4 s, then every 5 s (the maximum)")
                .containsExactly(0L, 1_000L, 3_000L, 7_000L, 12_000L, 17_000L);
        assertThat(registry.get("fieldbook.job.failures").tag("name", "feed-sequencing").counter().count())
                .isEqualTo(6);
        assertThat(scheduled.backsOff("feed-sequencing")).isTrue();

        databaseAway.set(false);
        clock.moveOn(Duration.ofSeconds(5));
        assertThat(scheduled.runScheduled("feed-sequencing", sequencing)).contains(7);
        assertThat(scheduled.backsOff("feed-sequencing")).isFalse();
        clock.moveOn(Duration.ofMillis(500));
        assertThat(scheduled.runScheduled("feed-sequencing", sequencing)).as("due again at its next round").contains(7);
    }

    @Test
    void aBackoffShorterThanItsFirstPauseIsRefused() {
        assertThatThrownBy(() -> new BackgroundJobs(registry, Clock.systemUTC(), Duration.ofMillis(500)))
                .hasMessageContaining("fieldbook.jobs.node-backoff-max");
    }

    @Test
    void eachJobHasMetersOfItsOwn() {
        jobs.run("audit-linking", () -> null);
        assertThatThrownBy(() -> jobs.run("credentials-cleanup", () -> {
            throw new IllegalStateException("database gone");
        }));
        assertThat(registry.get("fieldbook.job.failures").tag("name", "audit-linking").counter().count()).isZero();
        assertThat(registry.get("fieldbook.job.failures").tag("name", "credentials-cleanup").counter().count())
                .isEqualTo(1);
    }
}
