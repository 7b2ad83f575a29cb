package app.fieldbook;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.logging.LogLevel;
import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import com.github.kagkarlsson.scheduler.task.ExecutionOperations;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.Schedule;
import com.github.kagkarlsson.scheduler.task.schedule.Schedules;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Runs the {@link RecurringJob}s the modules declare on db-scheduler (ADR 0023), so that each run happens
 * once in the cluster, on H2 as on PostgreSQL. Every node polls {@code scheduled_tasks} for due runs every
 * {@code fieldbook.jobs.polling-interval}; a node takes a due run by updating its row from the version it
 * read, and a node that loses that race leaves the run alone, so two nodes never run the same one. Each run
 * is metered by {@link BackgroundJobs} under the job's name. A failed run is tried again after
 * {@code retry-delay}, then twice that, and so on, {@code retries} times; after that the job waits for its
 * next regular time (and a job that keeps failing keeps being counted, so the alert on failed jobs keeps
 * firing). A node that dies holding a run stops beating its heart (every minute), and after six missed beats
 * another node runs the job again.
 */
@Component
public class RecurringJobs implements SmartLifecycle {

    /**
     * Settings of the jobs that run once in the cluster, bound from {@code fieldbook.jobs}.
     *
     * @param pollingInterval how often each node asks the database for due runs: a run starts at most this
     *     late, and each node costs the database one query this often
     * @param threads the runs one node executes at once
     * @param retryDelay the wait before the first try again of a failed run; each further one waits twice
     *     the one before
     * @param retries how many times a failed run is tried again before the job waits for its next regular time
     * @param nodeName this node's name: in {@code scheduled_tasks.picked_by}, and in the label {@code node} of the
     *     alerts of its own meters (monitoring); the host's name when empty. Two nodes on one host need two names.
     *     Not {@code cluster}, the name of the alerts evaluated once in the cluster.
     * @param overdueAfter how long a run may be due and not taken, or taken and its node's heartbeat not heard,
     *     before the health contributor {@code scheduler} reports it ({@link Health})
     */
    @ConfigurationProperties("fieldbook.jobs")
    public record Settings(
            @DefaultValue("PT10S") Duration pollingInterval,
            @DefaultValue("2") int threads,
            @DefaultValue("PT1M") Duration retryDelay,
            @DefaultValue("3") int retries,
            @DefaultValue("") String nodeName,
            @DefaultValue("PT10M") Duration overdueAfter) {

        /** The name the alerts evaluated once in the cluster are kept under; no node may have it. */
        public static final String CLUSTER = "cluster";

        public Settings {
            if (threads < 1) {
                throw new IllegalArgumentException("fieldbook.jobs.threads must be at least 1");
            }
            if (retries < 0) {
                throw new IllegalArgumentException("fieldbook.jobs.retries must not be negative");
            }
            nodeName = nodeName == null || nodeName.isBlank() ? hostName() : nodeName.strip();
            if (nodeName.equalsIgnoreCase(CLUSTER) || nodeName.length() > 100) {
                throw new IllegalArgumentException("fieldbook.jobs.node-name must not be \"" + CLUSTER
                        + "\" and has at most 100 characters: " + nodeName);
            }
            if (overdueAfter.compareTo(pollingInterval) <= 0) {
                throw new IllegalArgumentException("fieldbook.jobs.overdue-after must be longer than "
                        + "fieldbook.jobs.polling-interval");
            }
        }

        private static String hostName() {
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException unknown) {
                return "localhost";
            }
        }
    }

    private static final Logger log = LoggerFactory.getLogger(RecurringJobs.class);
    /** The instance of a recurring task in db-scheduler's table: it has one, under this name. */
    static final String INSTANCE = "recurring";

    private final DataSource dataSource;
    private final List<RecurringJob> jobs;
    private final BackgroundJobs meters;
    private final Settings settings;
    private Scheduler scheduler;

    RecurringJobs(DataSource dataSource, List<RecurringJob> jobs, BackgroundJobs meters, Settings settings) {
        this.dataSource = dataSource;
        this.jobs = List.copyOf(jobs);
        this.meters = meters;
        this.settings = settings;
    }

    /** The jobs this node runs its share of. */
    public List<RecurringJob> jobs() {
        return jobs;
    }

    /**
     * A db-scheduler of these jobs on the database, not started: the server's own, or (in tests) a second
     * one standing for another node.
     *
     * @param name the node's name in {@code picked_by}, or null for {@code settings.nodeName()}
     */
    static Scheduler scheduler(DataSource dataSource, List<RecurringJob> jobs, BackgroundJobs meters,
            Settings settings, String name) {
        List<RecurringTask<Void>> tasks = jobs.stream().map(job -> task(job, meters, settings)).toList();
        var builder = Scheduler.create(dataSource)
                .startTasks(tasks)
                .threads(settings.threads())
                .pollingInterval(settings.pollingInterval())
                .shutdownMaxWait(Duration.ofSeconds(10))
                // a run held by a node that died is taken by another after six missed heartbeats
                .heartbeatInterval(Duration.ofMinutes(1))
                // the failure handler logs each failure, with what comes next
                .failureLogging(LogLevel.DEBUG, false);
        builder.schedulerName(new SchedulerName.Fixed(name != null ? name : settings.nodeName()));
        return builder.build();
    }

    private static RecurringTask<Void> task(RecurringJob job, BackgroundJobs meters, Settings settings) {
        Schedule schedule = job.cron() != null ? Schedules.cron(job.cron(), job.zone()) : new Pause(job.pause());
        return Tasks.recurring(job.name(), schedule)
                .onFailure(new RetryWithBackoff(job.name(), schedule, settings.retryDelay(), settings.retries()))
                .execute((instance, context) -> meters.run(job.name(), () -> {
                    job.work().run();
                    return null;
                }));
    }

    /** The pause from the end of a run to the next, and from the job's first registration to its first run. */
    private record Pause(Duration pause) implements Schedule {

        @Override
        public Instant getNextExecutionTime(ExecutionComplete complete) {
            return complete.getTimeDone().plus(pause);
        }

        @Override
        public boolean isDeterministic() {
            return false;
        }
    }

    /**
     * A failed run is tried again after {@code delay}, {@code 2 * delay}, {@code 4 * delay}..., {@code retries}
     * times in a row; then the job waits for its next regular time.
     */
    private record RetryWithBackoff(String job, Schedule schedule, Duration delay, int retries)
            implements FailureHandler<Void> {

        @Override
        public void onFailure(ExecutionComplete complete, ExecutionOperations<Void> operations) {
            int before = complete.getExecution().consecutiveFailures;
            Instant next = before < retries
                    ? complete.getTimeDone().plus(delay.multipliedBy(1L << Math.min(before, 20)))
                    : schedule.getNextExecutionTime(complete);
            log.warn("Background job {} failed ({} in a row); it runs again at {}{}", job, before + 1, next,
                    before < retries ? "" : ", its next regular time", complete.getCause().orElse(null));
            operations.reschedule(complete, next);
        }
    }

    /** Registers the jobs that have no row yet and starts polling; a db-scheduler is not restarted, so a new one. */
    @Override
    public synchronized void start() {
        if (scheduler == null) {
            scheduler = scheduler(dataSource, jobs, meters, settings, null);
            scheduler.start();
        }
    }

    /** Lets runs in hand finish (for up to 10 s) and takes no new one. */
    @Override
    public synchronized void stop() {
        if (scheduler != null) {
            scheduler.stop();
            scheduler = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return scheduler != null;
    }

    /** This node's name ({@code fieldbook.jobs.node-name}, or the host's). */
    public String nodeName() {
        return settings.nodeName();
    }

    /** Whether this node's scheduler has started and is not stopping: it takes its share of the runs. */
    synchronized boolean polling() {
        return scheduler != null && scheduler.getSchedulerState().isStarted()
                && !scheduler.getSchedulerState().isShuttingDown();
    }

    /**
     * The health contributor {@code scheduler} ({@code /actuator/health}): DOWN while this node's scheduler is
     * not polling, or while a run of one of the server's jobs is overdue in the whole cluster: due for longer
     * than {@code fieldbook.jobs.overdue-after} and taken by no node (no node polls, or every node is too busy),
     * or taken by a node whose heartbeat has not been heard for that long (it died, and no node has yet run the
     * job again). Not part of readiness (ADR 0025): an overdue run is a fault of the cluster, the same on every
     * node, and taking every node out of the load balancer for it would stop the service without helping the
     * jobs; a node whose scheduler is stopped still serves requests well, while the others run the jobs.
     */
    @Component("schedulerHealthIndicator")
    static class Health extends AbstractHealthIndicator {

        private final RecurringJobs jobs;
        private final JdbcClient jdbc;
        private final Clock clock;

        Health(RecurringJobs jobs, JdbcClient jdbc, Clock clock) {
            super("The scheduler of the background jobs could not be checked");
            this.jobs = jobs;
            this.jdbc = jdbc;
            this.clock = clock;
        }

        @Override
        protected void doHealthCheck(org.springframework.boot.health.contributor.Health.Builder health) {
            List<String> overdue = overdue();
            health.withDetail("node", jobs.nodeName()).withDetail("polling", jobs.polling())
                    .withDetail("overdue", overdue);
            if (jobs.polling() && overdue.isEmpty()) {
                health.up();
            } else {
                health.down();
            }
        }

        /** The server's jobs whose run is overdue, by name. */
        List<String> overdue() {
            List<String> names = jobs.jobs().stream().map(RecurringJob::name).toList();
            if (names.isEmpty()) {
                return List.of();
            }
            OffsetDateTime before = OffsetDateTime.now(clock).minus(jobs.settings.overdueAfter());
            return jdbc.sql("""
                    SELECT task_name FROM scheduled_tasks
                     WHERE task_name IN (:names)
                       AND (NOT picked AND execution_time < :before
                            OR picked AND (last_heartbeat IS NULL OR last_heartbeat < :before))
                     ORDER BY task_name""")
                    .param("names", names).param("before", before).query(String.class).list();
        }
    }
}
