package app.fieldbook.audit;

import static org.assertj.core.api.Assertions.assertThat;

import app.fieldbook.Api;
import app.fieldbook.FieldbookApplication;
import app.fieldbook.Fixtures;
import app.fieldbook.TestDatabase;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Two nodes (two application contexts, each with its web server, scheduler and meters) on one database (H2, or
 * PostgreSQL in the {@code postgres} run): a verification of the audit chain on one node is recorded in the
 * database and shown by the other node's metrics, and a broken chain found by one node is told to the operator
 * once, by the alert FieldbookAuditChainBroken evaluated once in the cluster (ADR 0025), not once per node; the
 * notification interval is a second, so a rule evaluated by each node would tell it again and again.
 */
@Tag("database")
class AuditVerificationOnTwoNodesTest {

    private static final String RULE = "FieldbookAuditChainBroken";
    private static final String CLUSTER_JOB = "cluster-alert-evaluation";
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path files;

    private final List<JsonNode> posted = new CopyOnWriteArrayList<>();
    private HttpServer webhook;
    private final Map<String, ConfigurableApplicationContext> nodes = new LinkedHashMap<>();

    @BeforeEach
    void startTheWebhook() throws IOException {
        webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        webhook.createContext("/alerts", exchange -> {
            posted.add(JSON.readTree(exchange.getRequestBody().readAllBytes()));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        webhook.start();
    }

    @AfterEach
    void stopEverything() {
        nodes.values().forEach(ConfigurableApplicationContext::close);
        webhook.stop(0);
    }

    @Test
    void aVerificationOnOneNodeIsShownByTheOtherAndABrokenChainIsToldOnceForTheCluster() throws Exception {
        Map<String, Object> database = database();
        ConfigurableApplicationContext a = start("node-a", database);
        ConfigurableApplicationContext b = start("node-b", database);
        Fixtures world = new Fixtures(port(a));
        String site = world.site();
        Fixtures.draft(world.worker(site), site, LocalDate.of(2027, 5, 3));

        JsonNode intact = verify(a, world);
        assertThat(intact.path("intact").asBoolean()).as(intact.toString()).isTrue();
        Instant verifiedOnA = latest(a).at();
        assertThat(latest(a).node()).isEqualTo("node-a");
        await("node-b's metrics showing node-a's verification", () -> verifiedAt(b) == verifiedOnA.toEpochMilli()
                && intact(b) == 1.0);

        JdbcClient db = JdbcClient.create(a.getBean(DataSource.class));
        long position = db.sql("SELECT MAX(position) FROM audit_chain").query(Long.class).single();
        UUID event = db.sql("SELECT event_id FROM audit_chain WHERE position = ?").param(position).query(UUID.class)
                .single();
        String login = db.sql("SELECT actor_login FROM audit_events WHERE id = ?").param(event).query(String.class)
                .single();
        db.sql("UPDATE audit_events SET actor_login = 'mallory' WHERE id = ?").param(event).update();
        try {
            JsonNode broken = verify(b, world);
            assertThat(broken.path("intact").asBoolean()).isFalse();
            assertThat(broken.path("firstBrokenPosition").asLong()).isEqualTo(position);
            await("node-a's metrics showing node-b's broken chain", () -> intact(a) == 0.0);
            assertThat(latest(a).node()).isEqualTo("node-b");
            await("the broken chain's alert at the webhook", () -> notices(Alert.FIRING) == 1);
            JsonNode notice = notice(Alert.FIRING);
            assertThat(notice.path("summary").asString()).isEqualTo("The audit chain fails its verification");
            assertThat(notice.path("labels").properties()).as("a cluster's alert names no node").isEmpty();
            double runs = clusterRuns(a) + clusterRuns(b);
            await("more evaluations of the cluster's rules", () -> clusterRuns(a) + clusterRuns(b) >= runs + 8);
            assertThat(notices(Alert.FIRING)).as("told once, though both nodes show the chain broken").isOne();
        } finally {
            db.sql("UPDATE audit_events SET actor_login = ? WHERE id = ?").params(login, event).update();
        }

        assertThat(verify(a, world).path("intact").asBoolean()).isTrue();
        await("the broken chain's alert resolved at the webhook", () -> notices(Alert.RESOLVED) == 1);
        await("node-b's metrics showing the chain intact again", () -> intact(b) == 1.0);
        double runs = clusterRuns(a) + clusterRuns(b);
        await("more evaluations of the cluster's rules", () -> clusterRuns(a) + clusterRuns(b) >= runs + 8);
        assertThat(notices(Alert.FIRING)).isOne();
        assertThat(notices(Alert.RESOLVED)).isOne();
    }

    /** The names the monitoring module gives states in its notices. */
    private static final class Alert {
        static final String FIRING = "firing";
        static final String RESOLVED = "resolved";
    }

    private static JsonNode verify(ConfigurableApplicationContext node, Fixtures world) {
        Api.Answer answer = Api.anonymous(port(node)).withToken(world.admin().token()).get("/api/v1/audit/verification");
        assertThat(answer.status()).isEqualTo(200);
        return answer.body();
    }

    private static AuditChain.Verified latest(ConfigurableApplicationContext node) {
        return node.getBean(AuditChain.class).lastVerification().orElseThrow();
    }

    private static double intact(ConfigurableApplicationContext node) {
        Gauge gauge = node.getBean(MeterRegistry.class).find("fieldbook.audit.chain.intact").gauge();
        return gauge == null ? Double.NaN : gauge.value();
    }

    private static double verifiedAt(ConfigurableApplicationContext node) {
        TimeGauge gauge = node.getBean(MeterRegistry.class).find("fieldbook.audit.chain.verified").timeGauge();
        return gauge == null ? Double.NaN : gauge.value(TimeUnit.MILLISECONDS);
    }

    private static double clusterRuns(ConfigurableApplicationContext node) {
        Counter runs = node.getBean(MeterRegistry.class).find("fieldbook.job.runs").tag("name", CLUSTER_JOB).counter();
        return runs == null ? 0 : runs.count();
    }

    private long notices(String state) {
        return posted.stream().flatMap(post -> post.path("alerts").valueStream())
                .filter(alert -> RULE.equals(alert.path("name").asString())
                        && state.equals(alert.path("state").asString()))
                .count();
    }

    private JsonNode notice(String state) {
        return posted.stream().flatMap(post -> post.path("alerts").valueStream())
                .filter(alert -> RULE.equals(alert.path("name").asString())
                        && state.equals(alert.path("state").asString()))
                .findFirst().orElseThrow();
    }

    /** The database both nodes use: a named in-memory H2 they share, or the run's PostgreSQL database. */
    private Map<String, Object> database() {
        return TestDatabase.sharedByTwoNodes(files);
    }

    private ConfigurableApplicationContext start(String node, Map<String, Object> database) {
        List<String> arguments = new ArrayList<>(List.of(
                "--server.port=0",
                "--spring.profiles.active=test",
                "--fieldbook.jobs.node-name=" + node,
                "--fieldbook.jobs.polling-interval=100ms",
                "--fieldbook.alerts.enabled=true",
                "--fieldbook.alerts.evaluation-interval=250ms",
                "--fieldbook.alerts.notification-interval=1s",
                "--fieldbook.alerts.webhook.url=http://127.0.0.1:" + webhook.getAddress().getPort() + "/alerts",
                // the nodes share one head file, as operations.md advises, so that either one's verification sees
                // the heads the other wrote
                "--fieldbook.audit.head-file=" + files.resolve("audit-heads.log")));
        database.forEach((key, value) -> {
            if (!key.equals("fieldbook.audit.head-file")) {
                arguments.add("--" + key + "=" + value);
            }
        });
        ConfigurableApplicationContext context = new SpringApplication(FieldbookApplication.class)
                .run(arguments.toArray(String[]::new));
        nodes.put(node, context);
        return context;
    }

    private static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    private void await(String what, BooleanSupplier arrived) throws InterruptedException {
        Instant deadline = Instant.now().plus(PATIENCE);
        while (Instant.now().isBefore(deadline)) {
            if (arrived.getAsBoolean()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("No " + what + " within " + PATIENCE + "; posted " + posted);
    }
}
