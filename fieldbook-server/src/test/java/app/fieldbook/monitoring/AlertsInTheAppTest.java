package app.fieldbook.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import app.fieldbook.Api;
import app.fieldbook.Fixtures;
import app.fieldbook.RecurringJobs;
import app.fieldbook.TableLocks;
import app.fieldbook.TestDatabase;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpServer;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The alert rules evaluated in the server reach an operator with no Prometheus deployed: a session of the test locks
 * what the server's requests need (on PostgreSQL the reports table, with {@code LOCK TABLE}; on H2 the whole database,
 * in its exclusive mode), phones keep asking for their reports, the server's pool of three runs dry (its request lanes
 * are set wider than the pool here: sized to the pool, requests would wait in the lanes and the pool would not run
 * dry) and requests are answered 503. The pool's alert goes pending, then fires once its condition has held for its
 * {@code pending-for} (2 s here), as does the error rate's; both reach the test's webhook (a JDK HTTP server on
 * loopback) and its mail server (GreenMail), and once the lock is gone the pool's alert is resolved, on both channels
 * too. The API shows the alert's course. The pool is this node's own: its alert names the node.
 */
@Tag("database")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.hikari.maximum-pool-size=3",
        "spring.datasource.hikari.connection-timeout=300",
        // lanes wider than the pool (as a misconfigured node has them), so the locked table starves the pool itself
        "fieldbook.requests.concurrent-reads=8",
        "fieldbook.requests.concurrent-writes=8",
        "fieldbook.alerts.enabled=true",
        "fieldbook.alerts.evaluation-interval=250ms",
        "fieldbook.alerts.notification-interval=1s",
        "fieldbook.alerts.email.to=operator@fieldbook.test",
        "fieldbook.alerts.email.from=alerts@fieldbook.test",
        "fieldbook.alerts.database-pool.pending-for=2s",
        "fieldbook.alerts.database-pool.timeout-window=5s",
        "fieldbook.alerts.api-error-rate.window=10s",
        "fieldbook.alerts.api-error-rate.pending-for=1s",
        // readings are kept for the longest window: short ones, as the evaluation runs four times a second
        "fieldbook.alerts.api-slow.window=10s",
        "fieldbook.alerts.job-failures.window=10s",
        "fieldbook.alerts.sync-device-data-lost.window=10s"})
@ContextConfiguration(initializers = TestDatabase.class)
@ActiveProfiles("test")
@DirtiesContext
class AlertsInTheAppTest {

    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final List<JsonNode> POSTED = new CopyOnWriteArrayList<>();
    private static final HttpServer WEBHOOK = webhook();
    private static final GreenMail MAIL = mailServer();

    @LocalServerPort
    int port;

    @Autowired
    RecurringJobs jobs;

    @Value("${spring.datasource.url}")
    String databaseUrl;

    @Value("${spring.datasource.username}")
    String databaseUser;

    @Value("${spring.datasource.password}")
    String databasePassword;

    @DynamicPropertySource
    static void receivers(DynamicPropertyRegistry registry) {
        registry.add("fieldbook.alerts.webhook.url",
                () -> "http://127.0.0.1:" + WEBHOOK.getAddress().getPort() + "/alerts");
        registry.add("spring.mail.host", () -> "127.0.0.1");
        registry.add("spring.mail.port", () -> MAIL.getSmtp().getPort());
    }

    @AfterAll
    static void stopReceivers() {
        WEBHOOK.stop(0);
        MAIL.stop();
    }

    @Test
    void aStarvedPoolFiresAfterItsPendingTimeReachesTheWebhookAndTheMailboxAndIsResolved() throws Exception {
        Fixtures world = new Fixtures(port);
        Api admin = world.admin();
        Api worker = world.worker(world.site()).api();
        // the pool of this test is 3 connections, which the node's first background work (its figures read at
        // start) can fill for a moment, and the alerts live in the database the PostgreSQL run shares between
        // test contexts: a pool alert pending then is dropped by the next evaluations, which find the pool free
        await("no pool alert before the fault", () -> alert(admin, "FieldbookDatabasePoolExhausted") == null);

        AtomicBoolean busy = new AtomicBoolean(true);
        ExecutorService phones = Executors.newVirtualThreadPerTaskExecutor();
        try (Connection lock = DriverManager.getConnection(databaseUrl, databaseUser, databasePassword)) {
            lock(lock);
            try {
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
                await("the pool's alert, firing, at the webhook", () -> posted("FieldbookDatabasePoolExhausted",
                        Alert.FIRING));
                await("the error rate's alert, firing, at the webhook", () -> posted("FieldbookApiErrorRate",
                        Alert.FIRING));
                await("the pool's alert, firing, by mail",
                        () -> mailed("[Fieldbook FIRING] FieldbookDatabasePoolExhausted"));
            } finally {
                unlock(lock);
            }
        } finally {
            busy.set(false);
            phones.shutdown();
            assertThat(phones.awaitTermination(60, TimeUnit.SECONDS)).as("the phones stop asking").isTrue();
        }
        await("the pool's alert, resolved, at the webhook", () -> posted("FieldbookDatabasePoolExhausted",
                Alert.RESOLVED));
        await("the pool's alert, resolved, by mail",
                () -> mailed("[Fieldbook RESOLVED] FieldbookDatabasePoolExhausted"));

        JsonNode pool = alert(admin, "FieldbookDatabasePoolExhausted");
        assertThat(pool).as("the pool's alert in the API").isNotNull();
        assertThat(pool.path("state").asString()).isEqualTo(Alert.RESOLVED);
        assertThat(pool.path("severity").asString()).isEqualTo("critical");
        Instant active = Instant.parse(pool.path("activeSince").asString());
        Instant firing = Instant.parse(pool.path("firingSince").asString());
        Instant resolved = Instant.parse(pool.path("resolvedAt").asString());
        assertThat(Duration.between(active, firing)).as("pending for its pending-for before it fired")
                .isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        assertThat(resolved).isAfter(firing);
        JsonNode firingNotice = notice("FieldbookDatabasePoolExhausted", Alert.FIRING);
        assertThat(firingNotice.path("runbook").asString())
                .isEqualTo("docs/operations.md#fieldbookdatabasepoolexhausted");
        assertThat(firingNotice.path("summary").asString()).contains("Every database connection is in use");
        assertThat(firingNotice.path("labels").path("node").asString()).as("a node's own alert names its node")
                .isEqualTo(jobs.nodeName());
        assertThat(firingNotice.path("summary").asString()).endsWith(" (node " + jobs.nodeName() + ")");
        MimeMessage mail = mail("[Fieldbook FIRING] FieldbookDatabasePoolExhausted");
        assertThat(mail.getAllRecipients()[0].toString()).isEqualTo("operator@fieldbook.test");
        assertThat(mail.getFrom()[0].toString()).isEqualTo("alerts@fieldbook.test");
        assertThat(worker.get("/api/v1/reports").status()).as("the server serves again").isEqualTo(200);
        assertThat(admin.get("/api/v1/operations/alerts").body().path("rules").valueStream()
                .filter(rule -> rule.path("name").asString().equals("FieldbookDatabasePoolExhausted"))
                .map(rule -> rule.path("pendingFor").asString())).containsExactly("PT2S");
        assertThat(worker.get("/api/v1/operations/alerts").status()).as("administrators only").isEqualTo(403);
    }

    private static void lock(Connection connection) throws Exception {
        TableLocks.lock(connection, "daily_reports");
    }

    private static void unlock(Connection connection) throws Exception {
        TableLocks.unlock(connection);
    }

    /** The alert of this rule as {@code GET /api/v1/operations/alerts} shows it, null when there is none. */
    private static JsonNode alert(Api admin, String name) {
        Api.Answer answer = admin.get("/api/v1/operations/alerts");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().path("enabled").asBoolean()).isTrue();
        assertThat(answer.body().path("channels").valueStream().map(JsonNode::asString))
                .containsExactly("webhook", "email");
        for (JsonNode alert : answer.body().path("alerts")) {
            if (alert.path("name").asString().equals(name)) {
                return alert;
            }
        }
        return null;
    }

    private static boolean posted(String name, String state) {
        return notice(name, state) != null;
    }

    private static JsonNode notice(String name, String state) {
        for (JsonNode post : POSTED) {
            for (JsonNode alert : post.path("alerts")) {
                if (name.equals(alert.path("name").asString()) && state.equals(alert.path("state").asString())) {
                    return alert;
                }
            }
        }
        return null;
    }

    private static boolean mailed(String subject) {
        return mail(subject) != null;
    }

    private static MimeMessage mail(String subject) {
        for (MimeMessage message : MAIL.getReceivedMessages()) {
            try {
                if (message.getSubject().startsWith(subject)) {
                    return message;
                }
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        }
        return null;
    }

    private static void await(String what, Supplier<Boolean> arrived) throws InterruptedException {
        Instant deadline = Instant.now().plus(PATIENCE);
        while (Instant.now().isBefore(deadline)) {
            if (arrived.get()) {
                return;
            }
            Thread.sleep(200);
        }
        List<String> subjects = new ArrayList<>();
        for (MimeMessage message : MAIL.getReceivedMessages()) {
            try {
                subjects.add(message.getSubject());
            } catch (MessagingException e) {
                subjects.add(e.toString());
            }
        }
        throw new AssertionError("No " + what + " within " + PATIENCE + "; posted " + POSTED + ", mailed " + subjects);
    }

    private static HttpServer webhook() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/alerts", exchange -> {
                POSTED.add(JSON.readTree(exchange.getRequestBody().readAllBytes()));
                exchange.sendResponseHeaders(204, -1);
                exchange.close();
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static GreenMail mailServer() {
        try (ServerSocket free = new ServerSocket(0)) {
            int port = free.getLocalPort();
            free.close();
            GreenMail mail = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
            mail.start();
            return mail;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
