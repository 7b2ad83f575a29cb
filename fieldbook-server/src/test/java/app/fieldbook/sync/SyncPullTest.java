package app.fieldbook.sync;

import static app.fieldbook.Fixtures.expect;
import static app.fieldbook.sync.SyncDevice.edit;
import static org.assertj.core.api.Assertions.assertThat;

import app.fieldbook.Fixtures;
import app.fieldbook.Fixtures.Person;
import app.fieldbook.FullStackTest;
import app.fieldbook.InsertsAtCommit;
import app.fieldbook.sync.pull.ChangeFeed;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/** Pulling over HTTP: a device gets what changed since its cursor, within what its person may see. */
@FullStackTest
class SyncPullTest {

    private static final LocalDate DAY = LocalDate.of(2026, 9, 7);

    @LocalServerPort
    int port;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    ChangeFeed feed;

    @Autowired
    InsertsAtCommit inserts;

    Fixtures world;
    String site;
    Person worker;
    Person manager;
    SyncDevice phone;

    @BeforeEach
    void world() {
        world = new Fixtures(port);
        site = world.site();
        worker = world.worker(site);
        manager = world.manager(world.portfolio(site));
        phone = new SyncDevice(worker.api(), site);
    }

    @Test
    void aChangeCommittedAfterALaterOneIsStillPulled() throws Exception {
        String early = phone.push(phone.create(UUID.randomUUID(), DAY.plusDays(7), "early")).path("entityId").asString();
        phone.pullAll();
        CountDownLatch written = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        var executor = Executors.newSingleThreadExecutor();
        try {
            Future<?> slow = executor.submit(() -> transactions.executeWithoutResult(status -> {
                feed.record("DailyReport", UUID.fromString(early), UUID.fromString(site), false);
                inserts.flush(); // the row is in the table, not committed, while a later change commits
                written.countDown();
                await(release);
            }));
            assertThat(written.await(10, TimeUnit.SECONDS)).isTrue();
            String later = phone.push(phone.create(UUID.randomUUID(), DAY.plusDays(8), "later")).path("entityId").asString();
            JsonNode before = phone.pullAll();
            assertThat(ids(before)).contains(later).doesNotContain(early);
            release.countDown();
            slow.get(10, TimeUnit.SECONDS);
            JsonNode after = phone.pullAll();
            assertThat(ids(after)).contains(early);
        } finally {
            release.countDown();
            executor.shutdownNow();
        }
    }

    @Test
    void aDeviceThatLostASiteIsToldToDropItsData() {
        phone.push(phone.create(UUID.randomUUID(), DAY.plusDays(9), "x"));
        JsonNode first = phone.pullAll();
        assertThat(first.path("sites").valueStream().map(s -> s.path("id").asString())).contains(site);
        expect(world.admin().put("/api/v1/users/" + worker.id() + "/sites", Map.of("siteIds", List.of())), 200);
        JsonNode after = phone.pullAll();
        assertThat(after.path("dropSiteIds").valueStream().map(JsonNode::asString)).containsExactly(site);
        assertThat(after.path("sites").size()).isZero();
    }

    @Test
    void aDeviceGivenASiteGetsItsWholeHistoryPageByPage() throws Exception {
        String other = world.site();
        Person builder = world.worker(other);
        SyncDevice buildersPhone = new SyncDevice(builder.api(), site);
        SyncDevice buildersTablet = new SyncDevice(builder.api(), site);
        List<Map<String, Object>> creates = new java.util.ArrayList<>();
        for (int day = 0; day < 120; day++) {
            creates.add(buildersPhone.createAt(other, UUID.randomUUID(), DAY.minusDays(day), "Day " + day));
        }
        List<String> history = buildersPhone.pushAll(creates).valueStream()
                .map(result -> result.path("entityId").asString()).toList();
        String edited = history.get(0);
        buildersPhone.push(buildersPhone.update(edited, 1, Map.of("notes", edit(null, "From the phone"))));
        JsonNode conflicted = buildersTablet.push(buildersTablet.update(edited, 1,
                Map.of("notes", edit(null, "From the tablet"))));
        assertThat(conflicted.path("outcome").asString()).isEqualTo("CONFLICT");
        String conflict = conflicted.path("conflictIds").get(0).asString();
        String removed = history.get(1);
        buildersPhone.push(buildersPhone.delete(removed, 1));
        byte[] jpeg = app.fieldbook.Images.jpeg(64, 64);
        UUID photo = UUID.randomUUID();
        Map<String, Object> announce = buildersPhone.operation(photo.toString(), "CREATE", 0, Map.of(
                "reportId", edit(null, history.get(2)), "sha256", edit(null, java.util.HexFormat.of().formatHex(
                        java.security.MessageDigest.getInstance("SHA-256").digest(jpeg))),
                "size", edit(null, jpeg.length)));
        announce.put("entity", "Photo");
        assertThat(buildersPhone.push(announce).path("outcome").asString()).isEqualTo("APPLIED");
        String third = world.site();
        SyncDevice thirdsPhone = new SyncDevice(world.worker(third).api(), site);
        List<Map<String, Object>> thirdCreates = new java.util.ArrayList<>();
        for (int day = 0; day < 40; day++) {
            thirdCreates.add(thirdsPhone.createAt(third, UUID.randomUUID(), DAY.minusDays(day), "Third " + day));
        }
        List<String> thirdHistory = thirdsPhone.pushAll(thirdCreates).valueStream()
                .map(result -> result.path("entityId").asString()).toList();

        String portfolio = world.portfolio(site);
        Person boss = world.manager(portfolio);
        SyncDevice bossesPhone = new SyncDevice(boss.api(), site);
        phone.push(phone.create(UUID.randomUUID(), DAY.plusDays(30), "On the first site"));
        SyncDevice.Pulled before = bossesPhone.pullLikeAClient(25);
        assertThat(before.reports()).doesNotContainAnyElementsOf(history);
        assertThat(before.sites()).containsExactly(site);

        expect(world.admin().put("/api/v1/users/" + boss.id() + "/portfolios",
                Map.of("portfolioIds", List.of(portfolio, world.portfolio(other, third)))), 200);
        SyncDevice.Pulled after = bossesPhone.pullLikeAClient(25);

        List<String> live = history.stream().filter(id -> !id.equals(removed)).toList();
        assertThat(after.reports()).containsAll(live).containsAll(thirdHistory).doesNotContain(removed);
        assertThat(after.photos()).containsExactly(photo.toString());
        assertThat(after.conflicts()).containsExactly(conflict);
        assertThat(after.sites()).containsExactlyInAnyOrder(site, other, third);
        assertThat(after.largestPage()).isLessThanOrEqualTo(25);
        assertThat(after.pages()).isGreaterThan((live.size() + thirdHistory.size()) / 25).isLessThan(20);

        SyncDevice.Pulled again = bossesPhone.pullLikeAClient(25);
        assertThat(again.reports()).as("nothing is sent twice once the device holds the sites").isEmpty();
        assertThat(again.pages()).isOne();
    }

    @Test
    void aSiteGivenWhileTheDeviceCatchesUpOnAnotherIsNotSkipped() {
        List<String> twoSites = new java.util.ArrayList<>(List.of(world.site(), world.site()));
        twoSites.sort(java.util.Comparator.naturalOrder());
        String first = twoSites.get(0);
        String second = twoSites.get(1);
        Map<String, List<String>> histories = new HashMap<>();
        for (String each : twoSites) {
            SyncDevice filer = new SyncDevice(world.worker(each).api(), site);
            List<Map<String, Object>> creates = new java.util.ArrayList<>();
            for (int day = 0; day < 30; day++) {
                creates.add(filer.createAt(each, UUID.randomUUID(), DAY.minusDays(day), "History " + day));
            }
            histories.put(each, filer.pushAll(creates).valueStream()
                    .map(result -> result.path("entityId").asString()).toList());
        }
        String own = world.portfolio(site);
        Person boss = world.manager(own);
        SyncDevice bossesPhone = new SyncDevice(boss.api(), site);
        phone.push(phone.create(UUID.randomUUID(), DAY.plusDays(31), "So the feed is past the start"));
        bossesPhone.pullLikeAClient(10);

        // the round starts on the site that sorts second, and the one that sorts first comes during it
        String secondsPortfolio = world.portfolio(second);
        expect(world.admin().put("/api/v1/users/" + boss.id() + "/portfolios",
                Map.of("portfolioIds", List.of(own, secondsPortfolio))), 200);
        SyncDevice.Pulled started = bossesPhone.pullLikeAClient(10, 1);
        assertThat(started.sites()).doesNotContain(second);
        expect(world.admin().put("/api/v1/users/" + boss.id() + "/portfolios",
                Map.of("portfolioIds", List.of(own, secondsPortfolio, world.portfolio(first)))), 200);
        SyncDevice.Pulled rest = bossesPhone.pullLikeAClient(10);
        SyncDevice.Pulled nextSync = bossesPhone.pullLikeAClient(10);

        Set<String> held = new java.util.HashSet<>(started.reports());
        held.addAll(rest.reports());
        held.addAll(nextSync.reports());
        assertThat(held).containsAll(histories.get(second)).containsAll(histories.get(first));
        assertThat(nextSync.sites()).contains(first, second);
    }

    @Test
    void aPullShowsOnlyWhatTheCallerMaySee() {
        String otherSite = world.site();
        Person stranger = world.worker(otherSite);
        SyncDevice strangers = new SyncDevice(stranger.api(), site);
        String mine = phone.push(phone.create(UUID.randomUUID(), DAY.plusDays(10), "mine")).path("entityId").asString();
        assertThat(ids(strangers.pullAll())).doesNotContain(mine);
        JsonNode managers = new SyncDevice(manager.api(), site).pullAll();
        assertThat(ids(managers)).contains(mine);
        assertThat(managers.path("people").valueStream().map(p -> p.path("id").asString() + " " + p.path("name")
                .asString())).contains(worker.id() + " Test " + worker.login(), manager.id() + " Test " + manager.login());
    }

    private static List<String> ids(JsonNode pull) {
        return pull.path("reports").valueStream().map(r -> r.path("id").asString()).toList();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
