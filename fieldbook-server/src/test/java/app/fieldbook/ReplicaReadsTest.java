package app.fieldbook;

import static app.fieldbook.Fixtures.draft;
import static app.fieldbook.Fixtures.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import app.fieldbook.Fixtures.Person;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoublePredicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The reads that tolerate a little lag (the report list, the dashboard, the month-end) go to a real PostgreSQL
 * streaming replica of the test database ({@code .ci/postgres} makes it with pg_basebackup on port 5433), reached
 * through a TCP link the test can cut: with the replica's replay paused, a report just written is missing from
 * them while a read of it by id (on the primary) finds it; once the replica lags more than
 * {@code fieldbook.replica.max-lag} they go to the primary and show it; after the replay resumes they go back to
 * the replica; with the link cut they still answer, from the primary, and go back once it is restored. The lag
 * and whether the replica is in use are metrics. PostgreSQL only; without a replica on port 5433 it is skipped,
 * but fails in CI ({@code CI=true}).
 */
@FullStackTest
class ReplicaReadsTest {

    private static final int REPLICA_PORT = 5433;
    private static final Duration MAX_LAG = Duration.ofSeconds(6);
    private static Link link;

    @LocalServerPort
    int port;

    @BeforeAll
    static void replicaRuns() throws IOException {
        assumeTrue(TestDatabase.isPostgres(), "a PostgreSQL streaming replica; the H2 run has none");
        boolean ci = "true".equals(System.getenv("CI"));
        try (Connection replica = connect(); Statement statement = replica.createStatement();
                ResultSet recovery = statement.executeQuery("SELECT pg_is_in_recovery()")) {
            recovery.next();
            assertThat(recovery.getBoolean(1)).as("port " + REPLICA_PORT + " is a replica").isTrue();
        } catch (SQLException absent) {
            if (ci) {
                throw new AssertionError("No replica on port " + REPLICA_PORT + " (.ci/run makes it: replica_ready)",
                        absent);
            }
            assumeTrue(false, "no replica on port " + REPLICA_PORT + " (.ci/postgres replica_ready makes one)");
        }
        link = new Link(REPLICA_PORT);
    }

    @AfterAll
    static void resume() throws Exception {
        if (link != null) {
            replay("pg_wal_replay_resume()");
            link.close();
        }
    }

    @DynamicPropertySource
    static void replicaSettings(DynamicPropertyRegistry registry) {
        String primary = (String) TestDatabase.postgresForAnotherProcess().get("spring.datasource.url");
        registry.add("fieldbook.replica.url", () -> primary.replace(":5432/", ":" + link.port() + "/"));
        registry.add("fieldbook.replica.username", () -> "fieldbook");
        registry.add("fieldbook.replica.password", () -> "fieldbook");
        registry.add("fieldbook.replica.max-lag", () -> MAX_LAG.toSeconds() + "s");
        registry.add("fieldbook.replica.check-interval", () -> "200ms");
    }

    @Test
    void lagTolerantReadsComeFromTheReplicaWhileItKeepsUpAndFromThePrimaryOtherwise() throws Exception {
        Fixtures world = new Fixtures(port);
        String site = world.site();
        Person worker = world.worker(site);
        Person manager = world.manager(world.portfolio(site));
        Api prometheus = Scrape.prometheus(port);
        awaitMetric(prometheus, "fieldbook_replica_in_use", in -> in == 1, "the replica in use");

        draft(worker, site, LocalDate.of(2025, 11, 3));
        await("the first report on the replica", () -> listed(worker, site) == 1);
        replay("pg_wal_replay_pause()");
        String second = draft(worker, site, LocalDate.of(2025, 11, 4));
        // within max-lag of the pause: the replica's figures, without the second report
        assertThat(listed(worker, site)).as("the list, from the replica").isEqualTo(1);
        assertThat(day(manager, site, 4).path("reports").asLong()).as("the dashboard, from the replica").isZero();
        assertThat(drafts(manager, site)).as("the month-end, from the replica").isEqualTo(1);
        assertThat(expect(worker.api().get("/api/v1/reports/" + second), 200).body().path("id").asString())
                .as("a read by id, from the primary").isEqualTo(second);
        // the gauge is the last check's (every 200 ms): the check after the second report's WAL arrived says so
        awaitMetric(prometheus, "fieldbook_replica_lag_bytes", bytes -> bytes > 0, "WAL received, not replayed");

        awaitMetric(prometheus, "fieldbook_replica_in_use", in -> in == 0,
                "the replica left once it lags more than max-lag");
        assertThat(Scrape.of(prometheus).value("fieldbook_replica_lag_seconds", Map.of()).orElseThrow())
                .isGreaterThan(MAX_LAG.toSeconds());
        assertThat(listed(worker, site)).as("the list, from the primary").isEqualTo(2);
        assertThat(day(manager, site, 4).path("reports").asLong()).as("the dashboard, from the primary").isOne();
        assertThat(drafts(manager, site)).as("the month-end, from the primary").isEqualTo(2);

        replay("pg_wal_replay_resume()");
        awaitMetric(prometheus, "fieldbook_replica_in_use", in -> in == 1, "the replica in use once caught up");
        assertThat(Scrape.of(prometheus).value("fieldbook_replica_lag_seconds", Map.of()).orElseThrow())
                .isLessThanOrEqualTo(MAX_LAG.toSeconds());
        assertThat(listed(worker, site)).as("the list, from the replica caught up").isEqualTo(2);

        link.cut();
        assertThat(listed(worker, site)).as("the list with the replica gone, from the primary").isEqualTo(2);
        assertThat(drafts(manager, site)).as("the month-end with the replica gone").isEqualTo(2);
        awaitMetric(prometheus, "fieldbook_replica_lag_seconds", Double::isInfinite, "an unknown lag while it is gone");
        assertThat(Scrape.of(prometheus).value("fieldbook_replica_in_use", Map.of()).orElseThrow()).isZero();
        link.restore();
        awaitMetric(prometheus, "fieldbook_replica_in_use", in -> in == 1, "the replica in use once back");
        assertThat(listed(worker, site)).isEqualTo(2);
    }

    /** How many reports the worker's list of the site counts. */
    private static long listed(Person worker, String site) {
        return expect(worker.api().get("/api/v1/reports?siteId=" + site), 200).body().path("total").asLong();
    }

    /** The dashboard's cell of the site for that day of November 2025. */
    private static JsonNode day(Person manager, String site, int day) {
        JsonNode dashboard = expect(manager.api().get("/api/v1/insights/dashboard?month=2025-11&siteId=" + site), 200)
                .body();
        return dashboard.path("sites").get(0).path("days").get(day - 1);
    }

    /** The drafts of the site the month-end of November 2025 counts. */
    private static long drafts(Person manager, String site) {
        return expect(manager.api().get("/api/v1/insights/month-end?month=2025-11&siteId=" + site), 200).body()
                .path("sites").get(0).path("reports").path("DRAFT").asLong();
    }

    private static double awaitMetric(Api prometheus, String name, DoublePredicate wanted, String what)
            throws InterruptedException {
        double[] last = {Double.NaN};
        await(what, () -> {
            last[0] = Scrape.of(prometheus).value(name, Map.of()).orElse(Double.NaN);
            return wanted.test(last[0]);
        });
        return last[0];
    }

    /** Waits up to 20 seconds for {@code done}. */
    private static void await(String what, Supplier<Boolean> done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        for (int attempt = 0; attempt < 200; attempt++) {
            if (done.get()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                break;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("Not within 20 s: " + what);
    }

    /** Pauses or resumes the replica's replay of the WAL (granted to the role fieldbook by .ci/postgres). */
    private static void replay(String function) throws SQLException {
        try (Connection replica = connect(); Statement statement = replica.createStatement()) {
            statement.execute("SELECT " + function);
        }
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + REPLICA_PORT + "/postgres?connectTimeout=3",
                "fieldbook", "fieldbook");
    }

    /**
     * A TCP link from a port of its own to the replica, which the test cuts (every connection closed, none taken)
     * as a network or a host going away would, and restores on the same port.
     */
    private static final class Link implements AutoCloseable {

        private final int target;
        private final int port;
        private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
        private volatile ServerSocket server;

        Link(int target) throws IOException {
            this.target = target;
            this.server = listen(0);
            this.port = server.getLocalPort();
        }

        int port() {
            return port;
        }

        void cut() {
            close(server);
            sockets.forEach(Link::close);
            sockets.clear();
        }

        void restore() throws IOException {
            server = listen(port);
        }

        @Override
        public void close() {
            cut();
        }

        private ServerSocket listen(int on) throws IOException {
            ServerSocket listening = new ServerSocket();
            listening.setReuseAddress(true);
            listening.bind(new InetSocketAddress("127.0.0.1", on));
            Thread.ofVirtual().start(() -> {
                for (int accepted = 0; accepted < 10_000 && !listening.isClosed(); accepted++) {
                    try {
                        Socket client = listening.accept();
                        Socket replica = new Socket("127.0.0.1", target);
                        sockets.add(client);
                        sockets.add(replica);
                        pipe(client, replica);
                        pipe(replica, client);
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            return listening;
        }

        private static void pipe(Socket from, Socket to) {
            Thread.ofVirtual().start(() -> {
                try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                    in.transferTo(out);
                } catch (IOException closed) {
                    // the other end or the test closed it
                } finally {
                    close(from);
                    close(to);
                }
            });
        }

        private static void close(AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception ignored) {
                // closed already
            }
        }
    }
}
