package app.fieldbook.audit;

import static app.fieldbook.Fixtures.draft;
import static app.fieldbook.Fixtures.expect;
import static org.assertj.core.api.Assertions.assertThat;

import app.fieldbook.Fixtures;
import app.fieldbook.Fixtures.Person;
import app.fieldbook.RecurringJob;
import app.fieldbook.RecurringJobs;
import app.fieldbook.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.config.ScheduledTask;
import org.springframework.scheduling.config.ScheduledTaskHolder;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.ContextConfiguration;

/**
 * Audit events, read-access entries among them, outlive every clean-up: with the clock moved eight years on
 * (past the seven years they are kept at the least, and past every other retention of the server), every
 * background job the application schedules is run (the clean-ups of ended credentials, old sign-in
 * failures and abandoned uploads among them, found from the schedulers, Spring's for the jobs of every node and
 * {@link RecurringJobs} for those that run once in the cluster, not from a list), and every row of the audit
 * trail is still there, its chain intact. An application context of its own, because its clock moves.
 */
@Tag("database")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "fieldbook.compliance.mode=regulated")
@ContextConfiguration(initializers = TestDatabase.class)
@ActiveProfiles("test")
class AuditRetentionTest {

    /** The application's clock, which the test moves on. */
    static final class MovingClock extends Clock {

        private volatile Duration ahead = Duration.ZERO;

        void moveOn(Duration by) {
            ahead = ahead.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(ahead);
        }
    }

    @TestConfiguration
    static class Clocks {

        @Bean
        @Primary
        MovingClock movingClock() {
            return new MovingClock();
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    MovingClock clock;

    @Autowired
    ApplicationContext context;

    @Autowired
    AuditChain chain;

    @Autowired
    RecurringJobs recurringJobs;

    @Test
    void noBackgroundJobRemovesAnAuditRowEvenEightYearsOn() {
        Fixtures world = new Fixtures(port);
        String site = world.site();
        Person worker = world.worker(site);
        Person manager = world.manager(world.portfolio(site));
        String report = draft(worker, site, LocalDate.of(2027, 9, 1));
        expect(manager.api().get("/api/v1/reports/" + report), 200);
        expect(manager.api().delete("/api/v1/auth/tokens/current"), 204);
        assertThat(world.anonymous().post("/api/v1/auth/tokens", Map.of("login", worker.login(),
                "password", "not the password")).status()).isEqualTo(401);
        chain.linkPending();
        List<UUID> events = jdbc.sql("SELECT id FROM audit_events").query(UUID.class).list();
        List<String> links = jdbc.sql("SELECT position || ' ' || event_id || ' ' || hash FROM audit_chain")
                .query(String.class).list();
        List<String> reads = jdbc.sql("SELECT entity_id || ' ' || event_id FROM audit_reads").query(String.class).list();
        List<String> keying = jdbc.sql("SELECT key_id || ' ' || mac FROM audit_keying").query(String.class).list();
        assertThat(reads).as("the manager's read is logged").anyMatch(read -> read.startsWith(report));
        assertThat(countOf("credentials WHERE user_id = ? AND revoked_at IS NOT NULL", UUID.fromString(manager.id()))).isOne();
        assertThat(countOf("login_failures WHERE login = ?", worker.login())).isOne();

        clock.moveOn(Duration.ofDays(8 * 366));
        List<String> jobs = runEveryScheduledJob();

        assertThat(jobs).as("the jobs found on the schedulers").contains("credentials-cleanup",
                "login-failures-cleanup", "sign-in-challenges-cleanup", "passkey-challenges-cleanup",
                "abandoned-uploads-cleanup", "ChangeFeed.sequenceInBackground", "AuditChain.linkInBackground",
                "audit-head", "audit-verification", "SyncMeters.refresh", "AuditMeters.refresh");
        assertThat(countOf("credentials WHERE user_id = ? AND revoked_at IS NOT NULL", UUID.fromString(manager.id())))
                .as("the clean-ups ran with the clock moved on").isZero();
        assertThat(countOf("login_failures WHERE login = ?", worker.login())).isZero();
        assertThat(jdbc.sql("SELECT id FROM audit_events").query(UUID.class).list()).containsAll(events);
        assertThat(jdbc.sql("SELECT position || ' ' || event_id || ' ' || hash FROM audit_chain").query(String.class)
                .list()).containsAll(links);
        assertThat(jdbc.sql("SELECT entity_id || ' ' || event_id FROM audit_reads").query(String.class).list())
                .containsAll(reads);
        assertThat(jdbc.sql("SELECT key_id || ' ' || mac FROM audit_keying").query(String.class).list())
                .containsExactlyElementsOf(keying);
        AuditChain.Verification verification = chain.verify();
        assertThat(verification.intact()).as(verification.problem()).isTrue();
    }

    /**
     * Runs each task of Spring's schedulers and each job of {@link RecurringJobs} once, on this thread; answers
     * their names (a Spring task's as its class and method).
     */
    private List<String> runEveryScheduledJob() {
        List<ScheduledTask> tasks = context.getBeansOfType(ScheduledTaskHolder.class).values().stream()
                .flatMap(holder -> holder.getScheduledTasks().stream()).toList();
        for (ScheduledTask task : tasks) {
            task.getTask().getRunnable().run();
        }
        for (RecurringJob job : recurringJobs.jobs()) {
            job.work().run();
        }
        return Stream.concat(tasks.stream().map(task -> {
            String name = task.getTask().toString();
            String[] parts = name.split("\\.");
            return parts.length < 2 ? name : parts[parts.length - 2] + "." + parts[parts.length - 1];
        }), recurringJobs.jobs().stream().map(RecurringJob::name)).toList();
    }

    private long countOf(String tableAndCondition, Object value) {
        return jdbc.sql("SELECT COUNT(*) FROM " + tableAndCondition).param(value).query(Long.class).single();
    }
}
