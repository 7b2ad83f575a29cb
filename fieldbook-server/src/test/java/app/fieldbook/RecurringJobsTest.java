package app.fieldbook;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.health.contributor.Status;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The jobs that run once in the cluster, on db-scheduler and the test's database (H2, or PostgreSQL in the
 * {@code postgres} run): two schedulers stand for two nodes and run each due run of a job once between them;
 * a failed run is counted and tried again with backoff, then at the job's next regular time; and the server
 * registers its jobs, the nightly verification of the audit chain with its cron expression. The health
 * contributor {@code scheduler} is DOWN while the node's scheduler does not poll or a run is overdue (due and not
 * taken, or taken by a node whose heartbeat is not heard), and is not part of readiness. The schedulers of
 * these tests poll every 50 ms; the application's own polls hourly in tests (application-test.yml).
 */
@FullStackTest
class RecurringJobsTest {

    private static final Duration PAUSE = Duration.ofMillis(200);

    @Autowired
    DataSource dataSource;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    RecurringJobs server;

    @Autowired
    HealthEndpointGroups groups;

    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final BackgroundJobs meters = new BackgroundJobs(registry, Clock.systemUTC());
    private final List<Scheduler> nodes = new ArrayList<>();
    private final List<String> names = new ArrayList<>();

    /** A run of a job: when it started and ended, on which node. */
    private record Run(Instant start, Instant end, String node) {
    }

    @AfterEach
    void stopTheNodesAndForgetTheirJobs() {
        stopTheNodes();
        for (String name : names) {
            jdbc.sql("DELETE FROM scheduled_tasks WHERE task_name = ?").param(name).update();
        }
    }

    @Test
    void twoNodesRunEachDueRunOfAJobOnce() throws Exception {
        String name = jobName("once");
        List<Run> runs = new CopyOnWriteArrayList<>();
        AtomicInteger inHand = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        RecurringJobs.Settings fast = settings(2, Duration.ofMillis(100), 3);
        for (String node : List.of("node-a", "node-b")) {
            RecurringJob job = RecurringJob.every(name, PAUSE, () -> {
                Instant start = Instant.now();
                if (inHand.incrementAndGet() > 1) {
                    overlaps.incrementAndGet();
                }
                sleep(30);
                inHand.decrementAndGet();
                runs.add(new Run(start, Instant.now(), node));
            });
            start(RecurringJobs.scheduler(dataSource, List.of(job), meters, fast, node));
        }

        await(() -> runs.size() >= 12, Duration.ofSeconds(30));
        stopTheNodes();

        assertThat(overlaps).as("runs that started while another was in hand").hasValue(0);
        for (int i = 1; i < runs.size(); i++) {
            assertThat(Duration.between(runs.get(i - 1).end(), runs.get(i).start()))
                    .as("the pause before run %d (a run done twice would follow at once)", i)
                    .isGreaterThanOrEqualTo(PAUSE.minusMillis(2));
        }
        assertThat(registry.get("fieldbook.job.runs").tag("name", name).counter().count())
                .as("runs counted on both nodes").isEqualTo(runs.size());
    }

    @Test
    void aFailedRunIsTriedAgainWithBackoffThenAtItsNextRegularTimeAndEveryFailureIsCounted() throws Exception {
        String name = jobName("failing");
        List<Instant> tries = new CopyOnWriteArrayList<>();
        RecurringJob job = RecurringJob.every(name, Duration.ofHours(1), () -> {
            tries.add(Instant.now());
            throw new IllegalStateException("the database is gone");
        });
        Scheduler node = start(RecurringJobs.scheduler(dataSource, List.of(job), meters,
                settings(1, Duration.ofMillis(300), 2), "node-a"));
        node.reschedule(TaskInstanceId.of(name, RecurringJobs.INSTANCE), Instant.now());

        await(() -> tries.size() >= 3, Duration.ofSeconds(20));
        sleep(1500);

        assertThat(tries).as("the run and its two tries again; then no more before its regular time").hasSize(3);
        assertThat(Duration.between(tries.get(0), tries.get(1))).isBetween(Duration.ofMillis(300),
                Duration.ofMillis(1300));
        assertThat(Duration.between(tries.get(1), tries.get(2))).as("twice the first wait")
                .isBetween(Duration.ofMillis(600), Duration.ofMillis(1600));
        await(() -> row(name).consecutiveFailures() == 3, Duration.ofSeconds(5));
        Row row = row(name);
        assertThat(row.picked()).isFalse();
        assertThat(Duration.between(tries.get(2), row.next())).as("the next run: its regular time, an hour on")
                .isBetween(Duration.ofMinutes(59), Duration.ofMinutes(61));
        assertThat(registry.get("fieldbook.job.failures").tag("name", name).counter().count()).isEqualTo(3);
        assertThat(registry.get("fieldbook.job.runs").tag("name", name).counter().count()).isEqualTo(3);
        assertThat(registry.get("fieldbook.job.last.success").tag("name", name).timeGauge()
                .value(TimeUnit.MILLISECONDS)).as("no run succeeded").isNaN();
    }

    @Test
    void aRunThatSucceedsOnItsTryAgainGoesBackToTheJobsPause() throws Exception {
        String name = jobName("recovering");
        List<Instant> tries = new CopyOnWriteArrayList<>();
        RecurringJob job = RecurringJob.every(name, Duration.ofHours(1), () -> {
            tries.add(Instant.now());
            if (tries.size() == 1) {
                throw new IllegalStateException("the database is gone");
            }
        });
        Scheduler node = start(RecurringJobs.scheduler(dataSource, List.of(job), meters,
                settings(1, Duration.ofMillis(300), 2), "node-a"));
        node.reschedule(TaskInstanceId.of(name, RecurringJobs.INSTANCE), Instant.now());

        await(() -> tries.size() >= 2 && row(name).consecutiveFailures() == 0, Duration.ofSeconds(20));

        assertThat(Duration.between(tries.get(0), tries.get(1))).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(Duration.between(tries.get(1), row(name).next())).isBetween(Duration.ofMinutes(59),
                Duration.ofMinutes(61));
        assertThat(registry.get("fieldbook.job.failures").tag("name", name).counter().count()).isEqualTo(1);
        assertThat(registry.get("fieldbook.job.runs").tag("name", name).counter().count()).isEqualTo(2);
    }

    @Test
    void theServerRegistersItsJobsTheNightlyVerificationWithItsCron() {
        assertThat(server.jobs()).extracting(RecurringJob::name).contains("audit-head", "audit-verification",
                "credentials-cleanup", "login-failures-cleanup", "sign-in-challenges-cleanup",
                "passkey-challenges-cleanup");
        RecurringJob verification = server.jobs().stream().filter(job -> job.name().equals("audit-verification"))
                .findFirst().orElseThrow();
        assertThat(verification.cron()).as("fieldbook.audit.verification-cron's default").isEqualTo("0 30 2 * * *");
        for (RecurringJob job : server.jobs()) {
            assertThat(jdbc.sql("SELECT COUNT(*) FROM scheduled_tasks WHERE task_name = ?").param(job.name())
                    .query(Long.class).single()).as("the row of %s", job.name()).isOne();
        }
        Instant next = row("audit-verification").next();
        assertThat(next.atZone(ZoneId.systemDefault()).toLocalTime()).as("02:30 in the server's time zone")
                .isEqualTo(LocalTime.of(2, 30));
        assertThat(next).isBetween(Instant.now(), Instant.now().plus(Duration.ofHours(25)));
    }

    @Test
    void theSchedulerIsHealthyWhileItPollsAndNoRunIsOverdue() {
        RecurringJobs.Health health = new RecurringJobs.Health(server, jdbc, Clock.systemUTC());
        assertThat(health.overdue()).as("runs due for longer than overdue-after (3 h in tests)").isEmpty();
        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
        assertThat(server.nodeName()).as("the host's name by default").isNotBlank();
    }

    @Test
    void aRunDueLongerThanTheBoundAndTakenByNoNodeMakesTheSchedulerDown() {
        jdbc.sql("UPDATE scheduled_tasks SET execution_time = ? WHERE task_name = 'sign-in-challenges-cleanup'")
                .param(OffsetDateTime.now().plusMinutes(5)).update();
        Clock later = Clock.offset(Clock.systemUTC(), Duration.ofHours(3).plusMinutes(6));
        RecurringJobs.Health health = new RecurringJobs.Health(server, jdbc, later);
        assertThat(health.overdue()).as("due 5 minutes from now, and 3 h is the bound: overdue in 3 h 6 min")
                .contains("sign-in-challenges-cleanup");
        assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
        assertThat(new RecurringJobs.Health(server, jdbc, Clock.offset(Clock.systemUTC(), Duration.ofHours(3)))
                .overdue()).as("not yet at 3 h").doesNotContain("sign-in-challenges-cleanup");
    }

    @Test
    void aRunTakenByANodeWhoseHeartbeatIsNotHeardIsOverdue() {
        String name = jobName("held");
        RecurringJob job = RecurringJob.every(name, Duration.ofHours(1), () -> { });
        RecurringJobs node = new RecurringJobs(dataSource, List.of(job), meters, settings(1, Duration.ofMinutes(1), 0));
        jdbc.sql("""
                INSERT INTO scheduled_tasks (task_name, task_instance, execution_time, picked, picked_by, last_heartbeat,
                                             version)
                VALUES (?, ?, ?, TRUE, 'node-gone', ?, 1)""")
                .params(name, RecurringJobs.INSTANCE, OffsetDateTime.now().minusMinutes(30),
                        OffsetDateTime.now().minusMinutes(9))
                .update();
        RecurringJobs.Health health = new RecurringJobs.Health(node, jdbc, Clock.systemUTC());
        assertThat(health.overdue()).as("heartbeat 9 minutes old, the bound 10").isEmpty();

        jdbc.sql("UPDATE scheduled_tasks SET last_heartbeat = ? WHERE task_name = ?")
                .params(OffsetDateTime.now().minusMinutes(11), name).update();
        assertThat(health.overdue()).as("heartbeat 11 minutes old").containsExactly(name);
    }

    @Test
    void aNodeWhoseSchedulerIsStoppedIsDown() {
        RecurringJobs stopped = new RecurringJobs(dataSource, List.of(), meters, settings(1, Duration.ofMinutes(1), 0));
        RecurringJobs.Health health = new RecurringJobs.Health(stopped, jdbc, Clock.systemUTC());
        assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
        stopped.start();
        try {
            assertThat(health.health().getStatus()).isEqualTo(Status.UP);
        } finally {
            stopped.stop();
        }
        assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
    }

    @Test
    void theSchedulerIsInTheHealthButNotInTheReadiness() {
        assertThat(groups.getPrimary().isMember("scheduler")).as("in /actuator/health").isTrue();
        assertThat(groups.get("readiness").isMember("db")).isTrue();
        assertThat(groups.get("readiness").isMember("scheduler")).as("in /actuator/health/readiness").isFalse();
        assertThat(groups.get("liveness").isMember("scheduler")).as("in /actuator/health/liveness").isFalse();
    }

    /** Settings of a test's scheduler: polling every 50 ms, runs overdue after 10 minutes. */
    private static RecurringJobs.Settings settings(int threads, Duration retryDelay, int retries) {
        return new RecurringJobs.Settings(Duration.ofMillis(50), threads, retryDelay, retries, "",
                Duration.ofMinutes(10));
    }

    private record Row(Instant next, boolean picked, int consecutiveFailures) {
    }

    private Row row(String name) {
        return jdbc.sql("SELECT execution_time, picked, consecutive_failures FROM scheduled_tasks WHERE task_name = ?")
                .param(name)
                .query((rs, n) -> new Row(rs.getObject(1, OffsetDateTime.class).toInstant(), rs.getBoolean(2),
                        rs.getInt(3)))
                .single();
    }

    private String jobName(String what) {
        String name = "test-" + what + "-" + UUID.randomUUID();
        names.add(name);
        return name;
    }

    private void stopTheNodes() {
        nodes.forEach(Scheduler::stop);
        nodes.clear();
    }

    private Scheduler start(Scheduler node) {
        nodes.add(node);
        node.start();
        return node;
    }

    private static void await(BooleanSupplier condition, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited %s", within).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
