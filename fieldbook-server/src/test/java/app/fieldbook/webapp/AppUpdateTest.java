package app.fieldbook.webapp;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import app.fieldbook.Api;
import app.fieldbook.FieldbookApplication;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Route;
import com.microsoft.playwright.options.AriaRole;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * A new version of the web app, served by a server started again with another
 * {@code fieldbook.webapp.version}, takes over in a browser that has changes waiting in its outbox: nothing
 * waiting is lost and it reaches the server once. An app older than the server accepts says so and updates
 * itself. (How the app installs over a poor connection, and a page whose app did not arrive, need no server of
 * their own: {@link WebAppTest}.)
 */
class AppUpdateTest {

    private static final String PASSWORD = "fieldbook-demo";
    private static Browsers browsers;

    @TempDir
    Path data;

    int port;
    ConfigurableApplicationContext server;

    @BeforeAll
    static void startBrowsers() {
        browsers = Browsers.shared();
    }

    @AfterAll
    static void removeProfiles() throws Exception {
        browsers.removeProfiles();
    }

    @BeforeEach
    void choosePort() throws IOException {
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
    }

    @AfterEach
    void stopServerAndCheckPages() {
        if (server != null) {
            server.close();
        }
        assertThat(browsers.takePageErrors()).isEmpty();
    }

    @Test
    void aNewVersionTakesOverWhileChangesWaitAndTheyReachTheServerOnce() throws Exception {
        server = start("0.1.0", "0.1.0");
        String draft = walterDraft();
        try (BrowserContext browser = browsers.open(browsers.newProfile(), Browsers.PHONE)) {
            Page page = signIn(browser);
            browser.setOffline(true);
            page.navigate(base() + "/#/reports/" + draft);
            page.locator("#notes").fill("Written before the update.");
            assertThat(page.getByTestId("save-state")).hasText("Saved on this device");
            page.getByTestId("submit").click();
            assertThat(page.getByTestId("waiting")).hasText("2 changes on this device");
            String device = deviceOf(page);

            restart("0.1.1", "0.1.0");
            // the changes cannot be sent yet (a connection that breaks on every push), so they wait through the update
            java.util.function.Consumer<Route> broken = Route::abort;
            page.route("**/api/v1/sync/push", broken);
            browser.setOffline(false);
            assertThat(page.getByText("A new version of Fieldbook is ready.")).isVisible();
            assertThat(page.getByTestId("waiting")).hasText("2 changes on this device");
            page.getByText("Update now").click();

            assertThat(page.getByTestId("updated")).containsText("updated from version 0.1.0 to 0.1.1");
            assertThat(page.evaluate("async () => (await import('/app/version.js')).APP_VERSION")).isEqualTo("0.1.1");
            assertThat(page.getByTestId("waiting")).hasText("2 changes on this device");
            assertThat(sentOperations(device)).isZero();
            page.unroute("**/api/v1/sync/push", broken);
            page.navigate(base() + "/#/outbox");
            page.getByTestId("sync-now").click();
            assertThat(page.getByTestId("waiting")).hasText("All changes synced");
            assertThat(sentOperations(device)).isEqualTo(2);
        }
        JsonNode report = walter().get("/api/v1/reports/" + draft).body();
        assertThat(report.path("content").path("notes").asString()).isEqualTo("Written before the update.");
        assertThat(report.path("status").asString()).isEqualTo("SUBMITTED");
    }

    @Test
    void anAppOlderThanTheServerAcceptsSaysSoAndUpdatesItselfKeepingWhatWaits() throws Exception {
        server = start("0.1.0", "0.1.0");
        String draft = walterDraft();
        try (BrowserContext browser = browsers.open(browsers.newProfile(), Browsers.PHONE)) {
            Page page = signIn(browser);
            browser.setOffline(true);
            page.navigate(base() + "/#/reports/" + draft);
            page.locator("#delays").fill("Crane inspection, one hour.");
            assertThat(page.getByTestId("save-state")).hasText("Saved on this device");
            String device = deviceOf(page);

            // the server's minimum is raised before it serves the new version: the app says so and keeps trying
            restart("0.1.0", "0.2.0");
            browser.setOffline(false);
            assertThat(page.getByTestId("too-old")).containsText("This version of Fieldbook (0.1.0) is older than the server accepts");
            page.navigate(base() + "/#/");
            assertThat(page.getByTestId("too-old")).isVisible();
            page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("../docs/screenshots/app-too-old-phone.png")));
            assertThat(page.getByTestId("waiting")).hasText("1 change on this device");
            assertThat(sentOperations(device)).isZero();

            restart("0.2.0", "0.2.0");
            page.navigate(base() + "/#/outbox");
            page.getByTestId("sync-now").click();
            assertThat(page.getByTestId("updated")).containsText("updated from version 0.1.0, which the server no longer accepted, to 0.2.0");
            assertThat(page.getByTestId("waiting")).hasText("All changes synced");
            assertThat(page.getByTestId("too-old")).hasCount(0);
            assertThat(sentOperations(device)).isOne();
        }
        assertThat(walter().get("/api/v1/reports/" + draft).body().path("content").path("delays").asString())
                .isEqualTo("Crane inspection, one hour.");
    }

    private ConfigurableApplicationContext start(String appVersion, String minimumClientVersion) {
        return new SpringApplication(FieldbookApplication.class).run(
                "--server.port=" + port,
                "--spring.profiles.active=test,demo",
                "--spring.datasource.url=jdbc:h2:file:" + data.resolve("fieldbook")
                        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0",
                "--fieldbook.attachments.directory=" + data.resolve("photos"),
                "--fieldbook.audit.key-file=" + data.resolve("audit.key"),
                "--fieldbook.audit.head-file=" + data.resolve("audit-heads.log"),
                "--fieldbook.attachments.upload-directory=" + data.resolve("uploads"),
                "--fieldbook.webapp.version=" + appVersion,
                "--fieldbook.sync.minimum-client-version=" + minimumClientVersion);
    }

    private void restart(String appVersion, String minimumClientVersion) {
        server.close();
        server = start(appVersion, minimumClientVersion);
    }

    private String base() {
        return "http://localhost:" + port;
    }

    private Api walter() {
        return Api.anonymous(port).signIn("walter", PASSWORD);
    }

    private String walterDraft() {
        return walter().get("/api/v1/reports?size=50&status=DRAFT").body().path("items").get(0).path("id").asString();
    }

    private int sentOperations(String device) {
        return server.getBean(JdbcClient.class).sql("SELECT COUNT(*) FROM sync_operations WHERE device_id = ?")
                .param(UUID.fromString(device)).query(Integer.class).single();
    }

    private static String deviceOf(Page page) {
        return (String) page.evaluate("() => document.cookie.match(/fieldbook-device=([^;]+)/)[1]");
    }

    /** Signs in through the app's form and waits for the first sync and the Service Worker in control. */
    private Page signIn(BrowserContext browser) {
        Page page = Browsers.page(browser);
        page.navigate(base() + "/");
        page.locator("#login").fill("walter");
        page.locator("#password").fill(PASSWORD);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in").setExact(true)).click();
        assertThat(page.getByTestId("sync-status")).containsText("last synced");
        page.waitForFunction("async () => { await navigator.serviceWorker.ready; return true; }");
        if (!(Boolean) page.evaluate("() => navigator.serviceWorker.controller !== null")) {
            page.reload();
            page.waitForFunction("() => navigator.serviceWorker.controller !== null");
        }
        return page;
    }
}
