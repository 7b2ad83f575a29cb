package app.fieldbook.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import app.fieldbook.Api;
import app.fieldbook.FieldbookApplication;
import app.fieldbook.Fixtures;
import app.fieldbook.TestDatabase;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Two nodes (two application contexts, each with its own web server, scheduler and meters) on one database (H2,
 * or PostgreSQL in the {@code postgres} run) tell an operator of a site's trouble once, not once per node: a
 * device reports changes waiting and goes silent (after {@value #SILENT_AFTER} here), and the alert
 * FieldbookSyncDeviceSilent, evaluated once in the cluster on db-scheduler, reaches the test's webhook and its mail
 * server (GreenMail) once as firing; both nodes show it alike; the node that evaluated the cluster's rules last is
 * stopped and the other carries the alert on without telling it again; the device syncs with nothing waiting, and the alert is
 * resolved once. The notification interval is a second, so a node that kept its own states would tell it again.
 */
@Tag("database")
class AlertsOnTwoNodesTest {

    static final String SILENT_AFTER = "1s";
    private static final String RULE = "FieldbookSyncDeviceSilent";
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path files;

    private final List<JsonNode> posted = new CopyOnWriteArrayList<>();
    private HttpServer webhook;
    private GreenMail mail;
    private final Map<String, ConfigurableApplicationContext> nodes = new LinkedHashMap<>();

    @BeforeEach
    void startReceivers() throws IOException {
        webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        webhook.createContext("/alerts", exchange -> {
            posted.add(JSON.readTree(exchange.getRequestBody().readAllBytes()));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        webhook.start();
        try (ServerSocket free = new ServerSocket(0)) {
            int port = free.getLocalPort();
            free.close();
            mail = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        }
        mail.start();
    }

    @AfterEach
    void stopEverything() {
        nodes.values().forEach(ConfigurableApplicationContext::close);
        webhook.stop(0);
        mail.stop();
    }

    @Test
    void aSilentDeviceIsToldOnceAsFiringAndOnceAsResolvedByTwoNodesAndATakeover() throws Exception {
        Map<String, Object> database = database();
        ConfigurableApplicationContext a = start("node-a", database);
        ConfigurableApplicationContext b = start("node-b", database);
        Fixtures world = new Fixtures(port(a));
        String site = world.site();
        Fixtures.Person worker = world.worker(site);
        UUID device = UUID.randomUUID();
        Api.Answer first = worker.api().post("/api/v1/sync/pull", pull(device, null, 3, 1));
        assertThat(first.status()).isEqualTo(200);

        await("the silent device's alert, firing, at the webhook", () -> notices(site, Alert.FIRING) == 1);
        await("the silent device's alert, firing, by mail", () -> mails(site, "FIRING") == 1);
        JsonNode notice = notice(site, Alert.FIRING);
        assertThat(notice.path("summary").asString()).isEqualTo("1 device(s) of site " + site
                + " went silent with changes or photos waiting");
        assertThat(notice.path("labels").properties()).as("a cluster's alert names no node").hasSize(1);
        JsonNode onA = alert(admin(a, world), site);
        JsonNode onB = alert(admin(b, world), site);
        assertThat(onA).as("the alert as node-a shows it").isNotNull();
        assertThat(onA.path("state").asString()).isEqualTo(Alert.FIRING);
        assertThat(onB).as("node-b shows it alike").isEqualTo(onA);
        JsonNode evaluations = admin(b, world).get("/api/v1/operations/alerts").body().path("evaluations");
        assertThat(evaluations.has("cluster") && evaluations.has("node-a") && evaluations.has("node-b"))
                .as("evaluated by the cluster and by each node: " + evaluations).isTrue();

        String evaluatedLast = evaluatedLast();
        ConfigurableApplicationContext survivor = evaluatedLast.equals("node-a") ? b : a;
        double runsBefore = clusterRuns(survivor);
        nodes.remove(evaluatedLast).close();
        await("the other node evaluating the cluster's rules", () -> clusterRuns(survivor) >= runsBefore + 8);
        JsonNode carried = alert(admin(survivor, world), site);
        assertThat(carried.path("state").asString()).as("still firing after the takeover").isEqualTo(Alert.FIRING);
        assertThat(carried.path("firingSince")).isEqualTo(onA.path("firingSince"));
        assertThat(carried.path("activeSince")).isEqualTo(onA.path("activeSince"));
        assertThat(notices(site, Alert.FIRING)).as("not told again after the takeover").isOne();
        assertThat(mails(site, "FIRING")).isOne();

        Api phone = Api.anonymous(port(survivor)).withToken(worker.api().token());
        assertThat(phone.post("/api/v1/sync/pull", pull(device, first.body().path("cursor").asString(), 0, 0))
                .status()).isEqualTo(200);
        await("the silent device's alert, resolved, at the webhook", () -> notices(site, Alert.RESOLVED) == 1);
        await("the silent device's alert, resolved, by mail", () -> mails(site, "RESOLVED") == 1);
        double resolvedAt = clusterRuns(survivor);
        await("more evaluations after the resolution", () -> clusterRuns(survivor) >= resolvedAt + 8);

        assertThat(notices(site, Alert.FIRING)).as("firing, told once").isOne();
        assertThat(notices(site, Alert.RESOLVED)).as("resolved, told once").isOne();
        assertThat(mails(site, "FIRING")).isOne();
        assertThat(mails(site, "RESOLVED")).isOne();
        assertThat(alert(admin(survivor, world), site).path("state").asString()).isEqualTo(Alert.RESOLVED);
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
                "--fieldbook.alerts.sync-device-silent.pending-for=1s",
                "--fieldbook.sync.health.silent-after=" + SILENT_AFTER,
                "--fieldbook.sync.health.refresh-interval=250ms",
                "--fieldbook.alerts.webhook.url=http://127.0.0.1:" + webhook.getAddress().getPort() + "/alerts",
                "--fieldbook.alerts.email.to=operator@fieldbook.test",
                "--spring.mail.host=127.0.0.1",
                "--spring.mail.port=" + mail.getSmtp().getPort(),
                "--fieldbook.audit.head-file=" + files.resolve(node + "-audit-heads.log")));
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

    /** The node whose run of the cluster's rules ended last (each node meters the runs it took). */
    private String evaluatedLast() {
        String last = null;
        double latest = Double.NEGATIVE_INFINITY;
        for (Map.Entry<String, ConfigurableApplicationContext> node : nodes.entrySet()) {
            TimeGauge success = node.getValue().getBean(MeterRegistry.class).find("fieldbook.job.last.success")
                    .tag("name", Alerting.CLUSTER_JOB).timeGauge();
            double at = success == null ? Double.NaN : success.value(TimeUnit.MILLISECONDS);
            if (!Double.isNaN(at) && at > latest) {
                latest = at;
                last = node.getKey();
            }
        }
        assertThat(last).as("a node that ran the cluster's rules").isNotNull();
        return last;
    }

    private static double clusterRuns(ConfigurableApplicationContext node) {
        Counter runs = node.getBean(MeterRegistry.class).find("fieldbook.job.runs").tag("name", Alerting.CLUSTER_JOB)
                .counter();
        return runs == null ? 0 : runs.count();
    }

    private static Api admin(ConfigurableApplicationContext node, Fixtures world) {
        return Api.anonymous(port(node)).withToken(world.admin().token());
    }

    private static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    /** The rule's alert of the site as {@code GET /api/v1/operations/alerts} shows it, null when there is none. */
    private static JsonNode alert(Api admin, String site) {
        Api.Answer answer = admin.get("/api/v1/operations/alerts");
        assertThat(answer.status()).isEqualTo(200);
        for (JsonNode alert : answer.body().path("alerts")) {
            if (alert.path("name").asString().equals(RULE) && site.equals(alert.path("labels").path("site").asString())) {
                return alert;
            }
        }
        return null;
    }

    private long notices(String site, String state) {
        return posted.stream().flatMap(post -> post.path("alerts").valueStream())
                .filter(alert -> RULE.equals(alert.path("name").asString())
                        && site.equals(alert.path("labels").path("site").asString())
                        && state.equals(alert.path("state").asString()))
                .count();
    }

    private JsonNode notice(String site, String state) {
        return posted.stream().flatMap(post -> post.path("alerts").valueStream())
                .filter(alert -> RULE.equals(alert.path("name").asString())
                        && site.equals(alert.path("labels").path("site").asString())
                        && state.equals(alert.path("state").asString()))
                .findFirst().orElseThrow();
    }

    private long mails(String site, String state) {
        long count = 0;
        for (MimeMessage message : mail.getReceivedMessages()) {
            try {
                if (message.getSubject().equals("[Fieldbook " + state + "] " + RULE + " (site=" + site + ")")) {
                    count++;
                }
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        }
        return count;
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

    /** A pull of the device, reporting what waits on it. */
    private static Map<String, Object> pull(UUID device, String cursor, int changes, int photos) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("protocolVersion", 1);
        request.put("clientVersion", "0.1.0");
        request.put("deviceId", device.toString());
        Map<String, Object> status = new HashMap<>();
        status.put("outboxDepth", changes);
        status.put("oldestPendingAt", changes == 0 ? null
                : OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(1).toString());
        status.put("pendingPhotos", photos);
        status.put("appVersion", "0.1.0");
        request.put("device", status);
        request.put("cursor", cursor);
        request.put("limit", 100);
        request.put("knownSiteIds", List.of());
        return request;
    }
}
