package app.fieldbook.webapp;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import app.fieldbook.Fixtures;
import app.fieldbook.TestDatabase;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.ViewportSize;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.ContextConfiguration;
import tools.jackson.databind.JsonNode;

/**
 * The operations page in Chromium: an administrator sees the alerts the server evaluates itself (a device of a
 * site gone silent with changes waiting, pending) and the sync health of each site (devices, changes and photos
 * waiting, the oldest waiting, last seen), at desktop and phone size. Axe runs on each. The silent device's alert
 * is evaluated once in the cluster, on db-scheduler: this context's scheduler polls twice a second, not hourly as
 * the tests' usual one does. On H2 only, like the other browser tests.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"fieldbook.jobs.polling-interval=500ms", "fieldbook.alerts.enabled=true"})
@ContextConfiguration(initializers = TestDatabase.class)
@ActiveProfiles("test")
class OperationsWebAppTest extends BrowserTest {

    @Autowired
    JdbcClient jdbc;

    @Test
    void anAdministratorSeesTheAlertsAndTheSyncHealthOfEachSite() throws Exception {
        Fixtures world = new Fixtures(port);
        String site = world.site();
        String code = world.admin().get("/api/v1/sites/" + site).body().path("code").asString();
        Fixtures.Person worker = world.worker(site);
        UUID device = UUID.randomUUID();
        assertThat(worker.api().post("/api/v1/sync/pull", pull(device, 4, 2)).status()).isEqualTo(200);
        jdbc.sql("UPDATE sync_devices SET last_seen_at = ? WHERE device_id = ?")
                .params(OffsetDateTime.now(ZoneOffset.UTC).minusHours(9), device).update();

        awaitSilentDeviceAlert(world, site);

        List<String> problems = new ArrayList<>();
        for (ViewportSize size : List.of(Browsers.DESKTOP, Browsers.PHONE)) {
            try (BrowserContext browser = browsers.open(browsers.newProfile(), size)) {
                Page page = Browsers.page(browser);
                page.navigate("http://localhost:" + port + "/");
                page.locator("#login").fill("test-admin");
                page.locator("#password").fill("granite-kettle-orbit");
                page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in").setExact(true)).click();
                assertThat(page.locator("nav a[href='#/operations']")).isVisible();
                page.locator("nav a[href='#/operations']").click();
                Locator silent = page.getByTestId("alert-list")
                        .locator("tr[data-alert='FieldbookSyncDeviceSilent']").filter(new Locator.FilterOptions()
                                .setHasText(code));
                assertThat(silent).containsText("Pending");
                assertThat(silent).containsText("went silent with changes or photos waiting");
                Locator row = page.getByTestId("site-health").locator("tr[data-site='" + site + "']");
                assertThat(row).containsText(code);
                assertThat(row.locator("td").nth(0)).hasText("1");
                assertThat(row.locator("td").nth(1)).hasText("4");
                assertThat(row.locator("td").nth(2)).hasText("2");
                assertThat(row.locator("td").nth(5)).containsText("1");
                Browsers.check(page, Browsers.shot("operations", size), problems, false);
            }
        }
        assertThat(problems).isEmpty();
    }

    /**
     * Waits until the server's own rules found the device silent (the figures are read in the background and
     * the rules evaluated every two seconds in the tests).
     */
    private static void awaitSilentDeviceAlert(Fixtures world, String site) throws InterruptedException {
        for (int attempt = 0; attempt < 150; attempt++) {
            for (JsonNode alert : world.admin().get("/api/v1/operations/alerts").body().path("alerts")) {
                if (alert.path("name").asString().equals("FieldbookSyncDeviceSilent")
                        && site.equals(alert.path("labels").path("site").asString())) {
                    return;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the server's rules did not find the silent device of site " + site);
    }

    private static Map<String, Object> pull(UUID device, int changes, int photos) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("protocolVersion", 1);
        request.put("clientVersion", "0.1.0");
        request.put("deviceId", device.toString());
        Map<String, Object> status = new HashMap<>();
        status.put("outboxDepth", changes);
        status.put("oldestPendingAt", OffsetDateTime.now(ZoneOffset.UTC).minusHours(10).toString());
        status.put("pendingPhotos", photos);
        status.put("appVersion", "0.1.0");
        request.put("device", status);
        request.put("cursor", null);
        request.put("limit", 100);
        request.put("knownSiteIds", List.of());
        return request;
    }
}
