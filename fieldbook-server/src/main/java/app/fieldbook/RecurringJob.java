package app.fieldbook;

import java.time.Duration;
import java.time.ZoneId;
import java.util.Objects;
import org.springframework.scheduling.support.CronExpression;

/**
 * A background job that runs once in the cluster at each of its times, on whichever node takes it: a module
 * declares one as a bean, and {@link RecurringJobs} runs it on db-scheduler (ADR 0023). Either a pause
 * from the end of one run to the start of the next ({@link #every}; the first run a pause after the job was
 * first registered), or a cron expression ({@link #cron}).
 *
 * @param name the job's name: its row in {@code scheduled_tasks} and the label {@code name} of its meters
 *     ({@link BackgroundJobs}); a constant of the code
 * @param pause the pause between runs, or null for a cron job
 * @param cron a Spring cron expression (six fields, in {@code zone}), or null
 * @param zone the time zone of {@code cron}: the server's unless a job names one; null for a job with a pause
 * @param work the run; it fails by throwing
 */
public record RecurringJob(String name, Duration pause, String cron, ZoneId zone, Runnable work) {

    public RecurringJob {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(work, "work");
        if ((pause == null) == (cron == null)) {
            throw new IllegalArgumentException("Job " + name + " needs either a pause or a cron expression");
        }
        if (cron != null && zone == null) {
            zone = ZoneId.systemDefault();
        }
        if (cron == null && zone != null) {
            throw new IllegalArgumentException("Job " + name + " has a pause; only a cron expression has a time zone");
        }
        if (pause != null && (pause.isNegative() || pause.isZero())) {
            throw new IllegalArgumentException("Job " + name + " needs a pause longer than zero, not " + pause);
        }
        if (cron != null) {
            CronExpression.parse(cron);
        }
    }

    /** A job that runs again {@code pause} after each run ends. */
    public static RecurringJob every(String name, Duration pause, Runnable work) {
        return new RecurringJob(name, pause, null, null, work);
    }

    /** A job that runs at the times of a Spring cron expression ({@code 0 30 2 * * *}: 02:30 every night). */
    public static RecurringJob cron(String name, String cron, Runnable work) {
        return new RecurringJob(name, null, cron, null, work);
    }

    /** A job that runs at the times of a Spring cron expression in this time zone ({@code 0 0 7 * * *}: 07:00 there). */
    public static RecurringJob cron(String name, String cron, ZoneId zone, Runnable work) {
        return new RecurringJob(name, null, cron, Objects.requireNonNull(zone, "zone"), work);
    }
}
