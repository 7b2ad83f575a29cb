package app.fieldbook;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Runs each run of the server's background jobs (the audit linker, head writer and verification, the
 * change-feed sequencer, thumbnails, the clean-ups) and meters it under the job's name, in the label
 * {@code name} ({@code job} is Prometheus's own): runs, failures, duration, and the time of the last run that
 * succeeded (in Prometheus {@code fieldbook_job_runs_total}, {@code fieldbook_job_failures_total},
 * {@code fieldbook_job_duration_seconds_*}, {@code fieldbook_job_last_success_seconds}, NaN before one did).
 * A job's meters exist from its first run, its failures at 0, so that the alert sees its first failure as an
 * increase. A run fails when it throws; the exception goes on to the caller unchanged.
 *
 * <p>The jobs that every node runs on its own schedule (Spring's, ADR 0023: the audit linker, the feed sequencer,
 * the metrics' figures, the node's alert rules) go through {@link #runScheduled}, which backs a failing job off:
 * after its n-th failed run in a row its scheduled runs are skipped for 2<sup>n-1</sup> s, at most
 * {@code fieldbook.jobs.node-backoff-max}, so that a job due twice a second does not fail twice a second while
 * the database is away. (The jobs that run once in the cluster back off in {@link RecurringJobs}.)
 */
@Component
public class BackgroundJobs {

    /** A run of a job: the work, with what it answers and what it may throw. */
    @FunctionalInterface
    public interface Run<T, E extends Exception> {
        T run() throws E;
    }

    private record Meters(Counter runs, Counter failures, Timer duration, AtomicLong lastSuccess) {
    }

    /** A job's failed runs in a row, and until when its scheduled runs are skipped. */
    private record Backoff(int failures, Instant until) {
    }

    /** The pause after a scheduled job's first failure; each further failure in a row doubles it. */
    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);

    private static final Logger log = LoggerFactory.getLogger(BackgroundJobs.class);

    private final MeterRegistry registry;
    private final Clock clock;
    private final Duration maximumBackoff;
    private final Map<String, Meters> jobs = new ConcurrentHashMap<>();
    private final Map<String, Backoff> backoffs = new ConcurrentHashMap<>();

    /** Jobs metered in {@code registry}, backing off at most a minute. */
    public BackgroundJobs(MeterRegistry registry, Clock clock) {
        this(registry, clock, Duration.ofMinutes(1));
    }

    @Autowired
    public BackgroundJobs(MeterRegistry registry, Clock clock,
            @Value("${fieldbook.jobs.node-backoff-max:PT1M}") Duration maximumBackoff) {
        if (maximumBackoff.compareTo(FIRST_BACKOFF) < 0) {
            throw new IllegalArgumentException("fieldbook.jobs.node-backoff-max must be at least " + FIRST_BACKOFF);
        }
        this.registry = registry;
        this.clock = clock;
        this.maximumBackoff = maximumBackoff;
    }

    /**
     * A scheduled run of a job that every node runs on its own schedule: skipped while the job backs off after
     * failed runs; otherwise run as {@link #run}, and a failure logged as a warning with the failures in a row
     * and the pause before the next try, not thrown. A run that succeeds ends the backoff.
     *
     * @return what the run answers; empty when it was skipped, failed or answered null
     */
    public <T> Optional<T> runScheduled(String job, Run<T, ? extends Exception> run) {
        Backoff backoff = backoffs.get(job);
        if (backoff != null && clock.instant().isBefore(backoff.until())) {
            return Optional.empty();
        }
        try {
            T answer = run(job, run);
            backoffs.remove(job);
            return Optional.ofNullable(answer);
        } catch (Exception failed) {
            int failures = backoff == null ? 1 : backoff.failures() + 1;
            Duration pause = pauseAfter(failures);
            backoffs.put(job, new Backoff(failures, clock.instant().plus(pause)));
            log.warn("The background job {} failed ({} in a row); its next run is in {} s at the earliest", job,
                    failures, pause.toSeconds(), failed);
            return Optional.empty();
        }
    }

    /** Whether a scheduled job skips its runs now, after failures (for the tests and the logs). */
    boolean backsOff(String job) {
        Backoff backoff = backoffs.get(job);
        return backoff != null && clock.instant().isBefore(backoff.until());
    }

    private Duration pauseAfter(int failures) {
        int doublings = Math.min(failures - 1, 30);
        Duration pause = FIRST_BACKOFF.multipliedBy(1L << doublings);
        return pause.compareTo(maximumBackoff) > 0 ? maximumBackoff : pause;
    }

    /**
     * Runs one run of {@code job}, timed and counted.
     *
     * @param job the job's name, a constant of the code (it is a label: never an id or input)
     * @return what the run answers
     * @throws E what the run throws, after it was counted as a failure
     */
    public <T, E extends Exception> T run(String job, Run<T, E> run) throws E {
        Meters meters = jobs.computeIfAbsent(job, this::meters);
        long start = System.nanoTime();
        boolean succeeded = false;
        try {
            T answer = run.run();
            succeeded = true;
            return answer;
        } finally {
            meters.duration().record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            meters.runs().increment();
            if (succeeded) {
                meters.lastSuccess().set(clock.millis());
            } else {
                meters.failures().increment();
            }
        }
    }

    private Meters meters(String job) {
        AtomicLong lastSuccess = new AtomicLong(-1);
        TimeGauge.builder("fieldbook.job.last.success", lastSuccess, TimeUnit.MILLISECONDS,
                        last -> last.get() < 0 ? Double.NaN : last.get())
                .tag("name", job)
                .description("When a run of the background job last succeeded (Unix time)")
                .register(registry);
        return new Meters(
                Counter.builder("fieldbook.job.runs").tag("name", job)
                        .description("Runs of the background job").register(registry),
                Counter.builder("fieldbook.job.failures").tag("name", job)
                        .description("Runs of the background job that failed").register(registry),
                Timer.builder("fieldbook.job.duration").tag("name", job)
                        .description("How long runs of the background job took").register(registry),
                lastSuccess);
    }
}
