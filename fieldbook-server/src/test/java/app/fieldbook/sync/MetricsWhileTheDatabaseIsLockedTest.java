package app.fieldbook.sync;

import static org.assertj.core.api.Assertions.assertThat;

import app.fieldbook.Api;
import app.fieldbook.Fixtures;
import app.fieldbook.Scrape;
import app.fieldbook.TableLocks;
import app.fieldbook.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.ContextConfiguration;

/**
 * A scrape never waits for the database: while the tables the metrics' figures are read from are locked by
 * another session (on PostgreSQL {@code LOCK TABLE} in a transaction of the test's own connection; on H2, which
 * has no table lock a reader waits for, the database's exclusive mode, which holds every other session's
 * statements), Prometheus's scrape (with its token, which needs no database) answers with the figures read
 * before the lock, and the figures' age grows, since the refresh waits behind the lock. Once the lock is gone,
 * the refresh reads the figures again.
 */
@Tag("database")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "fieldbook.identity.metrics-token=" + MetricsWhileTheDatabaseIsLockedTest.SCRAPE_TOKEN)
@ContextConfiguration(initializers = TestDatabase.class)
@ActiveProfiles("test")
class MetricsWhileTheDatabaseIsLockedTest {

    static final String SCRAPE_TOKEN = "prometheus-of-the-lock-test-0123456789abcdef";
    /** How long the test waits for a scrape before it calls it stuck (a patience, not a measure of speed). */
    private static final long PATIENCE_SECONDS = 60;

    @LocalServerPort
    int port;

    @Value("${spring.datasource.url}")
    String databaseUrl;

    @Value("${spring.datasource.username}")
    String databaseUser;

    @Value("${spring.datasource.password}")
    String databasePassword;

    @Test
    void aScrapeAnswersWithTheLastFiguresWhileTheirTablesAreLockedAndTheirAgeShowsTheStuckRefresh()
            throws Exception {
        Fixtures world = new Fixtures(port);
        String site = world.site();
        SyncDevice phone = new SyncDevice(world.worker(site).api(), site)
                .reporting(7, OffsetDateTime.now(ZoneOffset.UTC).minusHours(2), 1);
        phone.pushAll(List.of(phone.create(UUID.randomUUID(), LocalDate.of(2026, 11, 4), "Formwork")));
        Api prometheus = Api.anonymous(port).withToken(SCRAPE_TOKEN);
        Map<String, String> ofSite = Map.of("site", site);
        Map<String, String> syncFigures = Map.of("name", SyncMeters.JOB);
        Map<String, String> auditFigures = Map.of("name", "audit-metrics");
        assertThat(Scrape.awaited(prometheus, "fieldbook_sync_changes_waiting", ofSite, waiting -> waiting == 6))
                .as("7 reported, 1 of them answered").isEqualTo(6);
        Scrape.awaited(prometheus, "fieldbook_audit_events_unlinked", Map.of(), unlinked -> unlinked >= 0);

        ExecutorService scrapes = Executors.newVirtualThreadPerTaskExecutor();
        try (Connection lock = DriverManager.getConnection(databaseUrl, databaseUser, databasePassword)) {
            lock(lock);
            try {
                Future<Scrape> whileLocked = scrapes.submit(() -> {
                    Scrape.awaited(prometheus, "fieldbook_snapshot_age_seconds", syncFigures, age -> age > 1);
                    Scrape.awaited(prometheus, "fieldbook_snapshot_age_seconds", auditFigures, age -> age > 1);
                    return Scrape.of(prometheus);
                });
                Scrape scrape;
                try {
                    scrape = whileLocked.get(PATIENCE_SECONDS, TimeUnit.SECONDS);
                } catch (TimeoutException stuck) {
                    throw new AssertionError("The scrape did not answer while the tables were locked", stuck);
                }
                assertThat(scrape.value("fieldbook_sync_changes_waiting", ofSite)).as("the figures read before")
                        .contains(6.0);
                assertThat(scrape.value("fieldbook_sync_photos_waiting", ofSite)).contains(1.0);
                assertThat(scrape.value("fieldbook_audit_events_unlinked", Map.of())).isPresent();
            } finally {
                unlock(lock);
            }
        } finally {
            scrapes.shutdownNow();
        }

        phone.reporting(0, null, 0).pullAll();
        assertThat(Scrape.awaited(prometheus, "fieldbook_sync_changes_waiting", ofSite, waiting -> waiting == 0))
                .as("read again after the lock").isZero();
        assertThat(Scrape.awaited(prometheus, "fieldbook_snapshot_age_seconds", syncFigures, age -> age < 1))
                .isLessThan(1);
    }

    private static void lock(Connection connection) throws Exception {
        TableLocks.lock(connection, "sync_devices, sync_conflicts, audit_unlinked");
    }

    private static void unlock(Connection connection) throws Exception {
        TableLocks.unlock(connection);
    }
}
