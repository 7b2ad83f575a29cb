package app.fieldbook;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/**
 * Runs each run of the server's background jobs (the audit linker, head writer and verification, the
 * change-feed sequencer, thumbnails, the clean-ups) and meters it under the job's name, in the label
 * {@code name} ({@code job} is Prometheus's own): runs, failures, duration, and the time of the last run that
 * succeeded (in Prometheus {@code fieldbook_job_runs_total}, {@code fieldbook_job_failures_total},
 * {@code fieldbook_job_duration_seconds_*}, {@code fieldbook_job_last_success_seconds}, NaN before one did).
 * A job's meters exist from its first run, its failures at 0, so that the alert sees its first failure as an
 * increase. A run fails when it throws; the exception goes on to the caller unchanged.
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

    private final MeterRegistry registry;
    private final Clock clock;
    private final Map<String, Meters> jobs = new ConcurrentHashMap<>();

    public BackgroundJobs(MeterRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
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
