package app.fieldbook;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;

/**
 * Figures read from the database by a background job and kept in memory, so that reading a metric never
 * queries the database: a scrape answers at once with the last figures, also while the database is slow,
 * locked or out of connections. Each {@link #refresh} is a run of the job named after the snapshot in
 * {@link BackgroundJobs} (so a failed one is counted and alerted); a refresh that fails keeps the figures read
 * before. The gauge {@code fieldbook.snapshot.age} (Prometheus {@code fieldbook_snapshot_age_seconds}, label
 * {@code name}) says how old the figures are: the time since the refresh that read them began, or, before any
 * succeeded, since the node started. A refresh that is stuck (waiting behind a lock) or keeps failing shows as
 * an age that grows.
 *
 * @param <T> the figures, immutable
 */
public final class Snapshot<T> implements MeterBinder {

    private record Taken<T>(Instant at, T figures) {
    }

    private final String name;
    private final BackgroundJobs jobs;
    private final Clock clock;
    private final Instant started;
    private volatile Taken<T> taken;

    /**
     * @param name the job's and the gauge's name (a constant of the code)
     * @param initial the figures until the first refresh succeeded
     */
    public Snapshot(String name, T initial, BackgroundJobs jobs, Clock clock) {
        this.name = name;
        this.jobs = jobs;
        this.clock = clock;
        this.started = clock.instant();
        this.taken = new Taken<>(null, initial);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("fieldbook.snapshot.age", this, Snapshot::ageSeconds)
                .tag("name", name)
                .baseUnit("seconds")
                .description("How old the figures a background job read from the database for the metrics are")
                .register(registry);
    }

    /**
     * Reads the figures again, as a scheduled run of the background job of this snapshot
     * ({@link BackgroundJobs#runScheduled}: skipped while the job backs off after failures). {@code read} is given
     * the time the refresh began; what it answers replaces the figures. When it throws, the figures stay as they
     * were, the run counts as failed and a warning is logged; nothing is thrown.
     */
    public void refresh(Function<Instant, T> read) {
        Instant at = clock.instant();
        jobs.runScheduled(name, () -> read.apply(at)).ifPresent(figures -> taken = new Taken<>(at, figures));
    }

    /** The figures of the last refresh that succeeded (the initial ones before). */
    public T figures() {
        return taken.figures();
    }

    /** When the refresh that read the figures began; empty before one succeeded. */
    public Optional<Instant> takenAt() {
        return Optional.ofNullable(taken.at());
    }

    /** The figures' age in seconds: since they were read, or since the node started when none were. */
    public double ageSeconds() {
        Instant since = takenAt().orElse(started);
        return Math.max(0, Duration.between(since, clock.instant()).toMillis() / 1000.0);
    }
}
