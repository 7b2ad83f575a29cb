package app.fieldbook.sync;

import static app.fieldbook.Fixtures.expect;
import static org.assertj.core.api.Assertions.assertThat;

import app.fieldbook.Fixtures;
import app.fieldbook.Fixtures.Person;
import app.fieldbook.FullStackTest;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * A device whose data was deleted (a browser evicting the app's storage) comes back empty while the server
 * knows it had changes or photos waiting: it is told what was lost until it pulls with a cursor (it stored the
 * notice), and the loss is logged and audited once.
 */
@FullStackTest
@ExtendWith(OutputCaptureExtension.class)
class DeviceDataLossTest {

    private static final String PHOTO_SHA256 = "a".repeat(64);

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    Fixtures world;
    String site;
    Person worker;
    UUID device;

    @BeforeEach
    void world() {
        world = new Fixtures(port);
        site = world.site();
        worker = world.worker(site);
        device = UUID.randomUUID();
    }

    @Test
    void aDeviceThatComesBackEmptyWhileChangesAndAPhotoWaitedIsToldUntilItHasACursorAndTheLossIsLoggedAndAuditedOnce(
            CapturedOutput output) {
        UUID report = UUID.randomUUID();
        Map<String, Object> create = operation("DailyReport", report, Map.of(
                "siteId", edit(site), "date", edit("2026-10-05"), "workPerformed", edit("Trenching")));
        Map<String, Object> photo = operation("Photo", UUID.randomUUID(), Map.of(
                "reportId", edit(report.toString()), "sha256", edit(PHOTO_SHA256), "size", edit(1000)));
        expect(worker.api().post("/api/v1/sync/push", push(4, 1, List.of(create, photo))), 200);
        assertThat(pull("", 2, 1).path("lostOnDevice").isNull()).isTrue();

        JsonNode empty = pull(null, 0, 0);
        assertThat(empty.path("lostOnDevice").path("changes").asInt()).isEqualTo(2);
        assertThat(empty.path("lostOnDevice").path("photos").asInt()).isEqualTo(1);
        assertThat(empty.path("lostOnDevice").path("lastReportedAt").asString()).isNotBlank();
        JsonNode again = pull(null, 0, 0);
        assertThat(again.path("lostOnDevice")).as("told again while the device has no cursor")
                .isEqualTo(empty.path("lostOnDevice"));
        assertThat(pull(again.path("cursor").asString(), 0, 0).path("lostOnDevice").isNull()).isTrue();
        assertThat(pull(null, 0, 0).path("lostOnDevice").isNull()).as("not after it pulled with a cursor").isTrue();

        assertThat(output.getOut()).contains("WARN").contains("Device " + device + " came back empty: 2 changes and 1 photos");
        Map<String, Object> audited = jdbc.sql("SELECT * FROM audit_events WHERE action = 'DEVICE_DATA_LOST' AND entity_id = ?")
                .param(device.toString()).query().singleRow();
        assertThat(audited.get("entity_type")).isEqualTo("Device");
        assertThat(audited.get("actor_id")).isEqualTo(UUID.fromString(worker.id()));
        assertThat((String) audited.get("changes")).contains("\"changes\":{\"before\":null,\"after\":2}")
                .contains("\"photos\":{\"before\":null,\"after\":1}").contains(worker.id());
        JsonNode trail = expect(world.administrator().api().get("/api/v1/audit/events?entityType=Device&entityId=" + device), 200)
                .body();
        assertThat(trail.path("items").valueStream().map(event -> event.path("action").asString()))
                .containsExactly("DEVICE_DATA_LOST");
    }

    @Test
    void changesTheServerAnsweredNoLongerCountAsWaitingOnTheDevice() {
        Map<String, Object> create = operation("DailyReport", UUID.randomUUID(), Map.of(
                "siteId", edit(site), "date", edit("2026-10-06"), "workPerformed", edit("Backfill")));
        expect(worker.api().post("/api/v1/sync/push", push(1, 0, List.of(create))), 200);
        assertThat(jdbc.sql("SELECT outbox_depth FROM sync_devices WHERE device_id = ?").param(device)
                .query(Integer.class).single()).isZero();

        assertThat(pull(null, 0, 0).path("lostOnDevice").isNull()).isTrue();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_events WHERE action = 'DEVICE_DATA_LOST' AND entity_id = ?")
                .param(device.toString()).query(Long.class).single()).isZero();
    }

    @Test
    void aNewDeviceOrOneThatKeptItsCursorIsNotToldOfALoss() {
        assertThat(pull(null, 0, 0).path("lostOnDevice").isNull()).as("a new device").isTrue();
        String cursor = pull("", 3, 0).path("cursor").asString();
        assertThat(pull(cursor, 0, 0).path("lostOnDevice").isNull()).as("its changes were sent").isTrue();
        assertThat(pull(null, 0, 0).path("lostOnDevice").isNull()).as("nothing waited any more").isTrue();
    }

    private JsonNode pull(String cursor, int waiting, int photos) {
        Map<String, Object> request = envelope(waiting, photos);
        request.put("cursor", cursor);
        request.put("limit", 500);
        request.put("knownSiteIds", List.of());
        return expect(worker.api().post("/api/v1/sync/pull", request), 200).body();
    }

    private Map<String, Object> push(int waiting, int photos, List<Map<String, Object>> operations) {
        Map<String, Object> request = envelope(waiting, photos);
        request.put("operations", operations);
        return request;
    }

    private Map<String, Object> envelope(int waiting, int photos) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("protocolVersion", 1);
        request.put("clientVersion", "0.1.0");
        request.put("deviceId", device.toString());
        Map<String, Object> status = new HashMap<>();
        status.put("outboxDepth", waiting);
        status.put("oldestPendingAt", waiting == 0 ? null : "2026-10-05T10:00:00Z");
        status.put("pendingPhotos", photos);
        status.put("appVersion", "0.1.0");
        request.put("device", status);
        return request;
    }

    private static Map<String, Object> operation(String entity, UUID id, Map<String, Object> changes) {
        Map<String, Object> operation = new LinkedHashMap<>();
        operation.put("operationId", UUID.randomUUID().toString());
        operation.put("entity", entity);
        operation.put("entityId", id.toString());
        operation.put("kind", "CREATE");
        operation.put("baseVersion", 0);
        operation.put("changes", changes);
        operation.put("madeAt", "2026-10-05T10:00:00Z");
        return operation;
    }

    private static Map<String, Object> edit(Object value) {
        Map<String, Object> edit = new HashMap<>();
        edit.put("base", null);
        edit.put("value", value);
        return edit;
    }
}
