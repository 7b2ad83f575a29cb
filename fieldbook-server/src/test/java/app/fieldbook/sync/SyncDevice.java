package app.fieldbook.sync;

import static app.fieldbook.Fixtures.expect;
import static org.assertj.core.api.Assertions.assertThat;

import app.fieldbook.Api;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * A device speaking the sync protocol: its own id, its cursor, operations it builds. Public for the tests of
 * other modules that push as a device would (the month-end against a workload of pushes, say).
 */
public final class SyncDevice {

    /** What a device holds after pulling, and the size of the largest page it got (records in it). */
    record Pulled(List<String> reports, List<String> photos, List<String> conflicts, List<String> sites,
            int largestPage, int pages) {
    }

    /** A field change as devices send it: the value the device started from, and its new value. */
    public static Map<String, Object> edit(Object base, Object value) {
        Map<String, Object> edit = new HashMap<>();
        edit.put("base", base);
        edit.put("value", value);
        return edit;
    }

    final UUID id = UUID.randomUUID();
    final Api api;
    private final String site;
    final Set<String> heldSites = new java.util.LinkedHashSet<>();
    String cursor = "";
    private Map<String, Object> status = Map.of("outboxDepth", 3, "oldestPendingAt", "2026-09-07T10:00:00Z",
            "pendingPhotos", 1, "appVersion", "0.1.0");

    /** A device of the person {@code api} signs in as, filing reports on {@code site} unless told otherwise. */
    /** The device's id, which its uploads name in {@code Fieldbook-Device-Id}. */
    public UUID id() {
        return id;
    }

    public SyncDevice(Api api, String site) {
        this.api = api;
        this.site = site;
    }

    /**
     * Reports this from now on with every call: {@code changes} waiting in the outbox, the oldest made at
     * {@code oldest} (null when none), and {@code photos} waiting to be uploaded.
     */
    public SyncDevice reporting(int changes, java.time.OffsetDateTime oldest, int photos) {
        Map<String, Object> reported = new HashMap<>();
        reported.put("outboxDepth", changes);
        reported.put("oldestPendingAt", oldest == null ? null : oldest.toString());
        reported.put("pendingPhotos", photos);
        reported.put("appVersion", "0.1.0");
        status = reported;
        return this;
    }

    Map<String, Object> create(UUID reportId, LocalDate date, String work) {
        return createAt(site, reportId, date, work);
    }

    public Map<String, Object> createAt(String siteId, UUID reportId, LocalDate date, String work) {
        Map<String, Object> changes = new LinkedHashMap<>();
        changes.put("siteId", edit(null, siteId));
        changes.put("date", edit(null, date.toString()));
        changes.put("workPerformed", edit(null, work));
        changes.put("crew", edit(null, List.of(Map.of("trade", "Concrete", "headcount", 3, "hours", 24))));
        return operation(reportId.toString(), "CREATE", 0, changes);
    }

    public Map<String, Object> update(String reportId, long base, Map<String, Object> changes) {
        return operation(reportId, "UPDATE", base, changes);
    }

    public Map<String, Object> delete(String reportId, long base) {
        return operation(reportId, "DELETE", base, Map.of());
    }

    public Map<String, Object> operation(String entityId, String kind, long base, Map<String, Object> changes) {
        Map<String, Object> operation = new LinkedHashMap<>();
        operation.put("operationId", UUID.randomUUID().toString());
        operation.put("entity", "DailyReport");
        operation.put("entityId", entityId);
        operation.put("kind", kind);
        operation.put("baseVersion", base);
        operation.put("changes", changes);
        operation.put("madeAt", "2026-09-07T16:30:00Z");
        return operation;
    }

    Map<String, Object> request(List<Map<String, Object>> operations) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("protocolVersion", 1);
        request.put("clientVersion", "0.1.0");
        request.put("deviceId", id.toString());
        request.put("device", status);
        request.put("operations", operations);
        return request;
    }

    JsonNode pushAll(List<Map<String, Object>> operations) {
        JsonNode results = expect(api.post("/api/v1/sync/push", request(operations)), 200).body().path("results");
        assertThat(results.size()).isEqualTo(operations.size());
        assertThat(results.valueStream().map(r -> r.path("outcome").asString())).containsOnly("APPLIED");
        return results;
    }

    /**
     * Pulls until the server has no more, as the Java client does: it reports the sites it holds (the
     * sites it was sent and the sites of its reports) and keeps what each page brings.
     */
    Pulled pullLikeAClient(int limit) {
        return pullLikeAClient(limit, 1000);
    }

    Pulled pullLikeAClient(int limit, int maxPages) {
        Set<String> reports = new java.util.LinkedHashSet<>();
        Set<String> photos = new java.util.LinkedHashSet<>();
        Set<String> conflicts = new java.util.LinkedHashSet<>();
        int largest = 0;
        int pages = 0;
        JsonNode page;
        do {
            Map<String, Object> request = request(List.of());
            request.remove("operations");
            request.put("cursor", cursor);
            request.put("limit", limit);
            request.put("knownSiteIds", List.copyOf(heldSites));
            page = expect(api.post("/api/v1/sync/pull", request), 200).body();
            cursor = page.path("cursor").asString();
            page.path("sites").valueStream().forEach(s -> heldSites.add(s.path("id").asString()));
            page.path("reports").valueStream().forEach(r -> {
                reports.add(r.path("id").asString());
                heldSites.add(r.path("siteId").asString());
            });
            page.path("deletions").valueStream().forEach(d -> reports.remove(d.path("id").asString()));
            page.path("photos").valueStream().forEach(p -> photos.add(p.path("id").asString()));
            page.path("conflicts").valueStream().forEach(c -> conflicts.add(c.path("id").asString()));
            largest = Math.max(largest, page.path("reports").size() + page.path("photos").size()
                    + page.path("conflicts").size() + page.path("deletions").size());
        } while (page.path("more").asBoolean() && ++pages < maxPages);
        List<String> sites = page.path("sites").valueStream().map(s -> s.path("id").asString()).toList();
        return new Pulled(List.copyOf(reports), List.copyOf(photos), List.copyOf(conflicts), sites, largest,
                pages + 1);
    }

    public JsonNode push(Map<String, Object> operation) {
        JsonNode results = expect(api.post("/api/v1/sync/push", request(List.of(operation))), 200).body()
                .path("results");
        assertThat(results.size()).isOne();
        return results.get(0);
    }

    /** Pulls every page; answers the last page with all reports of all pages. */
    JsonNode pullAll() {
        List<JsonNode> reports = new java.util.ArrayList<>();
        JsonNode page;
        int pages = 0;
        do {
            Map<String, Object> request = request(List.of());
            request.remove("operations");
            request.put("cursor", cursor);
            request.put("limit", 100);
            request.put("knownSiteIds", List.of(site));
            page = expect(api.post("/api/v1/sync/pull", request), 200).body();
            cursor = page.path("cursor").asString();
            page.path("reports").valueStream().forEach(reports::add);
        } while (page.path("more").asBoolean() && ++pages < 100);
        var last = (tools.jackson.databind.node.ObjectNode) page;
        last.set("reports", last.arrayNode().addAll(reports));
        return last;
    }
}
