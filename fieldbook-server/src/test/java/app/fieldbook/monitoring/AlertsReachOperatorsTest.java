package app.fieldbook.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import app.fieldbook.Api;
import app.fieldbook.Fixtures;
import app.fieldbook.TestDatabase;
import app.fieldbook.sync.SyncDevice;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.ContextConfiguration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The alert rules of {@code monitoring/prometheus} reach an operator for real: Debian's Prometheus scrapes this
 * running server with its scrape token and evaluates the repository's rules, Debian's Alertmanager routes what fires
 * to a webhook of this test. The faults are induced, not simulated: a session of the test locks the reports table from
 * a connection of its own, so the server's queries wait, its small pool runs dry (its request lanes set wider than the
 * pool) and requests are answered 503; a device pushes over the sync API, reporting changes and a photo waiting, then
 * calls no more (a device counts as silent here after {@value #SILENT_AFTER}, the figures are read again four times a
 * second). The rules are the repository's with their {@code for:} shortened to seconds (their expressions unchanged).
 * On PostgreSQL only, where the test can lock a table under the server.
 */
@Tag("database")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "fieldbook.identity.metrics-token=" + AlertsReachOperatorsTest.SCRAPE_TOKEN,
        "spring.datasource.hikari.maximum-pool-size=3",
        "spring.datasource.hikari.connection-timeout=500",
        // lanes wider than the pool (as a misconfigured node has them), so the locked table starves the pool itself
        "fieldbook.requests.concurrent-reads=8",
        "fieldbook.requests.concurrent-writes=8",
        "fieldbook.sync.health.silent-after=" + AlertsReachOperatorsTest.SILENT_AFTER,
        "fieldbook.sync.health.refresh-interval=250ms"})
@ContextConfiguration(initializers = TestDatabase.class)
@ActiveProfiles("test")
class AlertsReachOperatorsTest {

    static final String SCRAPE_TOKEN = "prometheus-of-the-alerts-test-0123456789abcdef";
    static final String SILENT_AFTER = "2s";
    private static final LocalDate DAY = LocalDate.of(2026, 11, 2);
    private static final Path RULES = Path.of("..", "monitoring", "prometheus", "fieldbook-alerts.yml");
    private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
    private static final Path ALERTMANAGER = Path.of("/usr/bin/prometheus-alertmanager");
    private static final Duration PATIENCE = Duration.ofSeconds(120);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @Value("${spring.datasource.url}")
    String databaseUrl;

    @Value("${spring.datasource.username}")
    String databaseUser;

    @Value("${spring.datasource.password}")
    String databasePassword;

    @TempDir
    Path work;

    private final List<Process> processes = new ArrayList<>();
    private final List<JsonNode> notifications = new CopyOnWriteArrayList<>();
    private HttpServer webhook;

    /**
     * Stops the processes and waits until they are gone: Alertmanager writes its state into its data directory as
     * it stops, and the temporary directory could not be deleted while it did (a red CI run).
     */
    @AfterEach
    void stopEverything() throws InterruptedException {
        processes.forEach(Process::destroy);
        for (Process process : processes) {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
            }
        }
        if (webhook != null) {
            webhook.stop(0);
        }
    }

    @Test
    void aStarvedPoolReachesTheOperatorsWebhookThroughPrometheusAndAlertmanagerAndResolves() throws Exception {
        assumeTrue(TestDatabase.isPostgres(), "the fault is a lock on a PostgreSQL table");
        Fixtures world = new Fixtures(port);
        Api worker = world.worker(world.site()).api();
        startPrometheusAndAlertmanager();

        AtomicBoolean busy = new AtomicBoolean(true);
        ExecutorService phones = Executors.newVirtualThreadPerTaskExecutor();
        try (Connection lock = DriverManager.getConnection(databaseUrl, databaseUser, databasePassword)) {
            lock.setAutoCommit(false);
            try (Statement statement = lock.createStatement()) {
                statement.execute("LOCK TABLE daily_reports IN ACCESS EXCLUSIVE MODE");
            }
            for (int i = 0; i < 8; i++) {
                phones.submit(() -> {
                    while (busy.get()) {
                        try {
                            worker.get("/api/v1/reports");
                        } catch (RuntimeException refused) {
                            // a request cut off counts for the server as it does for a phone; keep asking
                        }
                    }
                });
            }
            awaitNotification("the pool exhausted, firing", alert("FieldbookDatabasePoolExhausted", "firing"));
            awaitNotification("connection timeouts, firing", alert("FieldbookDatabaseConnectionTimeouts", "firing"));
            awaitNotification("the error rate, firing", alert("FieldbookApiErrorRate", "firing"));
            lock.rollback();
        } finally {
            busy.set(false);
            phones.shutdown();
            assertThat(phones.awaitTermination(60, TimeUnit.SECONDS)).as("the phones stop asking").isTrue();
        }
        awaitNotification("the pool exhausted, resolved", alert("FieldbookDatabasePoolExhausted", "resolved"));
        assertThat(worker.get("/api/v1/reports").status()).as("the server serves again").isEqualTo(200);
    }

    @Test
    void aDeviceSilentWithChangesWaitingReachesTheOperatorsWebhookWithItsSiteAndResolvesWhenItSyncs()
            throws Exception {
        assumeTrue(TestDatabase.isPostgres(), "run once, in the PostgreSQL run of the database tests");
        Fixtures world = new Fixtures(port);
        String site = world.site();
        startPrometheusAndAlertmanager();

        SyncDevice phone = new SyncDevice(world.worker(site).api(), site)
                .reporting(4, OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(20), 1);
        assertThat(phone.push(phone.createAt(site, UUID.randomUUID(), DAY, "Trenching")).path("outcome").asString())
                .isEqualTo("APPLIED");
        awaitNotification("the silent device of site " + site + ", firing",
                alert("FieldbookSyncDeviceSilent", "firing", site));

        phone.reporting(0, null, 0).push(phone.createAt(site, UUID.randomUUID(), DAY.plusDays(1), "Backfill"));
        awaitNotification("the silent device of site " + site + ", resolved",
                alert("FieldbookSyncDeviceSilent", "resolved", site));
    }

    /** Starts the webhook, Alertmanager sending to it, and Prometheus scraping this server with the rules. */
    private void startPrometheusAndAlertmanager() throws Exception {
        assertThat(PROMETHEUS).as("Debian's prometheus package (.ci/run installs it)").isExecutable();
        assertThat(ALERTMANAGER).as("Debian's prometheus-alertmanager package (.ci/run installs it)").isExecutable();
        int webhookPort = startWebhook();
        int alertmanagerPort = start("alertmanager", ALERTMANAGER, "alertmanager.yml", """
                route:
                  receiver: test
                  group_by: [alertname]
                  group_wait: 1s
                  group_interval: 1s
                  repeat_interval: 1h
                receivers:
                  - name: test
                    webhook_configs:
                      - url: http://127.0.0.1:%d/alerts
                        send_resolved: true
                """.formatted(webhookPort), "--storage.path=" + work.resolve("alertmanager-data"),
                "--cluster.listen-address=");
        Files.writeString(work.resolve("fieldbook-alerts.yml"),
                Files.readString(RULES).replaceAll("(?m)^(\\s+for:) .*$", "$1 3s"));
        Files.writeString(work.resolve("token"), SCRAPE_TOKEN);
        start("prometheus", PROMETHEUS, "prometheus.yml", """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                rule_files: [%s]
                alerting:
                  alertmanagers:
                    - static_configs:
                        - targets: ["127.0.0.1:%d"]
                scrape_configs:
                  - job_name: fieldbook
                    metrics_path: /actuator/prometheus
                    authorization:
                      credentials_file: %s
                    static_configs:
                      - targets: ["127.0.0.1:%d"]
                """.formatted(work.resolve("fieldbook-alerts.yml"), alertmanagerPort, work.resolve("token"), port),
                "--storage.tsdb.path=" + work.resolve("prometheus-data"));
    }

    private static Predicate<JsonNode> alert(String name, String status) {
        return alert(name, status, null);
    }

    /** A notification with the alert in this status, of this site where {@code site} is not null. */
    private static Predicate<JsonNode> alert(String name, String status, String site) {
        return notification -> {
            for (JsonNode alert : notification.path("alerts")) {
                if (name.equals(alert.path("labels").path("alertname").asString())
                        && status.equals(alert.path("status").asString())
                        && (site == null || site.equals(alert.path("labels").path("site").asString()))) {
                    return true;
                }
            }
            return false;
        };
    }

    private void awaitNotification(String what, Predicate<JsonNode> wanted) throws Exception {
        Instant deadline = Instant.now().plus(PATIENCE);
        while (Instant.now().isBefore(deadline)) {
            if (notifications.stream().anyMatch(wanted)) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("No notification of " + what + " within " + PATIENCE + "; received " + notifications
                + "\nprometheus: " + log("prometheus") + "\nalertmanager: " + log("alertmanager"));
    }

    private int startWebhook() throws IOException {
        webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        webhook.createContext("/alerts", exchange -> {
            notifications.add(JSON.readTree(exchange.getRequestBody().readAllBytes()));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        webhook.start();
        return webhook.getAddress().getPort();
    }

    /** Starts a Debian binary with its configuration on a free loopback port and waits until it answers. */
    private int start(String name, Path binary, String configName, String config, String... options)
            throws Exception {
        Path configFile = Files.writeString(work.resolve(configName), config);
        int listen = freePort();
        List<String> command = new ArrayList<>(List.of(binary.toString(), "--config.file=" + configFile,
                "--web.listen-address=127.0.0.1:" + listen));
        command.addAll(List.of(options));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(work.resolve(name + ".log").toFile()).start();
        processes.add(process);
        Instant deadline = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new AssertionError(name + " ended: " + log(name));
            }
            try (var ignored = new java.net.Socket("127.0.0.1", listen)) {
                return listen;
            } catch (IOException notYet) {
                Thread.sleep(200);
            }
        }
        throw new AssertionError(name + " did not listen within 30 s: " + log(name));
    }

    private String log(String name) {
        try {
            return Files.readString(work.resolve(name + ".log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
