package app.fieldbook.audit;

import static app.fieldbook.Fixtures.draft;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.fieldbook.Api;
import app.fieldbook.Fixtures;
import app.fieldbook.Fixtures.Person;
import app.fieldbook.RejectedRequest;
import app.fieldbook.TestDatabase;
import app.fieldbook.identity.Actor;
import app.fieldbook.identity.RecordsRead;
import app.fieldbook.identity.Role;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.ContextConfiguration;

/**
 * The read-access log's group commit: reads handed to the writer together are written in one transaction,
 * and each request still waits for that transaction: a read whose batch fails to commit is answered 503
 * {@code server-busy} with {@code Retry-After} and not served. The window is long here (two seconds), so that
 * reads started together surely share a batch on a busy machine.
 */
@Tag("database")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "fieldbook.compliance.mode=regulated", "fieldbook.audit.read-access-window=2s",
        "fieldbook.audit.read-access-wait=20s"})
@ContextConfiguration(initializers = TestDatabase.class)
@ActiveProfiles("test")
class ReadAccessGroupCommitTest {

    private static final int READS = 8;
    private static final AtomicInteger DAYS = new AtomicInteger();
    private static final LocalDate DAY = LocalDate.of(2028, 3, 1);

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ApplicationEventPublisher publisher;

    @Autowired
    ReadAccessLog readLog;

    @Autowired
    AuditChain chain;

    Fixtures world;
    String site;
    Person worker;
    Person manager;
    ExecutorService threads;

    @BeforeEach
    void world() {
        world = new Fixtures(port);
        site = world.site();
        worker = world.worker(site);
        manager = world.manager(world.portfolio(site));
        threads = Executors.newFixedThreadPool(READS + 1);
    }

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    @Test
    void readsMadeTogetherShareOneTransactionAndEachIsAnsweredAfterItsOwnCommit() throws Exception {
        List<String> reports = reports();
        long batchesBefore = readLog.committedBatches();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Long>> loggedWhenAnswered = new ArrayList<>();
        for (String report : reports) {
            loggedWhenAnswered.add(threads.submit(() -> {
                start.await();
                Api.Answer answer = manager.api().get("/api/v1/reports/" + report);
                assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
                return viewsOf(report);
            }));
        }
        start.countDown();

        for (Future<Long> logged : loggedWhenAnswered) {
            assertThat(logged.get()).as("the read was committed to the log before it was answered").isOne();
        }
        assertThat(readLog.committedBatches() - batchesBefore).as("transactions for " + READS + " reads")
                .isBetween(1L, (long) READS / 2);
        assertThat(chain.verify().intact()).isTrue();
    }

    @Test
    void aReadWhoseBatchFailsToCommitIsNotServed() throws Exception {
        List<String> reports = reports();
        // an actor's login longer than the audit trail's column: the batch it is in cannot be inserted
        Actor unwritable = new Actor(UUID.randomUUID(), "x".repeat(101), "Unwritable", Role.EXECUTIVE);
        RecordsRead poisoned = RecordsRead.exported(unwritable, "DailyReport",
                List.of(new RecordsRead.Item(UUID.fromString(reports.getFirst()), UUID.fromString(site))));
        CountDownLatch handed = new CountDownLatch(1);
        Future<?> failed = threads.submit(() -> {
            handed.countDown();
            assertThatThrownBy(() -> publisher.publishEvent(poisoned)).isInstanceOfSatisfying(RejectedRequest.class,
                    refused -> {
                        assertThat(refused.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
                        assertThat(refused.getHeaders().getFirst("Retry-After")).isNotBlank();
                    });
            return null;
        });
        handed.await();
        Thread.sleep(50);
        List<Future<Api.Answer>> answers = new ArrayList<>();
        for (String report : reports) {
            answers.add(threads.submit(() -> manager.api().get("/api/v1/reports/" + report)));
        }

        failed.get();
        for (int i = 0; i < reports.size(); i++) {
            Api.Answer answer = answers.get(i).get();
            assertThat(answer.status()).as(answer.toString()).isEqualTo(503);
            assertThat(answer.problemType()).endsWith("/server-busy");
            assertThat(answer.raw().headers().firstValue("Retry-After")).isPresent();
            assertThat(answer.body().path("id").isMissingNode()).as("no report in the answer").isTrue();
            assertThat(viewsOf(reports.get(i))).as("nothing of the failed batch is written").isZero();
        }
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_events WHERE actor_id = ?").param(unwritable.id())
                .query(Long.class).single()).isZero();

        Api.Answer again = manager.api().get("/api/v1/reports/" + reports.getFirst());
        assertThat(again.status()).as("the next batch is written as usual").isEqualTo(200);
        assertThat(viewsOf(reports.getFirst())).isOne();
        assertThat(chain.verify().intact()).isTrue();
    }

    private List<String> reports() {
        List<String> reports = new ArrayList<>();
        for (int i = 0; i < READS; i++) {
            reports.add(draft(worker, site, DAY.plusDays(DAYS.incrementAndGet())));
        }
        return reports;
    }

    private long viewsOf(String report) {
        return jdbc.sql("SELECT COUNT(*) FROM audit_events WHERE action = 'VIEWED' AND entity_id = ?").param(report)
                .query(Long.class).single();
    }
}
