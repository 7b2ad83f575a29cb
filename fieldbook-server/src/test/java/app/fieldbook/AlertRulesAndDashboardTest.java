package app.fieldbook;

import static app.fieldbook.Fixtures.expect;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The alert rules ({@code monitoring/prometheus}) and the Grafana dashboard ({@code monitoring/grafana}) watch
 * only metrics the running server really exposes, so that neither can drift from the code: after some sync
 * activity (pushes, a conflict, a device that comes back empty) and a verification of the audit chain, every
 * metric named in a rule's expression and in a panel's query is in a scrape. And every alert has a panel.
 */
@FullStackTest
class AlertRulesAndDashboardTest {

    private static final Path RULES = Path.of("..", "monitoring", "prometheus", "fieldbook-alerts.yml");
    private static final Path DASHBOARD = Path.of("..", "monitoring", "grafana", "fieldbook.json");
    /** A series selector: a metric's name followed by its label matchers. */
    private static final Pattern SELECTOR = Pattern.compile("\\b([a-zA-Z_:][a-zA-Z0-9_:]*)\\{");
    /** A name of Fieldbook's own metrics, wherever it stands. */
    private static final Pattern FIELDBOOK_METRIC = Pattern.compile("\\bfieldbook_[a-z0-9_]+\\b");
    /** Series that Prometheus makes, not the server. */
    private static final Set<String> PROMETHEUS_OWN = Set.of("up");

    @LocalServerPort
    int port;

    @Test
    void everyMetricTheAlertRulesAndTheDashboardPanelsWatchIsExposed() throws Exception {
        Map<String, String> rules = alertRules();
        Map<String, List<String>> panels = dashboardPanels();
        assertThat(rules).as("alert rules in " + RULES).hasSizeGreaterThanOrEqualTo(12)
                .containsKeys("FieldbookBackgroundJobFailed", "FieldbookSyncChangesWaiting",
                        "FieldbookSyncDeviceSilent", "FieldbookSyncDeviceDataLost", "FieldbookSyncConflictsOpen", "FieldbookAuditChainBroken");
        assertThat(panels).as("panels in " + DASHBOARD).isNotEmpty();

        Set<String> watched = new TreeSet<>();
        rules.values().forEach(expression -> watched.addAll(metricsIn(expression)));
        panels.values().forEach(queries -> queries.forEach(query -> watched.addAll(metricsIn(query))));
        watched.removeAll(PROMETHEUS_OWN);
        assertThat(watched).contains("fieldbook_job_failures_total", "fieldbook_sync_devices_silent",
                "fieldbook_sync_devices_data_lost_total", "fieldbook_audit_chain_intact",
                "http_server_requests_seconds_bucket", "hikaricp_connections_pending");

        Fixtures world = new Fixtures(port);
        syncActivity(world);
        expect(world.admin().get("/api/v1/audit/verification"), 200);
        Set<String> missing = missing(Scrape.prometheus(port), watched);
        // the background jobs' series appear with their first run, the figures read from the database a scrape
        // after their first read
        for (int attempt = 0; attempt < 60 && !missing.isEmpty(); attempt++) {
            Thread.sleep(500);
            missing = missing(Scrape.prometheus(port), watched);
        }
        assertThat(missing).as("metrics the rules or the dashboard watch that the server does not expose").isEmpty();
    }

    @Test
    void everyAlertHasAPanelThatShowsItsSignal() throws Exception {
        Map<String, String> rules = alertRules();
        Map<String, List<String>> panels = dashboardPanels();
        JsonNode dashboard = JsonMapper.builder().build().readTree(Files.readString(DASHBOARD));
        for (Map.Entry<String, String> rule : rules.entrySet()) {
            Set<String> signal = metricsIn(rule.getValue());
            List<String> showing = new ArrayList<>();
            for (JsonNode panel : dashboard.path("panels")) {
                Set<String> shown = new TreeSet<>();
                panels.get(panel.path("title").asString()).forEach(query -> shown.addAll(metricsIn(query)));
                if (panel.path("description").asString().contains("Alert: ") && panel.path("description").asString()
                        .contains(rule.getKey()) && shown.containsAll(signal)) {
                    showing.add(panel.path("title").asString());
                }
            }
            assertThat(showing).as("panels naming alert " + rule.getKey() + " and showing " + signal).isNotEmpty();
        }
    }

    /** Pushes from two devices of a site (a conflict among them), and a device that comes back empty. */
    private static void syncActivity(Fixtures world) {
        String site = world.site();
        Fixtures.Person worker = world.worker(site);
        UUID report = UUID.randomUUID();
        UUID phone = UUID.randomUUID();
        push(worker, phone, 4, operation(report, "CREATE", 0, Map.of("siteId", edit(null, site),
                "date", edit(null, LocalDate.of(2026, 11, 3).toString()), "workPerformed", edit(null, "Formwork"))));
        push(worker, phone, 3, operation(report, "UPDATE", 1, Map.of("workPerformed", edit("Formwork", "Rebar"))));
        push(worker, UUID.randomUUID(), 1,
                operation(report, "UPDATE", 1, Map.of("workPerformed", edit("Formwork", "Pour"))));
        Map<String, Object> empty = envelope(phone, 0);
        empty.put("cursor", null);
        empty.put("limit", 100);
        empty.put("knownSiteIds", List.of());
        JsonNode pulled = expect(worker.api().post("/api/v1/sync/pull", empty), 200).body();
        assertThat(pulled.path("lostOnDevice").path("changes").asInt()).as("the device came back empty").isPositive();
    }

    private static void push(Fixtures.Person worker, UUID device, int waiting, Map<String, Object> operation) {
        Map<String, Object> request = envelope(device, waiting);
        request.put("operations", List.of(operation));
        expect(worker.api().post("/api/v1/sync/push", request), 200);
    }

    private static Map<String, Object> envelope(UUID device, int waiting) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("protocolVersion", 1);
        request.put("clientVersion", "0.1.0");
        request.put("deviceId", device.toString());
        Map<String, Object> status = new HashMap<>();
        status.put("outboxDepth", waiting);
        status.put("oldestPendingAt",
                waiting == 0 ? null : OffsetDateTime.now(ZoneOffset.UTC).minusHours(1).toString());
        status.put("pendingPhotos", 0);
        status.put("appVersion", "0.1.0");
        request.put("device", status);
        return request;
    }

    private static Map<String, Object> operation(UUID report, String kind, long base, Map<String, Object> changes) {
        Map<String, Object> operation = new LinkedHashMap<>();
        operation.put("operationId", UUID.randomUUID().toString());
        operation.put("entity", "DailyReport");
        operation.put("entityId", report.toString());
        operation.put("kind", kind);
        operation.put("baseVersion", base);
        operation.put("changes", changes);
        operation.put("madeAt", OffsetDateTime.now(ZoneOffset.UTC).toString());
        return operation;
    }

    private static Map<String, Object> edit(Object base, Object value) {
        Map<String, Object> edit = new HashMap<>();
        edit.put("base", base);
        edit.put("value", value);
        return edit;
    }

    /** Each alert's expression, by the alert's name. */
    @SuppressWarnings("unchecked")
    private static Map<String, String> alertRules() throws Exception {
        Map<String, Object> file = new Yaml().load(Files.readString(RULES));
        Map<String, String> rules = new TreeMap<>();
        for (Map<String, Object> group : (List<Map<String, Object>>) file.get("groups")) {
            for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
                rules.put((String) rule.get("alert"), (String) rule.get("expr"));
            }
        }
        return rules;
    }

    /** Each panel's queries, by the panel's title. */
    private static Map<String, List<String>> dashboardPanels() throws Exception {
        JsonNode dashboard = JsonMapper.builder().build().readTree(Files.readString(DASHBOARD));
        Map<String, List<String>> panels = new LinkedHashMap<>();
        for (JsonNode panel : dashboard.path("panels")) {
            List<String> queries = panel.path("targets").valueStream().map(target -> target.path("expr").asString())
                    .toList();
            assertThat(queries).as("queries of panel " + panel.path("title")).isNotEmpty().doesNotContain("");
            assertThat(panels.put(panel.path("title").asString(), queries)).as("another panel with its title").isNull();
        }
        return panels;
    }

    /**
     * The metrics a PromQL expression selects. Every one must stand with its label matchers
     * ({@code name{job="fieldbook"}}), so that none is overlooked.
     */
    static Set<String> metricsIn(String expression) {
        Set<String> metrics = new TreeSet<>();
        Matcher selector = SELECTOR.matcher(expression);
        while (selector.find()) {
            metrics.add(selector.group(1));
        }
        Matcher named = FIELDBOOK_METRIC.matcher(expression);
        while (named.find()) {
            assertThat(metrics).as("%s in %s stands with label matchers", named.group(), expression)
                    .contains(named.group());
        }
        assertThat(metrics).as("metrics in " + expression).isNotEmpty();
        return metrics;
    }

    private static Set<String> missing(Api prometheus, Set<String> watched) {
        Set<String> exposed = Scrape.of(prometheus).names();
        Set<String> missing = new TreeSet<>(watched);
        missing.removeAll(exposed);
        return missing;
    }
}
