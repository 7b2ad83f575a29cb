package app.fieldbook.sync;

import static app.fieldbook.Fixtures.expect;
import static app.fieldbook.sync.SyncDevice.edit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import app.fieldbook.Api;
import app.fieldbook.Fixtures;
import app.fieldbook.Fixtures.Person;
import app.fieldbook.FullStackTest;
import app.fieldbook.Scrape;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * The sync health metrics, from real pushes and pulls over HTTP: what the devices of a site report waiting,
 * devices gone silent with something waiting, devices that came back empty, open conflicts, and the pushed
 * operations by what became of them. The figures read from the database are read again four times a second in
 * the tests ({@code fieldbook.sync.health.refresh-interval}); a site's series appear with its first read.
 */
@FullStackTest
class SyncHealthMetricsTest {

    private static final LocalDate DAY = LocalDate.of(2026, 11, 2);

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    Fixtures world;
    Api admin;
    String site;
    Person worker;

    @BeforeEach
    void world() {
        world = new Fixtures(port);
        admin = world.admin();
        site = world.site();
        worker = world.worker(site);
    }

    @Test
    void whatWaitsOnASitesDevicesIsMeteredBySiteAndADeviceSilentWithChangesWaitingCounts() throws Exception {
        OffsetDateTime threeHoursAgo = OffsetDateTime.now(ZoneOffset.UTC).minusHours(3);
        SyncDevice phone = new SyncDevice(worker.api(), site).reporting(5, threeHoursAgo, 2);
        phone.pullAll();
        phone.pushAll(List.of(phone.create(UUID.randomUUID(), DAY, "Trenching"),
                phone.create(UUID.randomUUID(), DAY.plusDays(1), "Backfill")));
        SyncDevice tablet = new SyncDevice(world.worker(site).api(), site).reporting(0, null, 0);
        tablet.pullAll();

        Map<String, String> ofSite = Map.of("site", site);
        assertThat(Scrape.awaited(Scrape.prometheus(port), "fieldbook_sync_devices", ofSite, devices -> devices == 2)).isEqualTo(2);
        Scrape scrape = Scrape.of(Scrape.prometheus(port));
        assertThat(scrape.value("fieldbook_sync_changes_waiting", ofSite)).as("5 reported, 2 of them answered")
                .contains(3.0);
        assertThat(scrape.value("fieldbook_sync_photos_waiting", ofSite)).contains(2.0);
        assertThat(scrape.value("fieldbook_sync_oldest_waiting_change_age_seconds", ofSite).orElseThrow())
                .isCloseTo(Duration.ofHours(3).toSeconds(), within(300.0));
        assertThat(scrape.value("fieldbook_sync_devices_silent", ofSite)).contains(0.0);
        assertThat(scrape.labelValues()).as("no series per device or person")
                .doesNotContain(phone.id.toString(), tablet.id.toString(), worker.id());

        jdbc.sql("UPDATE sync_devices SET last_seen_at = ? WHERE device_id = ?")
                .params(OffsetDateTime.now(ZoneOffset.UTC).minusHours(9), phone.id).update();
        jdbc.sql("UPDATE sync_devices SET last_seen_at = ? WHERE device_id = ?")
                .params(OffsetDateTime.now(ZoneOffset.UTC).minusHours(9), tablet.id).update();
        assertThat(Scrape.awaited(Scrape.prometheus(port), "fieldbook_sync_devices_silent", ofSite, silent -> silent > 0))
                .as("silent longer than fieldbook.sync.health.silent-after (8 h): only the one with changes waiting")
                .isEqualTo(1);

        phone.reporting(0, null, 0).pullAll();
        assertThat(Scrape.awaited(Scrape.prometheus(port), "fieldbook_sync_changes_waiting", ofSite, waiting -> waiting == 0)).isZero();
        assertThat(Scrape.of(Scrape.prometheus(port)).value("fieldbook_sync_devices_silent", ofSite)).contains(0.0);
        assertThat(Scrape.of(Scrape.prometheus(port)).value("fieldbook_sync_oldest_waiting_change_age_seconds", ofSite)).contains(0.0);
    }

    @Test
    void administratorsSeeEachSitesSyncHealthAsTheMetricsShowIt() throws Exception {
        OffsetDateTime twoHoursAgo = OffsetDateTime.now(ZoneOffset.UTC).minusHours(2);
        SyncDevice phone = new SyncDevice(worker.api(), site).reporting(6, twoHoursAgo, 3);
        phone.pullAll();
        assertThat(Scrape.awaited(Scrape.prometheus(port), "fieldbook_sync_changes_waiting", Map.of("site", site),
                waiting -> waiting == 6)).isEqualTo(6);

        JsonNode health = expect(admin.get("/api/v1/operations/sync-health"), 200).body();
        assertThat(health.path("readAt").asString()).isNotEmpty();
        assertThat(health.path("silentAfter").asString()).isEqualTo("PT8H");
        JsonNode ofSite = null;
        for (JsonNode candidate : health.path("sites")) {
            if (site.equals(candidate.path("siteId").asString())) {
                ofSite = candidate;
            }
        }
        assertThat(ofSite).as("the site's row").isNotNull();
        JsonNode known = expect(admin.get("/api/v1/sites/" + site), 200).body();
        assertThat(ofSite.path("code").asString()).isEqualTo(known.path("code").asString());
        assertThat(ofSite.path("name").asString()).isEqualTo(known.path("name").asString());
        assertThat(ofSite.path("devices").asLong()).isEqualTo(1);
        assertThat(ofSite.path("changesWaiting").asLong()).isEqualTo(6);
        assertThat(ofSite.path("photosWaiting").asLong()).isEqualTo(3);
        assertThat(OffsetDateTime.parse(ofSite.path("oldestWaiting").asString()).toInstant())
                .isCloseTo(twoHoursAgo.toInstant(), within(1, java.time.temporal.ChronoUnit.SECONDS));
        assertThat(OffsetDateTime.parse(ofSite.path("lastSeen").asString()))
                .isAfter(OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(5));
        assertThat(ofSite.path("silent").asLong()).isZero();
        assertThat(worker.api().get("/api/v1/operations/sync-health").status()).isEqualTo(403);
    }

    @Test
    void theDevicesOfAPersonWithoutAssignedSitesCountUnderNoSite() throws Exception {
        Person executive = world.executive();
        Map<String, Object> pull = new SyncDevice(executive.api(), site)
                .reporting(4, OffsetDateTime.now(ZoneOffset.UTC), 0).request(List.of());
        pull.remove("operations");
        pull.put("cursor", "");
        pull.put("limit", 1);
        pull.put("knownSiteIds", List.of());
        expect(executive.api().post("/api/v1/sync/pull", pull), 200);
        assertThat(Scrape.awaited(Scrape.prometheus(port), "fieldbook_sync_changes_waiting", Map.of("site", SyncMeters.NO_SITE),
                waiting -> waiting >= 4)).isGreaterThanOrEqualTo(4);
    }

    @Test
    void pushedOperationsAreCountedByWhatBecameOfThemAndOpenConflictsBySite() throws Exception {
        Scrape before = Scrape.of(Scrape.prometheus(port));
        SyncDevice phone = new SyncDevice(worker.api(), site);
        SyncDevice tablet = new SyncDevice(worker.api(), site);
        SyncDevice laptop = new SyncDevice(worker.api(), site);
        String report = phone.push(phone.create(UUID.randomUUID(), DAY, "Formwork")).path("entityId").asString();
        JsonNode applied = phone.push(phone.update(report, 1, Map.of("workPerformed", edit("Formwork", "Rebar"))));
        JsonNode merged = tablet.push(tablet.update(report, 1, Map.of("delays", edit(null, "Crane late"))));
        JsonNode conflict = laptop.push(laptop.update(report, 1, Map.of("workPerformed", edit("Formwork", "Pour"))));
        JsonNode refused = phone.push(phone.update(UUID.randomUUID().toString(), 1, Map.of("notes", edit(null, "?"))));
        Map<String, Object> once = phone.update(report, conflict.path("entityVersion").asLong(),
                Map.of("notes", edit(null, "Sent twice")));
        JsonNode sent = phone.push(once);
        JsonNode replayed = phone.push(once);
        assertThat(List.of(applied, merged, conflict, refused, sent).stream().map(r -> r.path("outcome").asString()))
                .containsExactly("APPLIED", "APPLIED", "CONFLICT", "REJECTED", "APPLIED");
        assertThat(replayed).isEqualTo(sent);

        Scrape after = Scrape.of(Scrape.prometheus(port));
        assertThat(counted(before, after, "applied")).as("the create, an edit, and the one sent twice").isEqualTo(3);
        assertThat(counted(before, after, "merged")).as("an edit of a report changed meanwhile").isEqualTo(1);
        assertThat(counted(before, after, "conflict")).isEqualTo(1);
        assertThat(counted(before, after, "refused")).isEqualTo(1);

        Map<String, String> ofSite = Map.of("site", site);
        assertThat(Scrape.awaited(Scrape.prometheus(port), "fieldbook_sync_conflicts_open", ofSite, open -> open == 1)).isEqualTo(1);
        jdbc.sql("UPDATE sync_conflicts SET created_at = ? WHERE site_id = ?")
                .params(OffsetDateTime.now(ZoneOffset.UTC).minusDays(4), UUID.fromString(site)).update();
        assertThat(Scrape.awaited(Scrape.prometheus(port), "fieldbook_sync_oldest_open_conflict_age_seconds", ofSite,
                age -> age > Duration.ofDays(3).toSeconds()))
                .isCloseTo(Duration.ofDays(4).toSeconds(), within(300.0));
    }

    @Test
    void aDeviceThatCameBackWithItsDataGoneIsCountedAtItsSite() {
        Scrape before = Scrape.of(Scrape.prometheus(port));
        SyncDevice phone = new SyncDevice(worker.api(), site);
        phone.reporting(3, OffsetDateTime.now(ZoneOffset.UTC).minusHours(1), 1)
                .pushAll(List.of(phone.create(UUID.randomUUID(), DAY, "Trenching")));
        Map<String, Object> empty = phone.reporting(0, null, 0).request(List.of());
        empty.remove("operations");
        empty.put("cursor", null);
        empty.put("limit", 100);
        empty.put("knownSiteIds", List.of());
        JsonNode told = expect(worker.api().post("/api/v1/sync/pull", empty), 200).body();
        assertThat(told.path("lostOnDevice").path("changes").asInt()).isEqualTo(2);

        Scrape after = Scrape.of(Scrape.prometheus(port));
        Map<String, String> ofSite = Map.of("site", site);
        assertThat(after.count("fieldbook_sync_devices_data_lost_total", ofSite)
                - before.count("fieldbook_sync_devices_data_lost_total", ofSite)).isEqualTo(1);
        assertThat(after.count("fieldbook_sync_changes_lost_total", ofSite)).isEqualTo(2);
        assertThat(after.count("fieldbook_sync_photos_lost_total", ofSite)).isEqualTo(1);
    }

    private static double counted(Scrape before, Scrape after, String outcome) {
        Map<String, String> labels = new HashMap<>(Map.of("outcome", outcome));
        return after.count("fieldbook_sync_operations_total", labels)
                - before.count("fieldbook_sync_operations_total", labels);
    }
}
