package app.fieldbook.webapp;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import app.fieldbook.Api;
import app.fieldbook.Fixtures;
import app.fieldbook.TestDatabase;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.options.FilePayload;
import com.microsoft.playwright.options.ViewportSize;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.imageio.ImageIO;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ContextConfiguration;
import tools.jackson.databind.JsonNode;

/**
 * The web app in Debian's Chromium against the real server with its demo data: what each person sees,
 * writing a report with no network, accessibility, and the screenshots in docs/screenshots.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "fieldbook.audit.read-access=true")
@ContextConfiguration(initializers = TestDatabase.class)
@ActiveProfiles({"test", "demo"})
class WebAppTest extends BrowserTest {

    private static final String PASSWORD = "fieldbook-demo";

    @Autowired
    JdbcClient jdbc;

    private Api as(String login) {
        return Api.anonymous(port).signIn(login, PASSWORD);
    }

    private String siteId(String code) {
        for (JsonNode site : as("admin").get("/api/v1/sites?size=100").body().path("items")) {
            if (site.path("code").asString().equals(code)) {
                return site.path("id").asString();
            }
        }
        throw new AssertionError("no site " + code);
    }

    private Page signIn(BrowserContext browser, String login) {
        return Browsers.signIn(browser, base(), login, PASSWORD);
    }

    private static Locator site(Page page, String code) {
        return page.locator("li[data-site='" + code + "']");
    }

    @Test
    void theAppIsServedWithAStrictContentSecurityPolicyAndEveryFileOfItsShell() throws Exception {
        Api anonymous = Api.anonymous(port);
        for (String path : List.of("/", "/app/main.js", "/api/v1/auth/me")) {
            String policy = anonymous.get(path).raw().headers().firstValue("Content-Security-Policy").orElseThrow();
            assertThat(policy).contains("script-src 'self' 'sha256-", "style-src 'self'", "object-src 'none'")
                    .doesNotContain("unsafe-inline").doesNotContain("unsafe-eval");
        }
        assertThat(anonymous.get("/swagger-ui/index.html").raw().headers().firstValue("Content-Security-Policy")
                .orElseThrow()).contains("style-src 'self' 'unsafe-inline'").doesNotContain("unsafe-eval");
        String worker = new String(anonymous.get("/sw.js").raw().body(), java.nio.charset.StandardCharsets.UTF_8);
        java.util.regex.Matcher list = java.util.regex.Pattern.compile("const SHELL = \\[(.*?)\\];").matcher(worker);
        assertThat(list.find()).isTrue();
        List<String> paths = java.util.Arrays.stream(list.group(1).split(",\\s*")).map(path -> path.replace("'", "")).toList();
        assertThat(paths).hasSizeGreaterThan(20).contains("/", "/app/main.js", "/webjars/lit/index.js");
        assertThat(AppShellTest.unreachable(base(), paths)).isEmpty();
    }

    @Test
    void theAppInstallsOverAConnectionThatDropsSomeOfItsFilesAndThenOpensOffline() throws Exception {
        try (BrowserContext browser = browsers.open(browsers.newProfile(), Browsers.PHONE)) {
            // the first request of the Service Worker for each file of the shell breaks, as on a poor signal
            java.util.Set<String> broken = java.util.concurrent.ConcurrentHashMap.newKeySet();
            browser.route("**/*", route -> {
                com.microsoft.playwright.Request request = route.request();
                if (fromServiceWorker(request) && broken.add(request.url())) {
                    route.abort();
                } else {
                    route.resume();
                }
            });
            Page page = signIn(browser, "walter");
            assertThat(broken).as("files the worker had to fetch again").hasSizeGreaterThan(20);

            browser.setOffline(true);
            page.reload();
            assertThat(page.getByTestId("sync-status")).isVisible();
            page.navigate(base() + "/#/outbox");
            assertThat(page.getByTestId("sync-now")).isVisible();
        }
    }

    /** Playwright gives a request of a Service Worker no frame (asking for it throws, not always its own exception). */
    private static boolean fromServiceWorker(com.microsoft.playwright.Request request) {
        try {
            request.frame();
            return false;
        } catch (RuntimeException noFrame) {
            return true;
        }
    }

    @Test
    void aPageWhoseAppDidNotArriveSaysSoAndLoadsItAgain() throws Exception {
        try (BrowserContext browser = browsers.open(browsers.newProfile(), Browsers.PHONE)) {
            java.util.function.Consumer<com.microsoft.playwright.Route> lost = com.microsoft.playwright.Route::abort;
            browser.route("**/app/main.js", lost);
            Page page = Browsers.page(browser);
            page.navigate(base() + "/");
            assertThat(page.getByRole(com.microsoft.playwright.options.AriaRole.ALERT))
                    .containsText("Fieldbook could not load all of its files");

            browser.unroute("**/app/main.js", lost);
            page.getByText("Load again").click();
            assertThat(page.locator("#login")).isVisible();
            assertThat(page.locator("#not-loaded")).isHidden();
        }
    }

    @Test
    void aManagerReturnsAReportWithACommentThatTheWorkerThenReads() throws Exception {
        JsonNode submitted = as("walter").get("/api/v1/reports?size=50&status=SUBMITTED").body().path("items");
        String report = submitted.get(submitted.size() - 1).path("id").asString();
        try (BrowserContext browser = browsers.open(browsers.newProfile(), Browsers.DESKTOP)) {
            Page page = signIn(browser, "maria");
            page.navigate(base() + "/#/review");
            assertThat(page.locator("h1")).isVisible();
            page.navigate(base() + "/#/reports/" + report);
            // opened from the review queue, "Back" leads there
            assertThat(page.locator("p.back a")).hasText("← Back to the review queue");
            assertThat(page.locator("p.back a")).hasAttribute("href", "#/review");
            // without a comment, the screen says so where the comment goes and puts the cursor there
            page.getByText("Return with comment").click();
            assertThat(page.locator("#return-comment-needed")).hasText("Write what must be fixed before returning the report.");
            assertThat(page.locator("#return-comment")).isFocused();
            assertThat(page.locator("#return-comment")).hasAttribute("aria-invalid", "true");
            assertThat(page.getByTestId("waiting")).hasText("All changes synced");
            assertThat(as("walter").get("/api/v1/reports/" + report).body().path("status").asString()).isEqualTo("SUBMITTED");
            page.locator("#return-comment").fill("Add the crane hours, please.");
            assertThat(page.locator("#return-comment-needed")).hasCount(0);
            page.getByText("Return with comment").click();
            assertThat(page.getByTestId("waiting")).hasText("All changes synced");
            // once sent, the screen no longer says that the decision waits for the next sync, and leads on
            Locator after = page.getByTestId("after-decision");
            assertThat(after.getByRole(com.microsoft.playwright.options.AriaRole.HEADING)).hasText("Returned with your comment");
            assertThat(after).containsText("Your decision is on the server.");
            assertThat(page.locator("main")).not().containsText("with the next sync");
            assertThat(after.locator("a")).isFocused();
            assertThat(after.locator("a")).hasText(Pattern.compile("Next in queue →|Back to the review queue"));
        }
        JsonNode returned = as("walter").get("/api/v1/reports/" + report).body();
        assertThat(returned.path("status").asString()).isEqualTo("RETURNED");
        assertThat(returned.path("returnComment").asString()).isEqualTo("Add the crane hours, please.");
        try (BrowserContext browser = browsers.open(browsers.newProfile(), Browsers.PHONE)) {
            Page page = signIn(browser, "walter");
            page.navigate(base() + "/#/reports/" + report);
            assertThat(page.getByTestId("return-comment")).hasText("Add the crane hours, please.");
            assertThat(page.locator("main")).containsText("Returned by Maria Manager");
            assertThat(page.locator("#workPerformed")).isEditable();
        }
        // submitted again, the report keeps in view what the manager asked for
        assertThat(as("walter").post("/api/v1/reports/" + report + "/submit").status()).isEqualTo(200);
        try (BrowserContext browser = browsers.open(browsers.newProfile(), Browsers.DESKTOP)) {
            Page page = signIn(browser, "maria");
            page.navigate(base() + "/#/reports/" + report);
            assertThat(page.locator("section.returned")).containsText("Submitted again after it was returned with this comment");
            assertThat(page.getByTestId("return-comment")).hasText("Add the crane hours, please.");
            assertThat(page.getByText("Return with comment")).isVisible();
        }
    }

    @Test
    void anOpenAppWithNothingToSendAsksTheServerOnlyNowAndThen() throws Exception {
        try (BrowserContext browser = browsers.open(browsers.newProfile(), Browsers.PHONE)) {
            Page page = signIn(browser, "walter");
            assertThat(page.getByTestId("waiting")).hasText("All changes synced");
            List<String> calls = new CopyOnWriteArrayList<>();
            page.onRequest(request -> {
                if (request.url().contains("/api/v1/sync/")) {
                    calls.add(request.method() + " " + request.url());
                }
            });
            page.waitForTimeout(8_000);
            // it syncs every 30 s while open and visible; its own writes of what it pulled are no change to send
            assertThat(calls).as("the sync calls of an idle app in 8 s").hasSizeLessThanOrEqualTo(2);
        }
    }

    @Test
    void aManagerWhoWroteAReportAsAFieldWorkerIsOfferedNoDecisionOnIt() throws Exception {
        Api admin = as("admin");
        String site = as("maria").get("/api/v1/sites?size=100").body().path("items").get(0).path("id").asString();
        String portfolio = as("maria").get("/api/v1/portfolios").body().get(0).path("id").asString();
        String promoted = workerOf(admin, site, "promoted");
        String colleague = workerOf(admin, site, "colleague");
        String own = submittedReport(promoted, site, "Own report of a future manager.");
        String others = submittedReport(colleague, site, "A colleague's report.");
        JsonNode account = admin.get("/api/v1/users/" + promoted).body();
        assertThat(admin.put("/api/v1/users/" + promoted, Map.of("version", account.path("version").asLong(),
                "name", account.path("name").asString(), "email", account.path("email").asString(),
                "role", "MANAGER", "active", true)).status()).isEqualTo(200);
        assertThat(admin.put("/api/v1/users/" + promoted + "/portfolios", Map.of("portfolioIds", List.of(portfolio)))
                .status()).isEqualTo(200);
        try (BrowserContext browser = browsers.open(browsers.newProfile(), Browsers.DESKTOP)) {
            Page page = signIn(browser, account.path("login").asString());
            page.navigate(base() + "/#/reports/" + others);
            assertThat(page.locator("main")).containsText("A colleague's report.");
            assertThat(page.locator("#decide-heading")).isVisible();
            page.navigate(base() + "/#/reports/" + own);
            assertThat(page.locator("main")).containsText("Own report of a future manager.");
            assertThat(page.locator("section.decide")).hasCount(0);
        }
        // decided by the site's manager, so that no report of this test waits in anyone's review queue
        for (String report : List.of(own, others)) {
            assertThat(as("maria").post("/api/v1/reports/" + report + "/approve").status()).isEqualTo(200);
        }
    }

    /** A new field worker of the site, made by the administrator; answers their id. */
    private String workerOf(Api admin, String site, String name) {
        String login = name + "-" + System.nanoTime();
        Api.Answer created = admin.post("/api/v1/users", Map.of("login", login, "name", "Test " + name,
                "email", login + "@test.fieldbook.app", "role", "WORKER", "password", Fixtures.FIRST_PASSWORD));
        assertThat(created.status()).isEqualTo(201);
        Fixtures.changeFirstPassword(Api.anonymous(port), login, Fixtures.FIRST_PASSWORD, PASSWORD);
        assertThat(admin.put("/api/v1/users/" + created.id() + "/sites", Map.of("siteIds", List.of(site))).status())
                .isEqualTo(200);
        return created.id();
    }

    private String submittedReport(String workerId, String site, String work) {
        String login = as("admin").get("/api/v1/users/" + workerId).body().path("login").asString();
        Api worker = as(login);
        Api.Answer created = worker.post("/api/v1/reports", Map.of("siteId", site, "date", "2023-01-02",
                "content", Map.of("workPerformed", work)));
        assertThat(created.status()).isEqualTo(201);
        assertThat(worker.post("/api/v1/reports/" + created.id() + "/submit").status()).isEqualTo(200);
        return created.id();
    }

    @Test
    void aWorkerSeesOnlyTheirSitesAndNotAnotherSitesReportEvenByItsAddress() throws Exception {
        String walterReport = as("walter").get("/api/v1/reports?size=50").body().path("items").get(0).path("id").asString();
        String north = siteId("N-01");
        try (BrowserContext browser = browsers.open(browsers.newProfile(), Browsers.PHONE)) {
            Page page = signIn(browser, "wendy");
            assertThat(site(page, "S-01")).isVisible();
            assertThat(page.locator("li[data-site]")).hasCount(1);

            page.navigate(base() + "/#/reports/" + walterReport);
            assertThat(page.getByTestId("not-found")).isVisible();
            assertThat(page.locator("main")).not().containsText("Harbour Bridge");
            page.navigate(base() + "/#/sites/" + north);
            assertThat(page.locator("main")).containsText("There is no such report on this device.");
            assertThat(page.locator("main")).not().containsText("N-01");
            assertThat(storedSiteIdsOfReports(page)).isNotEmpty().doesNotContain(north);
        }
    }

    @Test
    void aManagerSeesTheSitesOfTheirPortfolioAndAnExecutiveEverySite() throws Exception {
        try (BrowserContext browser = browsers.open(browsers.newProfile(), Browsers.DESKTOP)) {
            Page page = signIn(browser, "maria");
            assertThat(site(page, "N-01")).isVisible();
            assertThat(site(page, "N-02")).isVisible();
            assertThat(page.locator("li[data-site]")).hasCount(2);
            assertThat(page.getByText("Today’s report")).hasCount(0);
        }
        try (BrowserContext browser = browsers.open(browsers.newProfile(), Browsers.DESKTOP)) {
            Page page = signIn(browser, "exec");
            assertThat(page.locator("li[data-site]")).hasCount(as("exec").get("/api/v1/sites").body().path("total").asInt());
            assertThat(page.getByText("Review")).hasCount(0);
        }
    }

    @Test
    void aSessionThatEndedWhileOfflineAsksToSignInAgainAndLosesNothing() throws Exception {
        String warehouse = siteId("N-02");
        Api walter = as("walter");
        String draft = walter.get("/api/v1/reports?size=50&status=DRAFT&siteId=" + warehouse).body()
                .path("items").get(0).path("id").asString();
        try (BrowserContext browser = browsers.open(browsers.newProfile(), Browsers.PHONE)) {
            Page page = signIn(browser, "walter");
            browser.setOffline(true);
            page.navigate(base() + "/#/reports/" + draft);
            page.locator("#safetyIncidents").fill("None. Toolbox talk on ladders.");
            assertThat(page.getByTestId("save-state")).hasText("Saved on this device");

            assertThat(as("walter").delete("/api/v1/auth/sessions").status())
                    .as("walter ends every other session of his from another device").isEqualTo(200);
            browser.setOffline(false);
            assertThat(page.getByText("Your session has ended")).isVisible();
            assertThat(page.getByTestId("waiting")).containsText("1 change on this device");

            page.locator(".banner").getByText("Sign in").click();
            assertThat(page.locator("#login")).hasValue("walter");
            page.locator("#password").fill(PASSWORD);
            page.locator("form").getByText("Sign in").click();
            assertThat(page.getByTestId("waiting")).hasText("All changes synced");
        }
        assertThat(as("walter").get("/api/v1/reports/" + draft).body().path("content").path("safetyIncidents").asString())
                .isEqualTo("None. Toolbox talk on ladders.");
    }

    @Test
    void aDeviceWhoseDataTheBrowserEvictedWhileAChangeWaitedIsToldWhatWasLost() throws Exception {
        String warehouse = siteId("N-02");
        String draft = as("walter").get("/api/v1/reports?size=50&status=DRAFT&siteId=" + warehouse).body()
                .path("items").get(0).path("id").asString();
        try (BrowserContext browser = browsers.open(browsers.newProfile(), Browsers.PHONE)) {
            Page page = signIn(browser, "walter");
            page.navigate(base() + "/#/reports/" + draft);
            page.getByText("Add a crew row").click();
            assertThat(page.getByTestId("save-state")).hasText("Saved on this device");
            page.navigate(base() + "/#/outbox");
            assertThat(page.getByTestId("outbox")).containsText("Held");
            page.getByTestId("sync-now").click();
            assertThat(page.getByTestId("sync-now")).isEnabled();
            String device = (String) page.evaluate("() => document.cookie.match(/fieldbook-device=([^;]+)/)[1]");
            assertThat(jdbc.sql("SELECT outbox_depth FROM sync_devices WHERE device_id = ?")
                    .param(java.util.UUID.fromString(device)).query(Integer.class).single())
                    .as("the device reported the change waiting").isOne();

            // what a browser does when it evicts the storage of a site nobody has open: cookies stay, the rest goes
            page.navigate("about:blank");
            com.google.gson.JsonObject eviction = new com.google.gson.JsonObject();
            eviction.addProperty("origin", base());
            eviction.addProperty("storageTypes", "indexeddb,cache_storage,service_workers,local_storage");
            browser.newCDPSession(page).send("Storage.clearDataForOrigin", eviction);
            page.navigate(base() + "/");
            Browsers.submitSignIn(page, "walter", PASSWORD);
            Locator lost = page.getByTestId("data-lost");
            assertThat(lost).containsText("Data on this device was lost");
            assertThat(lost).containsText("Lost: 1 change, last reported at");
            Browsers.screenshot(page, "data-lost-phone", false);
            assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_events WHERE action = 'DEVICE_DATA_LOST' AND entity_id = ?")
                    .param(device).query(Long.class).single()).isOne();

            lost.getByText("I understand").click();
            assertThat(lost).hasCount(0);
            page.reload();
            assertThat(page.getByTestId("sync-status")).containsText("last synced");
            assertThat(lost).hasCount(0);
        }
    }

    @Test
    void whileAChangeWaitsTheAppAsksForBackgroundSyncWhoseEventMakesThePageSendItAtOnce() throws Exception {
        String warehouse = siteId("N-02");
        String draft = as("walter").get("/api/v1/reports?size=50&status=DRAFT&siteId=" + warehouse).body()
                .path("items").get(0).path("id").asString();
        try (BrowserContext browser = browsers.open(browsers.newProfile(), Browsers.PHONE)) {
            Page page = signIn(browser, "walter");
            java.util.function.Consumer<com.microsoft.playwright.Route> broken = com.microsoft.playwright.Route::abort;
            page.route("**/api/v1/sync/push", broken);
            page.navigate(base() + "/#/reports/" + draft);
            page.locator("#workPerformed").fill("Sent by Background Sync.");
            assertThat(page.getByTestId("save-state")).hasText("Saved on this device");
            page.waitForFunction("async () => (await (await navigator.serviceWorker.ready).sync.getTags())"
                    + ".includes('fieldbook-outbox')");

            // failed sends put the change off for half a minute or more: only a sync asked for (the connection
            // returning, "Sync now", Background Sync) sends it sooner
            page.navigate(base() + "/#/outbox");
            assertThat(page.locator("main")).containsText("Fieldbook uses");
            boolean persisted = (Boolean) page.evaluate("() => navigator.storage.persisted()");
            // the warning when the browser refused persistent storage, and only then
            assertThat(page.getByTestId("not-persisted")).hasCount(persisted ? 0 : 1);
            for (int attempt = 0; attempt < 6; attempt++) {
                page.getByTestId("sync-now").click();
                assertThat(page.getByTestId("sync-now")).isEnabled();
            }
            double putOffUntil = ((Number) page.evaluate("""
                    async () => {
                      const db = await new Promise((resolve) => {
                        const request = indexedDB.open('fieldbook');
                        request.onsuccess = () => resolve(request.result);
                      });
                      const all = await new Promise((resolve) => {
                        const request = db.transaction('outbox').objectStore('outbox').getAll();
                        request.onsuccess = () => resolve(request.result);
                      });
                      db.close();
                      return Math.min(...all.filter((entry) => entry.attempts > 0).map((entry) => entry.nextAttemptAt));
                    }""")).doubleValue();
            assertThat(putOffUntil - ((Number) page.evaluate("() => Date.now()")).doubleValue()).isGreaterThan(30_000);
            page.unroute("**/api/v1/sync/push", broken);

            com.microsoft.playwright.CDPSession devtools = browser.newCDPSession(page);
            List<String> registrations = new java.util.concurrent.CopyOnWriteArrayList<>();
            devtools.on("ServiceWorker.workerRegistrationUpdated", event -> event.getAsJsonArray("registrations")
                    .forEach(registration -> registrations.add(
                            registration.getAsJsonObject().get("registrationId").getAsString())));
            devtools.send("ServiceWorker.enable");
            page.waitForCondition(() -> !registrations.isEmpty());
            com.google.gson.JsonObject sync = new com.google.gson.JsonObject();
            sync.addProperty("origin", base());
            sync.addProperty("registrationId", registrations.getFirst());
            sync.addProperty("tag", "fieldbook-outbox");
            sync.addProperty("lastChance", false);
            devtools.send("ServiceWorker.dispatchSyncEvent", sync);
            assertThat(page.getByTestId("waiting")).hasText("All changes synced");
            assertThat(((Number) page.evaluate("() => Date.now()")).doubleValue()).isLessThan(putOffUntil);
        }
        assertThat(as("walter").get("/api/v1/reports/" + draft).body().path("content").path("workPerformed").asString())
                .isEqualTo("Sent by Background Sync.");
    }

    @Test
    void signingOutIsRefusedWhileChangesWaitAndOtherwiseClearsTheDevice() throws Exception {
        String warehouse = siteId("N-02");
        String draft = as("walter").get("/api/v1/reports?size=50&status=DRAFT&siteId=" + warehouse).body()
                .path("items").get(0).path("id").asString();
        try (BrowserContext browser = browsers.open(browsers.newProfile(), Browsers.PHONE)) {
            Page page = signIn(browser, "walter");
            assertThat(storedSiteIdsOfReports(page)).isNotEmpty();
            browser.setOffline(true);
            page.navigate(base() + "/#/reports/" + draft);
            page.locator("#materials").fill("Two pallets of anchors.");
            assertThat(page.getByTestId("save-state")).hasText("Saved on this device");
            page.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON,
                    new Page.GetByRoleOptions().setName("Sign out")).click();
            assertThat(page.getByRole(com.microsoft.playwright.options.AriaRole.ALERT))
                    .containsText("You cannot sign out while 1 change waits on this device.");

            browser.setOffline(false);
            assertThat(page.getByTestId("waiting")).hasText("All changes synced");
            page.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON,
                    new Page.GetByRoleOptions().setName("Sign out")).click();
            assertThat(page.locator("#login")).isVisible();
            assertThat(storedSiteIdsOfReports(page)).isEmpty();
        }
        assertThat(as("walter").get("/api/v1/reports/" + draft).body().path("content").path("materials").asString())
                .isEqualTo("Two pallets of anchors.");
    }

    @Test
    void aReportWrittenAndSubmittedOfflineArrivesOnTheServerOnceWhenTheNetworkReturns() throws Exception {
        Path profile = browsers.newProfile();
        String north = siteId("N-01");
        String today = LocalDate.now(ZoneId.of("Europe/Berlin")).toString();
        BrowserContext browser = browsers.open(profile, Browsers.PHONE);
        Page page = signIn(browser, "walter");

        browser.setOffline(true);
        assertThat(page.getByTestId("sync-status")).containsText("Offline");
        site(page, "N-01").getByText("Today’s report").click();
        assertThat(page.locator("#headcount-0")).hasValue("6");
        page.locator("#conditions").fill("Fog, then sun");
        page.locator("#temperature").fill("12.5");
        page.locator(".crew-row").first().getByLabel("One more").click();
        page.getByText("Add a crew row").click();
        page.locator("#trade-2").fill("Scaffolding");
        page.locator("#hours-2").fill("16");
        page.locator("#workPerformed").fill("Formwork for deck section 6, written offline.");
        assertThat(page.getByTestId("save-state")).hasText("Saved on this device");
        page.locator("#photo-caption").fill("Deck section 6, east edge");
        page.locator("#photo-input").setInputFiles(new FilePayload[] {
                new FilePayload("east.jpg", "image/jpeg", jpeg(3000, 2000, Color.ORANGE)),
                new FilePayload("west.jpg", "image/jpeg", jpeg(1200, 1600, Color.BLUE))});
        assertThat(page.getByTestId("photos").locator("li")).hasCount(2);
        assertThat(page.getByTestId("waiting")).containsText("2 photos to upload");

        page.reload();
        assertThat(page.locator("#workPerformed")).hasValue("Formwork for deck section 6, written offline.");
        assertThat(page.locator("#headcount-0")).hasValue("7");
        assertThat(page.locator("#trade-2")).hasValue("Scaffolding");
        assertThat(page.getByTestId("photos").getByText("On this device")).hasCount(2);
        page.getByTestId("submit").click();
        assertThat(page.locator("main")).containsText("Submitted on this device");

        browser.close();
        browser = browsers.open(profile, Browsers.PHONE);
        browser.setOffline(true);
        page = Browsers.page(browser);
        page.navigate(base() + "/#/outbox");
        assertThat(page.getByTestId("outbox")).containsText("New report");
        assertThat(page.getByTestId("outbox")).containsText("Submission");
        assertThat(as("walter").get("/api/v1/reports?siteId=" + north + "&from=" + today + "&to=" + today)
                .body().path("total").asInt()).isZero();

        browser.setOffline(false);
        assertThat(page.getByTestId("outbox-empty")).isVisible();
        assertThat(page.getByTestId("waiting")).hasText("All changes synced");
        JsonNode reports = as("walter").get("/api/v1/reports?siteId=" + north + "&from=" + today + "&to=" + today).body();
        assertThat(reports.path("total").asInt()).isEqualTo(1);
        JsonNode report = reports.path("items").get(0);
        assertThat(report.path("status").asString()).isEqualTo("SUBMITTED");
        assertThat(report.path("content").path("workPerformed").asString())
                .isEqualTo("Formwork for deck section 6, written offline.");
        assertThat(report.path("content").path("weather").path("temperatureCelsius").decimalValue())
                .isEqualByComparingTo("12.5");
        JsonNode crew = report.path("content").path("crew");
        assertThat(crew.size()).isEqualTo(3);
        assertThat(crew.get(0).path("headcount").asInt()).isEqualTo(7);
        assertThat(crew.get(2).path("trade").asString()).isEqualTo("Scaffolding");

        Api walter = as("walter");
        JsonNode photos = walter.get("/api/v1/reports/" + report.path("id").asString() + "/photos").body();
        assertThat(photos.size()).isEqualTo(2);
        List<Integer> longestSides = new ArrayList<>();
        List<String> captions = new ArrayList<>();
        for (JsonNode photo : photos) {
            captions.add(photo.path("caption").asString());
            assertThat(photo.path("pending").asBoolean()).isFalse();
            byte[] content = walter.get("/api/v1/photos/" + photo.path("id").asString() + "/content").raw().body();
            assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)))
                    .isEqualTo(photo.path("sha256").asString());
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(content));
            longestSides.add(Math.max(image.getWidth(), image.getHeight()));
        }
        assertThat(longestSides).containsExactlyInAnyOrder(2048, 1600);
        assertThat(captions).containsOnly("Deck section 6, east edge");
        assertThat((Number) page.evaluate(COUNT_PHOTO_BLOBS)).isEqualTo(0);
        page.navigate(base() + "/#/reports/" + report.path("id").asString());
        assertThat(page.getByTestId("photos").getByText("On the server")).hasCount(2);
        browser.close();
    }

    @Test
    void aNumberThatCouldNotBeReadInACrewRowRemovedOnAnotherDeviceDoesNotHoldUpTheSubmission() throws Exception {
        Api walter = as("walter");
        List<Map<String, Object>> crew = List.of(
                Map.of("trade", "Carpentry", "headcount", 2, "hours", 16),
                Map.of("trade", "Painting", "headcount", 1, "hours", 8));
        Api.Answer created = draft(walter, "N-02", "2024-07-05",
                Map.of("workPerformed", "Fence painted.", "crew", crew));
        String id = created.id();
        try (BrowserContext browser = browsers.open(browsers.newProfile(), Browsers.PHONE)) {
            Page page = openReport(browser, "walter", id);
            page.locator("#hours-1").fill("lots");
            assertThat(page.getByTestId("unreadable-number")).hasCount(1);

            // the same person took the second row out on their laptop; this phone hears of it with its next sync
            assertThat(walter.put("/api/v1/reports/" + id, Map.of("version", created.version(), "content",
                    Map.of("workPerformed", "Fence painted.", "crew", crew.subList(0, 1)))).status()).isEqualTo(200);
            page.evaluate("dispatchEvent(new Event('online'))");
            assertThat(page.locator("li.crew-row")).hasCount(1);
            assertThat(page.getByTestId("unreadable-number")).hasCount(0);
            page.getByTestId("submit").click();
            assertThat(page.locator("main")).containsText("Submitted: the report is on the server.",
                    new com.microsoft.playwright.assertions.LocatorAssertions.ContainsTextOptions().setTimeout(30_000));
        }
        assertThat(walter.get("/api/v1/reports/" + id).body().path("status").asString()).isEqualTo("SUBMITTED");
    }

    @Test
    void aReportDeletedElsewhereWhileItsSubmissionWaitedSaysSoAndWhereTheSubmissionWent() throws Exception {
        Api walter = as("walter");
        Api.Answer created = draft(walter, "N-02", "2024-07-06", Map.of("workPerformed", "Gravel spread."));
        String id = created.id();
        try (BrowserContext browser = browsers.open(browsers.newProfile(), Browsers.PHONE)) {
            Page page = openReport(browser, "walter", id);
            assertThat(page.locator("#notes")).isVisible();
            browser.setOffline(true);
            page.getByTestId("submit").click();
            assertThat(page.locator("main")).containsText("Submitted on this device");
            // meanwhile the same person deleted the draft on their laptop
            assertThat(walter.delete("/api/v1/reports/" + id + "?version=" + created.version()).status()).isEqualTo(204);
            browser.setOffline(false);
            assertThat(page.getByTestId("waiting")).hasText("All changes synced",
                    new com.microsoft.playwright.assertions.LocatorAssertions.HasTextOptions().setTimeout(30_000));
            // the screen says what became of the report it showed, and where the submission went
            assertThat(page.getByTestId("report-gone")).containsText("This report was deleted on the server");
            page.getByText("What was sent for it after that is under Conflicts.").click();
            assertThat(page.getByTestId("conflicts").locator("li")
                    .filter(new Locator.FilterOptions().setHasText("changed after the report was deleted"))).hasCount(1);
        }
    }

    @Test
    void aReportWhoseSiteIsNoLongerThePersonsLeavesTheDeviceAndTheScreenSaysWhy() throws Exception {
        Api walter = as("walter");
        String site = newSiteOfWalters();
        try {
            Api.Answer created = walter.post("/api/v1/reports", Map.of("siteId", site, "date", "2024-07-08",
                    "content", Map.of("workPerformed", "Fence posts set.")));
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            try (BrowserContext browser = browsers.open(browsers.newProfile(), Browsers.PHONE)) {
                Page page = openReport(browser, "walter", created.id());
                assertThat(page.locator("#workPerformed")).hasValue("Fence posts set.");
                // the administrator takes the site from walter while the report is open
                assignWalter(siteId("N-01"), siteId("N-02"));
                page.evaluate("dispatchEvent(new Event('online'))");
                assertThat(page.getByTestId("report-gone")).containsText("This report’s site is no longer yours",
                        new LocatorAssertions.ContainsTextOptions().setTimeout(30_000));
                assertThat(page.locator("#workPerformed")).hasCount(0);
            }
        } finally {
            assignWalter(siteId("N-01"), siteId("N-02"));
        }
    }

    @Test
    void aNewReportTheServerRefusesLeavesTheDeviceAndTheOutboxSaysWhy() throws Exception {
        String site = newSiteOfWalters();
        String id;
        try (BrowserContext browser = browsers.open(browsers.newProfile(), Browsers.PHONE)) {
            Page page = signIn(browser, "walter");
            browser.setOffline(true);
            page.navigate(base() + "/#/sites/" + site + "/today");
            page.locator("#workPerformed").fill("Trench dug, written offline.");
            assertThat(page.getByTestId("save-state")).hasText("Saved on this device");
            id = (String) page.evaluate("async (site) => (await (await import('/app/store.js')).allReports())"
                    + ".find((report) => report.siteId === site).id", site);
            // meanwhile another person's report took the id the phone chose (ids are random: a collision is rare,
            // and the server must refuse the create rather than write over that report)
            Api.Answer taken = as("wendy").post("/api/v1/reports", Map.of("id", id, "siteId", siteId("S-01"),
                    "date", "2024-07-09", "content", Map.of("workPerformed", "Wendy's report.")));
            assertThat(taken.status()).as(taken.toString()).isEqualTo(201);
            browser.setOffline(false);
            assertThat(page.getByTestId("report-gone")).containsText("The server did not take this report",
                    new LocatorAssertions.ContainsTextOptions().setTimeout(30_000));
            page.getByText("The Outbox says why.").click();
            assertThat(page.locator("main")).containsText("A different report already has the id " + id);
            // what was written is not lost with the refusal
            page.getByTestId("refused-content").getByText("What was sent").click();
            assertThat(page.getByTestId("refused-content")).containsText("Trench dug, written offline.");
        } finally {
            assignWalter(siteId("N-01"), siteId("N-02"));
        }
        assertThat(as("wendy").get("/api/v1/reports/" + id).body().path("content").path("workPerformed").asString())
                .isEqualTo("Wendy's report.");
    }

    @Test
    void aNewReportWrittenOfflineForADayTheServerHasAReportOfOpensTheServersReport() throws Exception {
        String site = newSiteOfWalters();
        try (BrowserContext browser = browsers.open(browsers.newProfile(), Browsers.PHONE)) {
            Page page = signIn(browser, "walter");
            browser.setOffline(true);
            page.navigate(base() + "/#/sites/" + site + "/today");
            page.locator("#notes").fill("Delivery of rebar at noon, written on the phone.");
            assertThat(page.getByTestId("save-state")).hasText("Saved on this device");
            String phones = (String) page.evaluate("async (site) => (await (await import('/app/store.js')).allReports())"
                    + ".find((report) => report.siteId === site).id", site);
            // meanwhile walter filed the day's report on his laptop
            String today = LocalDate.now(ZoneId.of("Europe/Berlin")).toString();
            Api.Answer laptops = as("walter").post("/api/v1/reports", Map.of("siteId", site, "date", today,
                    "content", Map.of("workPerformed", "Rebar cages tied, written on the laptop.")));
            assertThat(laptops.status()).as(laptops.toString()).isEqualTo(201);
            browser.setOffline(false);
            // the phone's report went into the server's: the screen opens that one, with what both wrote
            assertThat(page).hasURL(Pattern.compile(".*#/reports/" + laptops.id()),
                    new com.microsoft.playwright.assertions.PageAssertions.HasURLOptions().setTimeout(30_000));
            assertThat(page.locator("#workPerformed")).hasValue("Rebar cages tied, written on the laptop.");
            assertThat(page.locator("#notes")).hasValue("Delivery of rebar at noon, written on the phone.");
            assertThat(page.getByTestId("report-gone")).hasCount(0);
            assertThat(page.getByTestId("waiting")).hasText("All changes synced");
            assertThat(phones).isNotEqualTo(laptops.id());
            JsonNode report = as("walter").get("/api/v1/reports/" + laptops.id()).body();
            assertThat(report.path("content").path("notes").asString())
                    .isEqualTo("Delivery of rebar at noon, written on the phone.");
        } finally {
            assignWalter(siteId("N-01"), siteId("N-02"));
        }
    }

    /** A new site (Europe/Berlin) assigned to walter beside N-01 and N-02: none of his reports are of it yet. */
    private String newSiteOfWalters() {
        Api.Answer site = as("admin").post("/api/v1/sites", Map.of("code", "T-" + (System.nanoTime() % 1_000_000),
                "name", "Test yard", "timezone", "Europe/Berlin", "address", "Testweg 1, Hamburg"));
        assertThat(site.status()).as(site.toString()).isEqualTo(201);
        assignWalter(siteId("N-01"), siteId("N-02"), site.id());
        return site.id();
    }

    private void assignWalter(String... siteIds) {
        String walter = as("walter").get("/api/v1/auth/me").body().path("id").asString();
        Api.Answer assigned = as("admin").put("/api/v1/users/" + walter + "/sites", Map.of("siteIds", List.of(siteIds)));
        assertThat(assigned.status()).as(assigned.toString()).isEqualTo(200);
    }

    @Test
    void aWorkersEarlierReportsThatWaitForThemAreOnTheStartScreen() throws Exception {
        Api walter = as("walter");
        String site = newSiteOfWalters();
        try {
            String today = LocalDate.now(ZoneId.of("Europe/Berlin")).toString();
            String yesterday = LocalDate.now(ZoneId.of("Europe/Berlin")).minusDays(1).toString();
            String returned = walter.post("/api/v1/reports", Map.of("siteId", site, "date", "2024-03-04",
                    "content", Map.of("workPerformed", "Drains laid."))).id();
            assertThat(walter.post("/api/v1/reports/" + returned + "/submit").status()).isEqualTo(200);
            assertThat(as("maria").get("/api/v1/reports/" + returned).status()).as("maria's portfolio has not the site")
                    .isEqualTo(404);
            Api admin = as("admin");
            String maria = as("maria").get("/api/v1/auth/me").body().path("id").asString();
            Api.Answer portfolio = admin.post("/api/v1/portfolios", Map.of("name", "Test yard " + site.substring(0, 8),
                    "siteIds", List.of(site)));
            List<String> marias = new ArrayList<>();
            admin.get("/api/v1/users/" + maria + "/assignments").body().path("portfolioIds")
                    .forEach(id -> marias.add(id.asString()));
            List<String> withTheYard = new ArrayList<>(marias);
            withTheYard.add(portfolio.id());
            assertThat(admin.put("/api/v1/users/" + maria + "/portfolios", Map.of("portfolioIds", withTheYard)).status())
                    .isEqualTo(200);
            try {
                assertThat(as("maria").post("/api/v1/reports/" + returned + "/return",
                        Map.of("comment", "The drains' depth is missing.")).status()).isEqualTo(200);
            } finally {
                admin.put("/api/v1/users/" + maria + "/portfolios", Map.of("portfolioIds", marias));
            }
            walter.post("/api/v1/reports", Map.of("siteId", site, "date", "2024-03-05",
                    "content", Map.of("workPerformed", "Left as a draft.")));
            walter.post("/api/v1/reports", Map.of("siteId", site, "date", yesterday,
                    "content", Map.of("workPerformed", "Yesterday's, not submitted.")));
            walter.post("/api/v1/reports", Map.of("siteId", site, "date", today,
                    "content", Map.of("workPerformed", "Today's, under way.")));
            try (BrowserContext browser = browsers.open(browsers.newProfile(), Browsers.PHONE)) {
                Page page = signIn(browser, "walter");
                Locator waiting = page.getByTestId("attention");
                assertThat(waiting.getByRole(com.microsoft.playwright.options.AriaRole.HEADING)).hasText("Waiting for you");
                Locator rows = waiting.locator("a.row");
                assertThat(rows.filter(new Locator.FilterOptions().setHasText("Mon, 4 Mar 2024")))
                        .containsText("Fix it and submit it again");
                assertThat(rows.filter(new Locator.FilterOptions().setHasText("Tue, 5 Mar 2024")))
                        .containsText("Not submitted yet");
                String code = admin.get("/api/v1/sites/" + site).body().path("code").asString();
                Locator ofTheYard = rows.filter(new Locator.FilterOptions().setHasText(code));
                assertThat(ofTheYard.filter(new Locator.FilterOptions().setHasText(formatDayOf(page, yesterday))))
                        .containsText("Not submitted yet");
                // today's report is the site's button, not waiting
                assertThat(ofTheYard.filter(new Locator.FilterOptions().setHasText(formatDayOf(page, today)))).hasCount(0);
                assertThat(ofTheYard).hasCount(3);
                rows.filter(new Locator.FilterOptions().setHasText("Mon, 4 Mar 2024")).click();
                assertThat(page.getByTestId("return-comment")).hasText("The drains' depth is missing.");
                assertThat(page.locator("#workPerformed")).isEditable();
            }
        } finally {
            assignWalter(siteId("N-01"), siteId("N-02"));
        }
    }

    private long csrfRefusals() {
        return jdbc.sql("SELECT COUNT(*) FROM audit_events WHERE action = 'ACCESS_DENIED' AND changes LIKE ?")
                .param("%CSRF%").query(Long.class).single();
    }

    /** How the web app writes a day, in the browser under test. */
    private static String formatDayOf(Page page, String date) {
        return (String) page.evaluate("async (date) => (await import('/app/messages.js')).formatDay(date)", date);
    }

    @Test
    void aCrewRowRemovedByMistakeComesBackWithUndo() throws Exception {
        Api walter = as("walter");
        List<Map<String, Object>> crew = List.of(
                Map.of("trade", "Masonry", "company", "Stein KG", "headcount", 3, "hours", 24),
                Map.of("trade", "Roofing", "company", "Dach GmbH", "headcount", 2, "hours", 16));
        Api.Answer created = draft(walter, "N-02", "2024-07-11", Map.of("workPerformed", "Walls to the first floor.",
                "crew", crew));
        try (BrowserContext browser = browsers.open(browsers.newProfile(), Browsers.PHONE)) {
            Page page = openReport(browser, "walter", created.id());
            assertThat(page.locator("li.crew-row")).hasCount(2);
            // half typed in the row that stays: it moves up with its row, and back down with Undo
            page.locator("#hours-1").fill("16,x");
            page.getByText("Remove crew row 1").click();
            assertThat(page.locator("li.crew-row")).hasCount(1);
            assertThat(page.locator("#trade-0")).hasValue("Roofing");
            assertThat(page.locator("#hours-0")).hasValue("16,x");
            assertThat(page.getByRole(com.microsoft.playwright.options.AriaRole.STATUS)
                    .filter(new Locator.FilterOptions().setHasText("removed"))).containsText("Crew row 1 (Masonry) removed.");
            assertThat(page.getByTestId("undo-remove-row")).isFocused();
            page.keyboard().press("Enter");
            assertThat(page.locator("li.crew-row")).hasCount(2);
            assertThat(page.locator("#trade-0")).hasValue("Masonry");
            assertThat(page.locator("#company-0")).hasValue("Stein KG");
            assertThat(page.locator("#trade-1")).hasValue("Roofing");
            assertThat(page.locator("#hours-0")).hasValue("24");
            assertThat(page.locator("#hours-1")).hasValue("16,x");
            page.locator("#hours-1").fill("17,5");
            assertThat(page.getByTestId("undo-remove-row")).hasCount(0);
            assertThat(page.getByTestId("waiting")).hasText("All changes synced",
                    new LocatorAssertions.HasTextOptions().setTimeout(30_000));
        }
        JsonNode stored = walter.get("/api/v1/reports/" + created.id()).body().path("content").path("crew");
        assertThat(stored.size()).isEqualTo(2);
        assertThat(stored.get(0).path("trade").asString()).isEqualTo("Masonry");
        assertThat(stored.get(1).path("trade").asString()).isEqualTo("Roofing");
        assertThat(stored.get(0).path("hours").decimalValue()).isEqualByComparingTo("24");
        assertThat(stored.get(1).path("hours").decimalValue()).isEqualByComparingTo("17.5");
    }

    @Test
    void whatWasSavedOfflineIsThereAfterAnImmediateReload() throws Exception {
        try (BrowserContext browser = browsers.open(browsers.newProfile(), Browsers.PHONE)) {
            Page page = signIn(browser, "walter");
            browser.setOffline(true);
            site(page, "N-02").getByText("Today’s report").click();
            page.locator("#notes").click();
            page.keyboard().type("Every keystroke is kept on the phone.");
            assertThat(page.getByTestId("save-state")).hasText("Saved on this device");
            page.reload();
            assertThat(page.locator("#notes")).hasValue("Every keystroke is kept on the phone.");
            assertThat(page.getByTestId("waiting")).containsText("on this device");
        }
    }

    @Test
    void whatTheServerWouldRefuseIsMarkedWhereItIsUntilFixed() throws Exception {
        try (BrowserContext browser = browsers.open(browsers.newProfile(), Browsers.PHONE)) {
            Page page = signIn(browser, "walter");
            browser.setOffline(true);
            site(page, "N-02").getByText("Today’s report").click();
            page.locator("#temperature").fill("12.5");
            assertThat(page.getByTestId("save-state")).hasText("Saved on this device");
            page.locator("#temperature").fill("hot");
            assertThat(page.locator("#temperature")).hasAttribute("aria-invalid", "true");
            assertThat(page.locator("#temperature-error")).containsText("Not a number, so not saved");
            assertThat(page.getByTestId("save-state")).hasText("Saved on this device, but for the number marked");
            page.getByTestId("submit").click();
            assertThat(page.locator("main")).containsText("Fix this before submitting: A number marked could not be read.");
            assertThat(page.locator("#temperature")).isFocused();
            assertThat(page.locator("#temperature")).hasValue("hot");
            page.locator("#temperature").fill("13");
            assertThat(page.locator("#temperature")).hasAttribute("aria-invalid", "false");
            assertThat(page.getByTestId("unreadable-number")).hasCount(0);
            assertThat(page.getByTestId("save-state")).hasText("Saved on this device");

            int rows = page.locator("li.crew-row").count();
            page.getByText("+ Add a crew row").click();
            page.getByTestId("submit").click();
            assertThat(page.locator("main")).containsText("Fix this before submitting: Each crew row needs a trade.");
            Locator trade = page.locator("#trade-" + rows);
            assertThat(trade).hasAttribute("aria-invalid", "true");
            assertThat(trade).isFocused();
            assertThat(page.getByTestId("trade-missing")).hasCount(1);
            trade.fill("Scaffolding");
            assertThat(trade).hasAttribute("aria-invalid", "false");
            assertThat(page.getByTestId("trade-missing")).hasCount(0);

            // a number the server would refuse is marked where it is, in its own row, once Submit found it and until
            // it is fixed; every such field is marked, the first in the form focused
            page.getByText("+ Add a crew row").click();
            page.locator("#trade-" + (rows + 1)).fill("Painting");
            Locator hours = page.locator("#hours-" + (rows + 1));
            hours.fill("8.125");
            assertThat(page.getByTestId("save-state")).hasText("Saved on this device");
            assertThat(hours).hasAttribute("aria-invalid", "false");
            page.getByTestId("submit").click();
            assertThat(page.locator("main")).containsText("Hours must be a number from 0, with at most 2 decimals.");
            assertThat(hours).isFocused();
            assertThat(hours).hasAttribute("aria-invalid", "true");
            assertThat(page.locator("#hours-" + (rows + 1) + "-error")).hasText(
                    "Hours must be a number from 0, with at most 2 decimals.");
            page.locator("#temperature").fill("12.55");
            page.getByTestId("submit").click();
            assertThat(page.locator("#temperature")).isFocused();
            assertThat(page.locator("#temperature")).hasAttribute("aria-invalid", "true");
            assertThat(page.locator("#temperature-error")).hasText(
                    "The temperature must be between -90 and 70 °C, with at most one decimal.");
            assertThat(hours).hasAttribute("aria-invalid", "true");
            assertThat(page.getByTestId("problem-here")).hasCount(2);
            page.locator("#temperature").fill("21");
            hours.fill("8.25");
            assertThat(page.locator("#temperature")).hasAttribute("aria-invalid", "false");
            assertThat(hours).hasAttribute("aria-invalid", "false");
            assertThat(page.getByTestId("problem-here")).hasCount(0);
        }
    }

    @Test
    void aSubmissionThatArrivesAfterTheReportWasApprovedElsewhereClaimsNoReview() throws Exception {
        Api walter = as("walter");
        Api maria = as("maria");
        Api.Answer created = draft(walter, "N-01", "2024-09-16", Map.of("workPerformed", "Formwork for the ramp."));
        String id = created.id();
        try (BrowserContext browser = browsers.open(browsers.newProfile(), Browsers.PHONE)) {
            Page page = openReport(browser, "walter", id);
            assertThat(page.locator("#workPerformed")).hasValue("Formwork for the ramp.");
            browser.setOffline(true);
            page.getByTestId("submit").click();
            assertThat(page.locator("main")).containsText("It goes to the server with the next sync.");

            // meanwhile the report is submitted from elsewhere and approved: the server takes this submission as one
            // it has had, and the screen says that the report is on the server, and no more (it said "waiting for
            // review" above the report's approval)
            assertThat(walter.post("/api/v1/reports/" + id + "/submit").status()).isEqualTo(200);
            assertThat(maria.post("/api/v1/reports/" + id + "/approve").status()).isEqualTo(200);
            browser.setOffline(false);
            assertThat(page.locator("main")).containsText("Submitted: the report is on the server.",
                    new LocatorAssertions.ContainsTextOptions().setTimeout(30_000));
            assertThat(page.locator("main")).containsText("Approved");
            assertThat(page.locator("main")).not().containsText("waiting for review");
        }
    }

    @Test
    void twoTabsEditingTheSameReportOfflineSendEveryChangeOnce() throws Exception {
        String south = siteId("S-01");
        String today = LocalDate.now(ZoneId.of("Europe/Vienna")).toString();
        try (BrowserContext browser = browsers.open(browsers.newProfile(), Browsers.DESKTOP)) {
            Page first = signIn(browser, "wendy");
            browser.setOffline(true);
            site(first, "S-01").getByText("Today’s report").click();
            first.locator("#workPerformed").fill("Tiled the second floor corridor.");
            assertThat(first.getByTestId("save-state")).hasText("Saved on this device");

            Page second = browser.newPage();
            second.navigate(first.url());
            assertThat(second.locator("#workPerformed")).hasValue("Tiled the second floor corridor.");
            second.locator("#notes").fill("Inspector visit at 14:00.");
            assertThat(second.getByTestId("save-state")).hasText("Saved on this device");
            assertThat(first.locator("#notes")).hasValue("Inspector visit at 14:00.");
            first.locator("#delays").fill("Lift out of service for an hour.");
            assertThat(first.getByTestId("save-state")).hasText("Saved on this device");
            assertThat(second.locator("#delays")).hasValue("Lift out of service for an hour.");

            browser.setOffline(false);
            assertThat(first.getByTestId("waiting")).hasText("All changes synced");
            assertThat(second.getByTestId("waiting")).hasText("All changes synced");
        }
        JsonNode reports = as("wendy").get("/api/v1/reports?siteId=" + south + "&from=" + today + "&to=" + today).body();
        assertThat(reports.path("total").asInt()).isEqualTo(1);
        JsonNode content = reports.path("items").get(0).path("content");
        assertThat(content.path("workPerformed").asString()).isEqualTo("Tiled the second floor corridor.");
        assertThat(content.path("notes").asString()).isEqualTo("Inspector visit at 14:00.");
        assertThat(content.path("delays").asString()).isEqualTo("Lift out of service for an hour.");
        assertThat(reports.path("items").get(0).path("version").asLong())
                .as("one create and at most one edit per pause in typing, each applied once").isLessThanOrEqualTo(4);
    }

    @Test
    void aFieldChangedOfflineAndOnTheServerIsAConflictShownSideBySideAndResolvedFromTheInbox() throws Exception {
        String north = siteId("N-01");
        Api walter = as("walter");
        JsonNode draft = null;
        for (JsonNode report : walter.get("/api/v1/reports?size=50&status=DRAFT&siteId=" + north).body().path("items")) {
            draft = report;
        }
        assertThat(draft).isNotNull();
        String id = draft.path("id").asString();
        try (BrowserContext browser = browsers.open(browsers.newProfile(), Browsers.DESKTOP)) {
            Page page = signIn(browser, "walter");
            browser.setOffline(true);
            page.navigate(base() + "/#/reports/" + id);
            page.locator("#notes").fill("Crane inspection passed.");
            assertThat(page.getByTestId("save-state")).hasText("Saved on this device");

            JsonNode current = walter.get("/api/v1/reports/" + id).body();
            Map<String, Object> content = new java.util.LinkedHashMap<>();
            current.path("content").properties().forEach(field -> content.put(field.getKey(), field.getValue()));
            content.put("notes", "Crane inspection moved to Monday.");
            assertThat(walter.put("/api/v1/reports/" + id, Map.of("version", current.path("version").asLong(),
                    "content", content)).status()).isEqualTo(200);

            browser.setOffline(false);
            assertThat(page.getByTestId("waiting")).hasText("All changes synced");
            page.navigate(base() + "/#/conflicts");
            Locator conflict = page.getByTestId("conflicts").locator("li")
                    .filter(new Locator.FilterOptions().setHasText("Crane inspection passed."));
            assertThat(conflict).hasCount(1);
            assertThat(conflict.getByTestId("server-value")).hasText("Crane inspection moved to Monday.");
            assertThat(conflict.getByTestId("device-value")).hasText("Crane inspection passed.");
            // as in a diff: the words one side has and the other has not are marked
            assertThat(conflict.getByTestId("server-value").locator("mark")).hasText(
                    new String[] {"moved", "to", "Monday."});
            assertThat(conflict.getByTestId("device-value").locator("mark")).hasText(new String[] {"passed."});
            List<String> problems = new ArrayList<>();
            check(page, "conflicts", Map.entry("desktop", Browsers.DESKTOP), problems);
            assertThat(problems).isEmpty();
            try (BrowserContext executives = browsers.open(browsers.newProfile(), Browsers.DESKTOP)) {
                Page exec = signIn(executives, "exec");
                exec.navigate(base() + "/#/conflicts");
                Locator seen = exec.getByTestId("conflicts").locator("li")
                        .filter(new Locator.FilterOptions().setHasText("Crane inspection passed."));
                assertThat(seen.getByTestId("server-value")).hasText("Crane inspection moved to Monday.",
                        new com.microsoft.playwright.assertions.LocatorAssertions.HasTextOptions().setTimeout(30_000));
                assertThat(seen.locator("button, textarea")).hasCount(0);
                assertThat(exec.locator("fb-conflicts .lead")).containsText("its author or a manager of its site");
            }
            conflict.getByText("Take the device’s").click();
            assertThat(conflict).hasCount(0);
            page.navigate(base() + "/#/reports/" + id);
            assertThat(page.locator("#notes")).hasValue("Crane inspection passed.");
        }
        assertThat(walter.get("/api/v1/reports/" + id).body().path("content").path("notes").asString())
                .isEqualTo("Crane inspection passed.");
        for (JsonNode open : walter.get("/api/v1/sync/conflicts").body()) {
            assertThat(open.path("clientValue").asString()).isNotEqualTo("Crane inspection passed.");
        }
    }

    /** Signs the person in and opens the report with {@code id}. */
    private Page openReport(BrowserContext browser, String login, String id) {
        Page page = signIn(browser, login);
        page.navigate(base() + "/#/reports/" + id);
        return page;
    }

    /** A draft of the person's at the demo site with {@code code}, of {@code date}, with {@code content}. */
    private Api.Answer draft(Api person, String code, String date, Map<String, ?> content) {
        Api.Answer created = person.post("/api/v1/reports", Map.of("siteId", siteId(code), "date", date,
                "content", content));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created;
    }

    /** How the web app shows a moment at a site of {@code timeZone}, in the browser under test. */
    private static String formatted(Page page, String moment, String timeZone) {
        return (String) page.evaluate("async ([moment, zone]) => (await import('/app/messages.js')).formatMoment(moment, zone)",
                List.of(moment, timeZone));
    }

    @Test
    void aReportApprovedWhileTheAnswerToTheDevicesEditWasLostEndsApprovedOnTheDevice() throws Exception {
        Api walter = as("walter");
        Api maria = as("maria");
        Api.Answer created = draft(walter, "N-01", "2024-03-11",
                Map.of("workPerformed", "Poured the footings of the north wall."));
        String id = created.id();
        try (BrowserContext browser = browsers.open(browsers.newProfile(), Browsers.DESKTOP)) {
            Page page = signIn(browser, "walter");
            java.util.concurrent.atomic.AtomicBoolean answersLost = new java.util.concurrent.atomic.AtomicBoolean(true);
            java.util.concurrent.atomic.AtomicInteger lost = new java.util.concurrent.atomic.AtomicInteger();
            java.util.concurrent.atomic.AtomicInteger pullsAfterLoss = new java.util.concurrent.atomic.AtomicInteger();
            browser.route("**/api/v1/sync/push", route -> {
                if (!answersLost.get()) {
                    route.resume();
                    return;
                }
                route.fetch();
                if (lost.getAndIncrement() == 0) {
                    // the edit is applied; the manager approves the report before the device hears of it
                    assertThat(walter.post("/api/v1/reports/" + id + "/submit").status()).isEqualTo(200);
                    assertThat(maria.post("/api/v1/reports/" + id + "/approve").status()).isEqualTo(200);
                }
                route.abort();
            });
            browser.onResponse(response -> {
                if (response.url().endsWith("/api/v1/sync/pull") && lost.get() > 0) {
                    pullsAfterLoss.incrementAndGet();
                }
            });
            page.navigate(base() + "/#/reports/" + id);
            page.locator("#notes").fill("Footings inspected by the engineer.");
            assertThat(page.getByTestId("save-state")).hasText("Saved on this device");
            // the person comes back to the app while the edit is put off after the lost answer: it pulls, and
            // hears of the approval before the answer to its edit
            for (int tries = 0; pullsAfterLoss.get() == 0 && tries < 60; tries++) {
                page.evaluate("() => document.dispatchEvent(new Event('visibilitychange'))");
                page.waitForTimeout(500);
            }
            assertThat(pullsAfterLoss.get()).as("pulls after the lost answer").isPositive();
            assertThat(page.getByTestId("waiting")).containsText("1 change on this device");

            answersLost.set(false);
            page.navigate(base() + "/#/outbox");
            page.getByTestId("sync-now").click();
            assertThat(page.getByTestId("waiting")).hasText("All changes synced",
                    new com.microsoft.playwright.assertions.LocatorAssertions.HasTextOptions().setTimeout(30_000));
            JsonNode server = walter.get("/api/v1/reports/" + id).body();
            assertThat(server.path("status").asString()).isEqualTo("APPROVED");
            assertThat(server.path("content").path("notes").asString()).isEqualTo("Footings inspected by the engineer.");
            Map<?, ?> stored = storedReport(page, id);
            Map<?, ?> fields = (Map<?, ?>) stored.get("fields");
            assertThat(fields.get("status")).isEqualTo("APPROVED");
            assertThat(fields.get("notes")).isEqualTo("Footings inspected by the engineer.");
            assertThat(((Map<?, ?>) stored.get("base")).get("status")).isEqualTo("APPROVED");
            assertThat(((Number) stored.get("version")).longValue()).isEqualTo(server.path("version").asLong());
            assertThat(stored.get("serverCopy")).isNull();
            page.navigate(base() + "/#/reports/" + id);
            assertThat(page.locator("main")).containsText("Approved");
            assertThat(page.locator("main")).containsText("Footings inspected by the engineer.");
            // when it was submitted and approved, at the site's time (named when the browser's clock differs)
            String approvedAt = formatted(page, server.path("decidedAt").asString(), "Europe/Berlin");
            assertThat(page.getByTestId("history")).containsText("Submitted ");
            assertThat(page.getByTestId("history")).containsText("Approved by Maria Manager, " + approvedAt);
            assertThat(approvedAt).doesNotContain("CET").doesNotContain("GMT");
            assertThat(formatted(page, "2026-12-01T15:32:00Z", "America/Chicago")).isEqualTo("1 Dec, 09:32 GMT-6");
            assertThat(formatted(page, "2026-12-01T15:32:00Z", "Europe/Berlin")).isEqualTo("1 Dec, 16:32");
            assertThat(formatted(page, "2026-12-01T15:32:00Z", "UTC+01:00")).as("a zone the browser does not know")
                    .isEqualTo("1 Dec, 16:32");
        }
        // read in another time zone, the times are still the site's, and say so
        try (BrowserContext browser = browsers.open(browsers.newProfile(), Browsers.DESKTOP, "America/New_York")) {
            Page page = openReport(browser, "walter", id);
            String approvedAt = formatted(page, walter.get("/api/v1/reports/" + id).body().path("decidedAt").asString(),
                    "Europe/Berlin");
            assertThat(approvedAt).matches(".+ (CET|CEST|GMT\\+[12])");
            assertThat(page.getByTestId("history")).containsText("Approved by Maria Manager, " + approvedAt);
            assertThat(page.locator("#notes")).hasCount(0);
        }
    }

    @Test
    void anAdministratorManagesSitesPortfoliosUsersAndAssignmentsAndChecksTheAuditTrail() throws Exception {
        try (BrowserContext browser = browsers.open(browsers.newProfile(), Browsers.DESKTOP)) {
            Page page = signInAsAdministrator(browser);
            assertThat(page.getByTestId("users").locator("a[data-login='walter']")).containsText("Walter Worker");

            int sitesBefore = as("admin").get("/api/v1/sites").body().path("total").asInt();
            page.navigate(base() + "/#/admin/sites/new");
            page.locator("#site-code").fill("e 01");
            page.locator("#site-name").fill("East Depot");
            page.locator("#site-timezone").fill("Europe/Berlin");
            page.locator("#site-address").fill("Ostkai 4, Hamburg");
            page.getByText("Create site").click();
            assertThat(page.locator("#site-code-note")).hasText("Code: use upper-case letters, digits and - only, for example N-03.");
            assertThat(as("admin").get("/api/v1/sites").body().path("total").asInt()).isEqualTo(sitesBefore);
            page.locator("#site-code").fill("E-01");
            page.getByText("Create site").click();
            assertThat(page.locator("h1")).hasText("E-01 East Depot");
            assertThat(as("admin").get("/api/v1/sites").body().path("total").asInt())
                    .as("the corrected form created one site").isEqualTo(sitesBefore + 1);

            page.navigate(base() + "/#/admin/portfolios/new");
            page.locator("#portfolio-name").fill("East");
            page.getByTestId("portfolio-form").getByText("East Depot").click();
            page.getByText("Create portfolio").click();
            assertThat(page.locator("h1")).hasText("East");

            page.navigate(base() + "/#/users/new");
            page.locator("#user-login").fill("edgar");
            page.locator("#user-name").fill("Edgar East");
            page.locator("#user-email").fill("edgar@demo.fieldbook.app");
            page.locator("#user-role").selectOption("MANAGER");
            int usersBefore = as("admin").get("/api/v1/users").body().path("total").asInt();
            page.locator("#user-password").fill("edgar-at-the-east-depot");
            page.getByText("Create user").click();
            assertThat(page.locator("#user-password-note")).hasText("Password: it must not contain the login.");
            assertThat(as("admin").get("/api/v1/users").body().path("total").asInt()).isEqualTo(usersBefore);
            page.locator("#user-password").fill("a long first password");
            page.getByText("Create user").click();
            assertThat(page.locator("h1")).hasText("Edgar East");
            page.getByTestId("assignments").getByText("East").click();
            page.getByText("Save portfolios").click();
            assertThat(page.getByTestId("confirmed")).hasText("Saved on the server.");
        }
        // a password an administrator chose is changed first (ADR 0018)
        Api edgar = Api.anonymous(port).signIn("edgar", "a long first password");
        assertThat(edgar.get("/api/v1/sites").status()).isEqualTo(403);
        assertThat(edgar.put("/api/v1/auth/password", Map.of("currentPassword", "a long first password",
                "newPassword", "violet harbour lantern seven")).status()).isEqualTo(200);
        JsonNode eastSites = edgar.get("/api/v1/sites").body().path("items");
        assertThat(eastSites.size()).isEqualTo(1);
        assertThat(eastSites.get(0).path("code").asString()).isEqualTo("E-01");

        try (BrowserContext browser = browsers.open(browsers.newProfile(), Browsers.DESKTOP)) {
            Page page = signInAsAdministrator(browser);
            page.navigate(base() + "/#/audit");
            assertThat(page.getByTestId("audit-events").locator("tbody tr").first()).isVisible();
            page.locator("#audit-type").selectOption("Site");
            page.getByText("Show events").click();
            assertThat(page.getByTestId("audit-count")).hasText(
                    as("admin").get("/api/v1/audit/events?entityType=Site").body().path("total").asInt() + " events");
            assertThat(page.getByTestId("audit-events")).containsText("Site created");
            assertThat(page.getByTestId("audit-events").locator("td[title='SITE_CREATED']").first()).hasText("Site created");
            assertThat(page.getByTestId("audit-events")).not().containsText("Person added");
            com.microsoft.playwright.Download download = page.waitForDownload(() -> page.getByTestId("export").click());
            String csv = Files.readString(download.path());
            assertThat(csv.lines().findFirst().orElseThrow()).startsWith("occurredAt,actorLogin,actorId,action,entityType");
            assertThat(csv).contains("SITE_CREATED", "E-01", "East Depot").doesNotContain("USER_CREATED");
            page.getByTestId("verify").click();
            assertThat(page.getByTestId("verification")).containsText("The chain is intact");

            String walterReport = as("walter").get("/api/v1/reports?size=1").body().path("items").get(0).path("id")
                    .asString();
            page.getByTestId("audit-log").getByText("Reads").check();
            page.locator("#audit-type").selectOption("");
            page.locator("#audit-entity").fill(walterReport);
            page.getByText("Show events").click();
            assertThat(page.getByTestId("audit-count")).hasText(as("admin").get("/api/v1/audit/reads?entityId="
                    + walterReport).body().path("total").asInt() + " reads");
            assertThat(page.getByTestId("audit-events")).containsText("Listed");
            assertThat(page.getByTestId("audit-events")).containsText("walter");
            page.getByTestId("audit-log").getByText("Changes").check();
            assertThat(page.getByTestId("audit-events")).not().containsText("Listed");

            // a change of one crew row shows that row only, as words, not a list cut off at the same place
            Api walter = as("walter");
            List<Map<String, Object>> crew = new ArrayList<>(List.of(
                    Map.of("trade", "Concrete", "company", "Beton Nord GmbH", "headcount", 6, "hours", 48),
                    Map.of("trade", "Electrical", "company", "Volt & Co", "headcount", 2, "hours", 16)));
            Api.Answer drafted = draft(walter, "N-01", "2024-08-01", Map.of("workPerformed", "Deck poured.", "crew", crew));
            crew.set(1, Map.of("trade", "Electrical", "company", "Volt & Co", "headcount", 3, "hours", 24));
            assertThat(walter.put("/api/v1/reports/" + drafted.id(), Map.of("version", drafted.version(), "content",
                    Map.of("workPerformed", "Deck poured.", "crew", crew))).status()).isEqualTo(200);
            page.locator("#audit-entity").fill(drafted.id());
            page.getByText("Show events").click();
            Locator updated = page.getByTestId("audit-events").locator("tr", new Locator.LocatorOptions()
                    .setHasText("Report changed"));
            assertThat(updated).containsText("crew 2: Electrical (Volt & Co): 2 people, 16 h → Electrical (Volt & Co): 3 people, 24 h");
            assertThat(updated).not().containsText("crew 1:");
            // a row taken out is that row, not every row below it changed
            crew.removeFirst();
            assertThat(walter.put("/api/v1/reports/" + drafted.id(), Map.of("version", drafted.version() + 1,
                    "content", Map.of("workPerformed", "Deck poured.", "crew", crew))).status()).isEqualTo(200);
            page.getByText("Show events").click();
            Locator takenOut = page.getByTestId("audit-events").locator("tr", new Locator.LocatorOptions()
                    .setHasText("→ —"));
            assertThat(takenOut).containsText("crew 1: Concrete (Beton Nord GmbH): 6 people, 48 h → —");
            assertThat(takenOut).not().containsText("crew 2:");

            // the portfolio a manager was given is named
            page.locator("#audit-type").selectOption("");
            page.locator("#audit-entity").fill(jdbc.sql("SELECT id FROM users WHERE login = 'edgar'")
                    .query(UUID.class).single().toString());
            page.getByText("Show events").click();
            assertThat(page.getByTestId("audit-events").locator("tr", new Locator.LocatorOptions()
                    .setHasText("Assignments changed"))).containsText("portfolioIds: + East");

            UUID forged = UUID.randomUUID();
            jdbc.sql("""
                    INSERT INTO audit_events (id, occurred_at, actor_login, action, entity_type)
                    VALUES (?, CURRENT_TIMESTAMP, 'mallory', 'REPORT_APPROVED', 'DailyReport')""").param(forged).update();
            try {
                page.getByTestId("verify").click();
                assertThat(page.getByTestId("verification")).containsText("The audit trail was tampered with: event "
                        + forged);
                assertThat(page.getByTestId("verification")).containsText("forged");
            } finally {
                jdbc.sql("DELETE FROM audit_events WHERE id = ?").param(forged).update();
            }
            page.getByTestId("verify").click();
            assertThat(page.getByTestId("verification")).containsText("The chain is intact");
        }
    }

    @Test
    void aWriteRefusedForATokenChangedOnTheWayGoesOnceMoreWithTheTokenAsItIsNow() throws Exception {
        Api walter = as("walter");
        Api.Answer created = draft(walter, "N-02", "2024-06-04", Map.of("workPerformed", "Kerbs set."));
        long refusedBefore = csrfRefusals();
        try (BrowserContext browser = browsers.open(browsers.newProfile(), Browsers.DESKTOP)) {
            Page page = openReport(browser, "walter", created.id());
            // the first chunk of the upload goes out with a token the server no longer holds (a sign-in in another
            // tab set a new one while it was on its way): refused 403 csrf-token
            java.util.concurrent.atomic.AtomicInteger stale = new java.util.concurrent.atomic.AtomicInteger();
            page.route("**/api/v1/**", route -> {
                if (route.request().method().equals("PATCH") && stale.getAndIncrement() == 0) {
                    Map<String, String> headers = new java.util.HashMap<>(route.request().headers());
                    headers.put("x-xsrf-token", "a-token-of-before");
                    route.resume(new com.microsoft.playwright.Route.ResumeOptions().setHeaders(headers));
                } else {
                    route.resume();
                }
            });
            page.locator("#photo-caption").fill("Kerbs");
            page.locator("#photo-input").setInputFiles(new FilePayload[] {
                    new FilePayload("kerbs.jpg", "image/jpeg", jpeg(800, 600, Color.CYAN))});
            Locator photos = page.getByTestId("photos");
            assertThat(photos.getByText("On the server")).hasCount(1,
                    new com.microsoft.playwright.assertions.LocatorAssertions.HasCountOptions().setTimeout(30_000));
            assertThat(photos).not().containsText("refused");
        }
        assertThat(walter.get("/api/v1/reports/" + created.id() + "/photos").body().size()).isEqualTo(1);
        assertThat(csrfRefusals()).as("the stale token was refused (and audited)").isGreaterThan(refusedBefore);
    }

    @Test
    void aReviewerSeesAReportsPhotosWithoutTheAuthorsUploadStates() throws Exception {
        Api walter = as("walter");
        Api.Answer created = draft(walter, "N-02", "2024-06-05", Map.of("workPerformed", "Gravel spread."));
        assertThat(walter.postBytes("/api/v1/reports/" + created.id() + "/photos?caption=Gravel",
                jpeg(800, 600, Color.GRAY), "image/jpeg").status()).isEqualTo(201);
        assertThat(walter.post("/api/v1/reports/" + created.id() + "/submit").status()).isEqualTo(200);
        try (BrowserContext browser = browsers.open(browsers.newProfile(), Browsers.DESKTOP)) {
            Page page = openReport(browser, "maria", created.id());
            Locator photos = page.getByTestId("photos");
            assertThat(photos.locator("li")).hasCount(1);
            assertThat(photos).containsText("Gravel");
            assertThat(photos.locator(".photo-state")).hasCount(0);
        }
        try (BrowserContext browser = browsers.open(browsers.newProfile(), Browsers.DESKTOP)) {
            Page page = openReport(browser, "walter", created.id());
            assertThat(page.getByTestId("photos").getByText("On the server")).hasCount(1);
        } finally {
            // not left in the review queue, whose size other tests of the demo data count
            assertThat(as("maria").post("/api/v1/reports/" + created.id() + "/approve").status()).isEqualTo(200);
        }
    }

    @Test
    void offlineAPhotoThisDeviceNeverShowedSaysItShowsWhenOnlineInsteadOfABrokenImage() throws Exception {
        Api walter = as("walter");
        Api.Answer created = draft(walter, "N-02", "2024-06-03", Map.of("workPerformed", "Drains laid."));
        Api.Answer uploaded = walter.postBytes("/api/v1/reports/" + created.id() + "/photos?caption=Drains",
                jpeg(800, 600, Color.ORANGE), "image/jpeg");
        assertThat(uploaded.status()).as(uploaded.toString()).isEqualTo(201);
        try (BrowserContext browser = browsers.open(browsers.newProfile(), Browsers.PHONE)) {
            Page page = signIn(browser, "walter");
            assertThat(page.getByTestId("waiting")).hasText("All changes synced");
            browser.setOffline(true);
            page.navigate(base() + "/#/reports/" + created.id());
            Locator photos = page.getByTestId("photos");
            assertThat(photos.locator("li")).hasCount(1);
            assertThat(photos.locator(".thumbnail-offline")).isVisible();
            assertThat(photos.locator(".thumbnail-offline")).containsText("Shown when online");
            assertThat(photos.locator("img")).isHidden();

            browser.setOffline(false);
            assertThat(photos.locator("img")).isVisible();
            assertThat(photos.locator(".thumbnail-offline")).isHidden();
        }
    }

    @Test
    void aPhotoRemovedFromADraftGoesFromTheServerAndOneNeverSentNeverGetsThere() throws Exception {
        Api walter = as("walter");
        Api.Answer created = draft(walter, "N-02", "2024-07-01", Map.of("workPerformed", "New fence along the yard."));
        String id = created.id();
        try (BrowserContext browser = browsers.open(browsers.newProfile(), Browsers.DESKTOP)) {
            Page page = openReport(browser, "walter", id);
            Locator photos = page.getByTestId("photos");
            page.locator("#photo-caption").fill("Gate");
            page.locator("#photo-input").setInputFiles(new FilePayload[] {
                    new FilePayload("gate.jpg", "image/jpeg", jpeg(800, 600, Color.GREEN))});
            assertThat(photos.locator("li")).hasCount(1);
            page.locator("#photo-caption").fill("Fence");
            page.locator("#photo-input").setInputFiles(new FilePayload[] {
                    new FilePayload("fence.jpg", "image/jpeg", jpeg(800, 600, Color.RED))});
            assertThat(photos.getByText("On the server")).hasCount(2,
                    new com.microsoft.playwright.assertions.LocatorAssertions.HasCountOptions().setTimeout(30_000));

            // numbered as the viewer and a manager's comment count them, the buttons named with the number too
            assertThat(photos.locator(".photo-number")).hasText(new String[] {"1", "2"});
            // with the keyboard: the question takes the focus, Escape keeps the photo, a second Enter removes it
            Locator removeFence = page.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON,
                    new Page.GetByRoleOptions().setName("Remove Fence (Photo 2)").setExact(true));
            removeFence.focus();
            page.keyboard().press("Enter");
            assertThat(page.getByText("Yes, remove")).isFocused();
            page.keyboard().press("Escape");
            assertThat(removeFence).isFocused();
            page.keyboard().press("Enter");
            page.keyboard().press("Enter");
            assertThat(photos.locator("li")).hasCount(1);
            assertThat(photos.locator("button.photo-open").first()).isFocused();
            assertThat(page.getByTestId("waiting")).hasText("All changes synced",
                    new com.microsoft.playwright.assertions.LocatorAssertions.HasTextOptions().setTimeout(30_000));
            JsonNode onServer = walter.get("/api/v1/reports/" + id + "/photos").body();
            assertThat(onServer.size()).isEqualTo(1);
            assertThat(onServer.get(0).path("caption").asString()).isEqualTo("Gate");

            browser.setOffline(true);
            page.locator("#photo-caption").fill("Shed");
            page.locator("#photo-input").setInputFiles(new FilePayload[] {
                    new FilePayload("shed.jpg", "image/jpeg", jpeg(800, 600, Color.BLUE))});
            assertThat(photos.locator("li")).hasCount(2);
            assertThat(page.getByTestId("waiting")).containsText("1 change on this device");
            page.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON,
                    new Page.GetByRoleOptions().setName("Remove Shed")).click();
            page.getByText("Yes, remove").click();
            assertThat(photos.locator("li")).hasCount(1);
            assertThat(page.getByTestId("waiting")).hasText("All changes synced");
            assertThat((Number) page.evaluate(COUNT_PHOTO_BLOBS)).as("the removed photo's copy is gone").isEqualTo(0);
            browser.setOffline(false);
            assertThat(page.getByTestId("sync-status")).containsText("Online");
        }
        JsonNode onServer = walter.get("/api/v1/reports/" + id + "/photos").body();
        assertThat(onServer.size()).isEqualTo(1);
        assertThat(onServer.get(0).path("caption").asString()).isEqualTo("Gate");
    }

    @Test
    void aCaptionIsAddedToAPhotoLaterAndOneTheServerRefusesGivesWayToTheServersCaption() throws Exception {
        Api walter = as("walter");
        Api.Answer created = draft(walter, "N-02", "2024-07-04", Map.of("workPerformed", "Gate posts set."));
        String id = created.id();
        var synced = new com.microsoft.playwright.assertions.LocatorAssertions.HasTextOptions().setTimeout(30_000);
        try (BrowserContext browser = browsers.open(browsers.newProfile(), Browsers.PHONE)) {
            Page page = openReport(browser, "walter", id);
            Locator photos = page.getByTestId("photos");
            page.locator("#photo-input").setInputFiles(new FilePayload[] {
                    new FilePayload("post.jpg", "image/jpeg", jpeg(800, 600, Color.GREEN))});
            assertThat(photos.getByText("On the server")).hasCount(1,
                    new com.microsoft.playwright.assertions.LocatorAssertions.HasCountOptions().setTimeout(30_000));

            // added later, on the photo itself
            page.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON,
                    new Page.GetByRoleOptions().setName("Add a caption to Photo 1")).click();
            assertThat(page.locator("#caption-edit")).isFocused();
            page.locator("#caption-edit").fill("Gate post, north");
            List<String> problems = new ArrayList<>();
            Browsers.check(page, "report-caption-phone", problems, false);
            assertThat(problems).isEmpty();
            page.locator("form.caption-edit").getByText("Save", new Locator.GetByTextOptions().setExact(true)).click();
            assertThat(photos.locator("figcaption")).containsText("Gate post, north");
            assertThat(page.getByTestId("waiting")).hasText("All changes synced", synced);
            JsonNode photo = walter.get("/api/v1/reports/" + id + "/photos").body().get(0);
            assertThat(photo.path("caption").asString()).isEqualTo("Gate post, north");

            // changed offline while the same person changed it elsewhere: the device's change is refused as
            // stale, and the server's caption shows
            browser.setOffline(true);
            page.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON,
                    new Page.GetByRoleOptions().setName("Edit the caption of Gate post, north")).click();
            page.locator("#caption-edit").fill("Gate post, north side");
            page.locator("#caption-edit").press("Enter");
            assertThat(photos.locator("figcaption")).containsText("Gate post, north side");
            assertThat(page.getByTestId("waiting")).containsText("1 change on this device");
            assertThat(walter.put("/api/v1/photos/" + photo.path("id").asString() + "/caption",
                    Map.of("caption", "Gate post N1", "version", photo.path("version").asLong())).status()).isEqualTo(200);
            browser.setOffline(false);
            assertThat(page.getByTestId("waiting")).hasText("All changes synced", synced);
            assertThat(photos.locator("figcaption")).containsText("Gate post N1");
            assertThat(photos.getByText("Gate post, north side")).hasCount(0);

            // a caption given to a photo whose announcement was not sent yet goes with the announcement
            browser.setOffline(true);
            page.locator("#photo-input").setInputFiles(new FilePayload[] {
                    new FilePayload("rail.jpg", "image/jpeg", jpeg(800, 600, Color.BLUE))});
            assertThat(photos.locator("li")).hasCount(2);
            photos.locator("li").filter(new Locator.FilterOptions().setHasNotText("Gate post"))
                    .getByText("Add caption").click();
            page.locator("#caption-edit").fill("Handrail");
            page.locator("#caption-edit").press("Enter");
            assertThat(page.getByTestId("waiting")).containsText("1 change on this device");
            browser.setOffline(false);
            assertThat(page.getByTestId("waiting")).hasText("All changes synced", synced);
            assertThat(walter.get("/api/v1/reports/" + id + "/photos").body().valueStream()
                    .map(p -> p.path("caption").asString())).containsExactlyInAnyOrder("Gate post N1", "Handrail");

            // a change held back, not sent yet (behind a change of its report that the server would refuse), while a
            // pull brings the photo changed elsewhere keeps the version it was based on: the server refuses it rather
            // than writing over the other change
            java.util.concurrent.atomic.AtomicInteger pulls = new java.util.concurrent.atomic.AtomicInteger();
            browser.onResponse(response -> {
                if (response.url().endsWith("/api/v1/sync/pull")) {
                    pulls.incrementAndGet();
                }
            });
            page.locator("#temperature").fill("12.55");
            assertThat(page.getByTestId("save-state")).hasText("Saved on this device");
            photos.locator("li").filter(new Locator.FilterOptions().setHasText("Handrail"))
                    .getByText("Edit caption").click();
            page.locator("#caption-edit").fill("Handrail, east");
            page.locator("#caption-edit").press("Enter");
            JsonNode rail = walter.get("/api/v1/reports/" + id + "/photos").body().valueStream()
                    .filter(p -> p.path("caption").asString().equals("Handrail")).findFirst().orElseThrow();
            assertThat(walter.put("/api/v1/photos/" + rail.path("id").asString() + "/caption", Map.of(
                    "caption", "Handrail, painted", "version", rail.path("version").asLong())).status()).isEqualTo(200);
            int pulledBefore = pulls.get();
            for (int tries = 0; pulls.get() == pulledBefore && tries < 60; tries++) {
                page.evaluate("() => document.dispatchEvent(new Event('visibilitychange'))");
                page.waitForTimeout(500);
            }
            assertThat(pulls.get()).as("pulls while the change waits").isGreaterThan(pulledBefore);
            assertThat(photos.getByText("Handrail, east")).hasCount(1);
            assertThat(page.getByTestId("waiting")).containsText("2 changes on this device");
            page.locator("#temperature").fill("12.5");
            page.evaluate("dispatchEvent(new Event('online'))");
            assertThat(photos.getByText("Handrail, painted")).hasCount(1,
                    new com.microsoft.playwright.assertions.LocatorAssertions.HasCountOptions().setTimeout(30_000));
            assertThat(walter.get("/api/v1/photos/" + rail.path("id").asString()).body().path("caption").asString())
                    .isEqualTo("Handrail, painted");

            // changed offline while the report was submitted elsewhere: the server's caption shows again
            browser.setOffline(true);
            page.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON,
                    new Page.GetByRoleOptions().setName("Edit the caption of Gate post N1")).click();
            page.locator("#caption-edit").fill("Gate post N1, rusted");
            page.locator("#caption-edit").press("Enter");
            assertThat(page.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON,
                    new Page.GetByRoleOptions().setName("Edit the caption of Gate post N1, rusted"))).isFocused();
            assertThat(walter.post("/api/v1/reports/" + id + "/submit").status()).isEqualTo(200);
            browser.setOffline(false);
            assertThat(photos.getByText("Gate post N1, rusted")).hasCount(0,
                    new com.microsoft.playwright.assertions.LocatorAssertions.HasCountOptions().setTimeout(30_000));
            assertThat(photos.getByText("Gate post N1", new Locator.GetByTextOptions().setExact(true))).hasCount(1);
            page.navigate(base() + "/#/outbox");
            assertThat(page.locator("main")).containsText("Photo caption");
        }
        assertThat(walter.get("/api/v1/reports/" + id + "/photos").body().valueStream()
                .map(p -> p.path("caption").asString())).containsExactlyInAnyOrder("Gate post N1", "Handrail, painted");
    }

    @Test
    void aPhotoWhoseUploadFailedIsSentAgainByItselfAfterAShortWait() throws Exception {
        Api walter = as("walter");
        Api.Answer created = draft(walter, "N-02", "2024-07-02", Map.of("workPerformed", "Gravel for the yard."));
        try (BrowserContext browser = browsers.open(browsers.newProfile(), Browsers.DESKTOP)) {
            Page page = signIn(browser, "walter");
            java.util.concurrent.atomic.AtomicInteger chunks = new java.util.concurrent.atomic.AtomicInteger();
            browser.route("**/api/v1/sync/uploads/**", route -> {
                if (route.request().method().equals("PATCH") && chunks.getAndIncrement() == 0) {
                    route.abort(); // the connection drops in the middle of the first chunk
                } else {
                    route.resume();
                }
            });
            page.navigate(base() + "/#/reports/" + created.id());
            page.locator("#photo-caption").fill("Gravel");
            page.locator("#photo-input").setInputFiles(new FilePayload[] {
                    new FilePayload("gravel.jpg", "image/jpeg", jpeg(800, 600, Color.ORANGE))});
            // sent again after its backoff, with nothing else changed and well before the 30 s periodic sync
            assertThat(page.getByTestId("photos").getByText("On the server")).hasCount(1,
                    new com.microsoft.playwright.assertions.LocatorAssertions.HasCountOptions().setTimeout(15_000));
            assertThat(chunks.get()).as("upload requests").isGreaterThanOrEqualTo(2);
        }
        assertThat(walter.get("/api/v1/reports/" + created.id() + "/photos").body().size()).isOne();
    }

    @Test
    void aServerCopyPulledWhileTwoChangesWaitStaysBesideUntilTheLastIsAnswered() throws Exception {
        String north = siteId("N-01");
        try (BrowserContext browser = browsers.open(browsers.newProfile(), Browsers.DESKTOP)) {
            Page page = signIn(browser, "walter");
            browser.setOffline(true);
            Map<?, ?> outcome = (Map<?, ?>) page.evaluate("""
                    async (siteId) => {
                      const store = await import('/app/store.js');
                      const me = await store.account();
                      const id = crypto.randomUUID();
                      const report = (version, status, notes) => ({ id, siteId, date: '2024-06-03', authorId: me.id,
                        status, returnComment: null, version, content: { workPerformed: 'Drainage.', notes, crew: [] } });
                      await store.pulled({ reports: [report(2, 'DRAFT', 'a')] });
                      await store.saveReport({ id, siteId, date: '2024-06-03' }, { notes: 'b' }, me);
                      const first = await store.sendable(100, new Set());
                      await store.freeze(first);
                      await store.saveReport({ id, siteId, date: '2024-06-03' }, { notes: 'c' }, me);
                      await store.pulled({ reports: [report(4, 'APPROVED', 'b')] });
                      await store.acknowledge(first, [{ operationId: first[0].operationId, outcome: 'APPLIED',
                        entityId: id, entityVersion: 3 }]);
                      const between = await store.report(id);
                      const second = await store.sendable(100, new Set());
                      const [operation] = await store.freeze(second);
                      await store.acknowledge(second, [{ operationId: second[0].operationId, outcome: 'CONFLICT',
                        entityId: id, entityVersion: 4 }]);
                      return { between, operation, settled: await store.report(id) };
                    }""", north);
            Map<?, ?> between = (Map<?, ?>) outcome.get("between");
            assertThat(((Number) ((Map<?, ?>) between.get("serverCopy")).get("version")).intValue()).isEqualTo(4);
            assertThat(((Map<?, ?>) between.get("base")).get("notes")).isEqualTo("b");
            assertThat(((Map<?, ?>) between.get("fields")).get("notes")).isEqualTo("c");
            Map<?, ?> operation = (Map<?, ?>) outcome.get("operation");
            assertThat(((Number) operation.get("baseVersion")).intValue()).isEqualTo(3);
            assertThat(((Map<?, ?>) ((Map<?, ?>) operation.get("changes")).get("notes")).get("base"))
                    .as("the later change's base is what the person saw, not the copy kept beside").isEqualTo("b");
            Map<?, ?> settled = (Map<?, ?>) outcome.get("settled");
            assertThat(settled.get("serverCopy")).isNull();
            assertThat(((Map<?, ?>) settled.get("fields")).get("status")).isEqualTo("APPROVED");
            assertThat(((Map<?, ?>) settled.get("fields")).get("notes")).isEqualTo("b");
            assertThat(((Number) settled.get("version")).intValue()).isEqualTo(4);
        }
    }

    @Test
    void aCreateMergedIntoAReportTheDeviceHadPulledKeepsThePulledReport() throws Exception {
        String north = siteId("N-01");
        try (BrowserContext browser = browsers.open(browsers.newProfile(), Browsers.DESKTOP)) {
            Page page = signIn(browser, "walter");
            browser.setOffline(true);
            Map<?, ?> outcome = (Map<?, ?>) page.evaluate(MERGED_CREATE, Map.of("siteId", north, "laterChange", false));
            Map<?, ?> merged = (Map<?, ?>) outcome.get("merged");
            assertThat(outcome.get("mine")).as("the device's id is gone").isNull();
            assertThat(((Map<?, ?>) merged.get("fields")).get("notes")).isEqualTo("Filled by the other device.");
            assertThat(((Map<?, ?>) merged.get("base")).get("notes")).isEqualTo("Filled by the other device.");
            assertThat(((Number) merged.get("version")).intValue()).isEqualTo(3);

            outcome = (Map<?, ?>) page.evaluate(MERGED_CREATE, Map.of("siteId", north, "laterChange", true));
            merged = (Map<?, ?>) outcome.get("merged");
            assertThat(((Map<?, ?>) merged.get("base")).get("notes")).as("the later change's base is what the person saw")
                    .isNull();
            assertThat(((Map<?, ?>) merged.get("fields")).get("delays")).isEqualTo("Typed after the create.");
            assertThat(((Map<?, ?>) ((Map<?, ?>) merged.get("serverCopy")).get("fields")).get("notes"))
                    .isEqualTo("Filled by the other device.");
            Map<?, ?> settled = (Map<?, ?>) outcome.get("settled");
            assertThat(settled.get("serverCopy")).isNull();
            assertThat(((Map<?, ?>) settled.get("fields")).get("notes")).as("the kept copy holds the outcome")
                    .isEqualTo("Filled by the other device.");
            assertThat(((Map<?, ?>) settled.get("fields")).get("delays")).isNull();
        }
    }

    @Test
    void aPhotoWhoseContentTheServerRefusesIsNotSentAgain() throws Exception {
        String north = siteId("N-01");
        try (BrowserContext browser = browsers.open(browsers.newProfile(), Browsers.DESKTOP)) {
            Page page = signIn(browser, "walter");
            java.util.concurrent.atomic.AtomicInteger chunks = new java.util.concurrent.atomic.AtomicInteger();
            browser.onRequest(request -> {
                if (request.method().equals("PATCH") && request.url().contains("/api/v1/sync/uploads/")) {
                    chunks.incrementAndGet();
                }
            });
            // a JPEG's start followed by garbage, as a device whose photo went wrong would hold it
            Map<?, ?> photo = (Map<?, ?>) page.evaluate("""
                    async (siteId) => {
                      const store = await import('/app/store.js');
                      const me = await store.account();
                      const id = crypto.randomUUID();
                      await store.saveReport({ id, siteId, date: '2024-06-03' }, { workPerformed: 'Fencing.' }, me);
                      const bytes = new Uint8Array(4096).map((_, i) => (i * 31 + 7) % 251);
                      bytes.set([0xFF, 0xD8, 0xFF, 0xE0], 0);
                      const digest = await crypto.subtle.digest('SHA-256', bytes);
                      const sha256 = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
                      const blob = new Blob([bytes], { type: 'image/jpeg' });
                      const photoId = await store.addPhoto(id, { sha256, size: bytes.length,
                        takenAt: new Date().toISOString(), blob, thumb: blob }, 'Gate', me);
                      const engine = document.querySelector('fb-app').engine;
                      await engine.syncNow();
                      await engine.syncNow();
                      const held = (await store.photosOf(id)).find((p) => p.id === photoId);
                      return { photoId, refused: held.refused ?? null, copy: !!held.blob };
                    }""", north);
            assertThat((String) photo.get("refused")).as("the photo is marked refused").contains("422");
            assertThat(photo.get("copy")).as("the device keeps its copy").isEqualTo(true);
            assertThat(chunks.get()).as("upload requests for content the server refuses").isLessThanOrEqualTo(2);
            // a refused photo waits for nothing: the banner does not count it
            assertThat(page.getByTestId("waiting")).hasText("All changes synced");
            JsonNode onServer = as("walter").get("/api/v1/photos/" + photo.get("photoId")).body();
            assertThat(onServer.path("pending").asBoolean()).as("the server stored nothing").isTrue();
        }
    }

    @Test
    void aSubmissionIsNotSentWhileAPhotoAttachedBeforeItWaitsToBeAnnounced() throws Exception {
        String north = siteId("N-01");
        try (BrowserContext browser = browsers.open(browsers.newProfile(), Browsers.DESKTOP)) {
            Page page = signIn(browser, "walter");
            browser.setOffline(true);
            @SuppressWarnings("unchecked")
            List<String> first = (List<String>) page.evaluate("""
                    async (siteId) => {
                      const store = await import('/app/store.js');
                      const me = await store.account();
                      const id = crypto.randomUUID();
                      await store.saveReport({ id, siteId, date: '2024-04-02' }, { workPerformed: 'Roofing.' }, me);
                      const create = await store.sendable(100, new Set());
                      await store.freeze(create);
                      await store.acknowledge(create, create.map((entry) => ({ operationId: entry.operationId,
                        outcome: 'APPLIED', entityId: id, entityVersion: 1 })));
                      const blob = new Blob([new Uint8Array([1, 2, 3])], { type: 'image/jpeg' });
                      await store.addPhoto(id, { sha256: '0'.repeat(64), size: 3, takenAt: new Date().toISOString(),
                        blob, thumb: blob }, 'Roof', me);
                      await store.submitReport(id, me);
                      return (await store.sendable(100, new Set())).map((entry) => entry.entity + ' ' + entry.kind
                        + ('status' in entry.changes ? ' status' : ''));
                    }""", north);
            assertThat(first).containsExactly("Photo CREATE");
        }
    }

    /**
     * A device creates its report of a site and day (the create sent, its answer not yet recorded), then
     * pulls the server's report of that site and day under another id, and the create's answer says it
     * was merged into that report. With {@code laterChange}, the person typed on after the create.
     */
    private static final String MERGED_CREATE = """
            async ({ siteId, laterChange }) => {
              const store = await import('/app/store.js');
              const me = await store.account();
              const mine = crypto.randomUUID();
              const theirs = crypto.randomUUID();
              const date = laterChange ? '2024-05-07' : '2024-05-06';
              await store.saveReport({ id: mine, siteId, date }, { workPerformed: 'Typed on this device.' }, me);
              const create = await store.sendable(100, new Set());
              await store.freeze(create);
              if (laterChange) {
                await store.saveReport({ id: mine, siteId, date }, { workPerformed: 'Typed on this device.',
                  delays: 'Typed after the create.' }, me);
              }
              await store.pulled({ reports: [{ id: theirs, siteId, date, authorId: me.id, status: 'DRAFT',
                returnComment: null, version: 3, content: { workPerformed: 'Typed on this device.',
                  notes: 'Filled by the other device.', crew: [] } }] });
              await store.acknowledge(create, [{ operationId: create[0].operationId, outcome: 'APPLIED',
                entityId: theirs, entityVersion: 3 }]);
              const merged = await store.report(theirs);
              let settled = null;
              if (laterChange) {
                const later = await store.sendable(100, new Set());
                await store.freeze(later);
                await store.acknowledge(later, [{ operationId: later[0].operationId, outcome: 'CONFLICT',
                  entityId: theirs, entityVersion: 3 }]);
                settled = await store.report(theirs);
              }
              return { mine: (await store.report(mine)) ?? null, merged, settled };
            }""";

    @Test
    void oneWorkersPhoneAndLaptopChangingAFieldOfflineMeetInTheConflictsInboxAndBothConvergeOnTheResolution()
            throws Exception {
        Api walter = as("walter");
        Api maria = as("maria");
        String north = siteId("N-01");
        String shared = walter.post("/api/v1/reports", Map.of("siteId", north, "date", "2024-09-02",
                "content", Map.of("notes", "Crane booked."))).id();
        String returned = walter.post("/api/v1/reports", Map.of("siteId", north, "date", "2024-09-03",
                "content", Map.of("workPerformed", "Rebar for the ramp."))).id();
        assertThat(walter.post("/api/v1/reports/" + returned + "/submit").status()).isEqualTo(200);
        assertThat(maria.post("/api/v1/reports/" + returned + "/return", Map.of("comment", "Which ramp?")).status())
                .isEqualTo(200);
        try (BrowserContext phone = browsers.open(browsers.newProfile(), Browsers.PHONE);
                BrowserContext laptop = browsers.open(browsers.newProfile(), Browsers.DESKTOP)) {
            Page onPhone = signIn(phone, "walter");
            Page onLaptop = signIn(laptop, "walter");
            phone.setOffline(true);
            laptop.setOffline(true);
            onPhone.navigate(base() + "/#/reports/" + shared);
            assertThat(onPhone.locator("#notes")).hasValue("Crane booked.");
            onPhone.locator("#notes").fill("Crane arrives at 7.");
            assertThat(onPhone.getByTestId("save-state")).hasText("Saved on this device");
            onPhone.navigate(base() + "/#/reports/" + returned);
            assertThat(onPhone.locator("#workPerformed")).hasValue("Rebar for the ramp.");
            onPhone.locator("#workPerformed").fill("Rebar for the east ramp.");
            assertThat(onPhone.getByTestId("save-state")).hasText("Saved on this device");
            onLaptop.navigate(base() + "/#/reports/" + shared);
            assertThat(onLaptop.locator("#notes")).hasValue("Crane booked.");
            onLaptop.locator("#notes").fill("Crane arrives at 9.");
            assertThat(onLaptop.getByTestId("save-state")).hasText("Saved on this device");

            // meanwhile the report returned to the worker is submitted again from elsewhere, and approved
            assertThat(walter.post("/api/v1/reports/" + returned + "/submit").status()).isEqualTo(200);
            assertThat(maria.post("/api/v1/reports/" + returned + "/approve").status()).isEqualTo(200);

            phone.setOffline(false);
            assertThat(onPhone.getByTestId("waiting")).hasText("All changes synced");
            laptop.setOffline(false);
            assertThat(onLaptop.getByTestId("waiting")).hasText("All changes synced");

            onLaptop.navigate(base() + "/#/conflicts");
            Locator conflict = onLaptop.getByTestId("conflicts").locator("li")
                    .filter(new Locator.FilterOptions().setHasText("Crane arrives at 9."));
            assertThat(conflict).hasCount(1);
            assertThat(conflict.getByTestId("server-value")).hasText("Crane arrives at 7.");
            assertThat(conflict.getByTestId("device-value")).hasText("Crane arrives at 9.");
            conflict.getByText("Take the device’s").click();
            assertThat(conflict).hasCount(0);

            onPhone.navigate(base() + "/#/outbox");
            onPhone.getByTestId("sync-now").click();
            onPhone.navigate(base() + "/#/reports/" + shared);
            assertThat(onPhone.locator("#notes")).hasValue("Crane arrives at 9.",
                    new com.microsoft.playwright.assertions.LocatorAssertions.HasValueOptions().setTimeout(30_000));
            onLaptop.navigate(base() + "/#/reports/" + shared);
            assertThat(onLaptop.locator("#notes")).hasValue("Crane arrives at 9.");
            onPhone.navigate(base() + "/#/reports/" + returned);
            assertThat(onPhone.locator("main")).containsText("Approved");
            assertThat(onPhone.locator("main")).containsText("Rebar for the ramp.");
            assertThat(onPhone.locator("#workPerformed")).hasCount(0);
            onPhone.navigate(base() + "/#/conflicts");
            Locator locked = onPhone.getByTestId("conflicts").locator("li")
                    .filter(new Locator.FilterOptions().setHasText("Rebar for the east ramp."));
            assertThat(locked).hasCount(1);
            assertThat(locked.getByTestId("server-value")).hasText("Rebar for the ramp.");
        }
        assertThat(walter.get("/api/v1/reports/" + shared).body().path("content").path("notes").asString())
                .isEqualTo("Crane arrives at 9.");
        JsonNode approved = walter.get("/api/v1/reports/" + returned).body();
        assertThat(approved.path("status").asString()).isEqualTo("APPROVED");
        assertThat(approved.path("content").path("workPerformed").asString()).isEqualTo("Rebar for the ramp.");
    }

    @Test
    void theMainScreensHaveNoSeriousAccessibilityProblemsAndArePhotographed() throws Exception {
        List<String> problems = new ArrayList<>();
        for (var size : Map.of("phone", Browsers.PHONE, "desktop", Browsers.DESKTOP).entrySet()) {
            String north1 = siteId("N-01");
            String returned = reportIn("walter", "RETURNED");
            try (BrowserContext browser = browsers.open(browsers.newProfile(), size.getValue())) {
                Page page = Browsers.page(browser);
                page.navigate(base() + "/");
                assertThat(page.locator("#login")).isVisible();
                check(page, "sign-in", size, problems);
                page = signIn(browser, "walter");
                assertThat(page.locator("fb-first-run")).containsText("New to Fieldbook?");
                check(page, "sites", size, problems);
                page.getByText("Read the guide").click();
                assertThat(page.locator("fb-help")).containsText("Today’s report");
                check(page, "help", size, problems);
                page.navigate(base() + "/#/");
                assertThat(site(page, "N-01")).isVisible();
                assertThat(page.locator("fb-first-run")).not().containsText("New to Fieldbook?");
                page.navigate(base() + "/#/reports/" + returned);
                assertThat(page.getByTestId("return-comment")).containsText("Hours of the electricians");
                assertThat(page.getByTestId("photos").getByText("On the server")).hasCount(1);
                assertThat(page.getByTestId("photos").locator("img")).hasAttribute("alt", "Electrical conduits, east side");
                page.waitForFunction("() => document.querySelector('[data-testid=photos] img').naturalWidth > 0");
                check(page, "report-returned", size, problems);
                page.getByTestId("photos").locator("button.photo-open").first().click();
                Locator viewer = page.getByTestId("photo-viewer");
                assertThat(viewer).isVisible();
                assertThat(viewer.locator("#viewer-title")).hasText("Electrical conduits, east side");
                page.waitForFunction("() => document.querySelector('[data-testid=viewer-image]')?.naturalWidth > 0");
                assertThat(page.getByTestId("viewer-image")).hasAttribute("data-full", "yes");
                check(page, "photo-viewer", size, problems);
                page.keyboard().press("Escape");
                assertThat(viewer).isHidden();
                String siteOfReturned = as("walter").get("/api/v1/reports/" + returned).body().path("siteId").asString();
                page.navigate(base() + "/#/sites/" + siteOfReturned + "/photos");
                assertThat(page.getByTestId("gallery").first().locator("img").first()).isVisible();
                page.waitForFunction("() => [...document.querySelectorAll('[data-testid=gallery] img')].every((img) => img.naturalWidth > 0)");
                check(page, "gallery", size, problems);
                page.navigate(base() + "/#/sites/" + north1);
                assertThat(page.locator("a.row").first()).isVisible();
                check(page, "past-reports", size, problems);
                browser.setOffline(true);
                page.navigate(base() + "/#/");
                site(page, "N-02").getByText("Today’s report").click();
                page.locator("#workPerformed").fill("Unloaded racking for aisles 4 to 6.");
                assertThat(page.getByTestId("save-state")).hasText("Saved on this device");
                check(page, "report-today", size, problems);
                page.locator("#photo-input").setInputFiles(new FilePayload[] {
                        new FilePayload("racking.jpg", "image/jpeg", jpeg(1600, 1200, Color.ORANGE))});
                assertThat(page.getByTestId("photos").getByText("On this device")).hasCount(1);
                page.locator("fieldset.photos").evaluate("element => element.scrollIntoView({block: 'center'})");
                check(page, "report-photos", size, problems, false);
                page.getByTestId("photos").locator("button.photo-open").first().click();
                assertThat(page.getByTestId("viewer-image")).hasAttribute("data-full", "yes");
                assertThat(page.getByTestId("viewer-position")).containsText("Photo 1 of 1");
                page.getByTestId("photo-viewer").getByText("Close").click();
                assertThat(page.getByTestId("photo-viewer")).isHidden();
                page.navigate(base() + "/#/outbox");
                assertThat(page.getByTestId("outbox")).isVisible();
                check(page, "outbox", size, problems);
                page.getByTestId("sync-now").click();
                assertThat(page.getByTestId("sync-offline")).containsText("No connection");
            }
            String submitted = reportIn("walter", "SUBMITTED");
            try (BrowserContext browser = browsers.open(browsers.newProfile(), size.getValue())) {
                Page page = signIn(browser, "maria");
                assertThat(page.locator("fb-review a.row").first()).isVisible();
                assertThat(page.locator("fb-first-run")).containsText(
                        "how to review your sites’ reports, follow them day by day and close the month");
                check(page, "review", size, problems);
                if (size.getValue() == Browsers.PHONE) {
                    // a manager's menu does not fit a phone's row: its cut end fades, and so does its start once
                    // scrolled; the current screen's link is scrolled into the row
                    Locator menu = page.locator("header nav");
                    assertThat(menu).hasAttribute("data-more", "end");
                    menu.evaluate("menu => menu.scrollLeft = menu.scrollWidth");
                    assertThat(menu).hasAttribute("data-more", "start");
                    page.navigate(base() + "/#/help");
                    assertThat(page.locator("fb-help")).isVisible();
                    menu.evaluate("menu => menu.scrollLeft = 0");
                    page.navigate(base() + "/#/security");
                    assertThat(menu).hasAttribute("data-more", Pattern.compile("^start"));
                    assertThat(menu.locator("a[aria-current='page']")).isInViewport(
                            new LocatorAssertions.IsInViewportOptions().setRatio(1));
                }
                page.navigate(base() + "/#/reports/" + submitted);
                assertThat(page.getByText("Return with comment")).isVisible();
                int waitingForReview = as("maria").get("/api/v1/reports?size=50&status=SUBMITTED").body()
                        .path("total").asInt();
                assertThat(waitingForReview).as("the demo data has at most two submitted reports").isBetween(1, 2);
                assertThat(page.locator(".queue-nav a")).hasCount(waitingForReview - 1);
                check(page, "report-review", size, problems);
                page.navigate(base() + "/#/dashboard");
                assertThat(page.getByTestId("status-grid").locator("tbody tr")).hasCount(2);
                if (page.locator(".status-grid td.cell-approved").count() == 0) {
                    page.getByLabel("Previous month").click();
                }
                assertThat(page.locator(".status-grid td.cell-approved")).hasCount(1);
                assertThat(page.getByTestId("dashboard-source")).hasAttribute("data-source", "server");
                assertThat(page.getByTestId("trades")).containsText("Concrete");
                check(page, "dashboard", size, problems);
                page.navigate(base() + "/#/audit");
                assertThat(page.getByTestId("audit-events").locator("tbody tr").first()).isVisible();
                page.navigate(base() + "/#/help");
                assertThat(page.locator("fb-help ol.guide li")).hasCount(5);
                assertThat(page.locator("fb-help")).containsText("Month-end gives a month’s figures");
            }
            try (BrowserContext browser = browsers.open(browsers.newProfile(), size.getValue())) {
                Page page = signIn(browser, "exec");
                assertThat(page.locator("fb-first-run")).containsText("how to follow every site");
                assertThat(page.locator("nav a[href='#/month-end']")).hasCount(1);
                assertThat(page.getByTestId("status-grid").locator("tbody tr"))
                        .hasCount(as("exec").get("/api/v1/sites").body().path("total").asInt());
                if (page.locator(".status-grid td.cell-approved").count() == 0) {
                    page.getByLabel("Previous month").click();
                }
                assertThat(page.locator(".status-grid td.cell-approved")).hasCount(1);
                assertThat(page.getByTestId("dashboard-source")).hasAttribute("data-source", "server");
                check(page, "dashboard-executive", size, problems);
            }
            try (BrowserContext browser = browsers.open(browsers.newProfile(), size.getValue())) {
                Page page = signInAsAdministrator(browser);
                check(page, "users", size, problems);
                page.getByTestId("users").locator("a[data-login='walter']").click();
                assertThat(page.getByTestId("assignments")).containsText("Harbour Bridge Retrofit");
                check(page, "user", size, problems);
                page.navigate(base() + "/#/admin/sites");
                page.getByTestId("admin-sites").locator("a[data-code='N-01']").click();
                assertThat(page.locator("#site-timezone")).hasValue("Europe/Berlin");
                check(page, "site-admin", size, problems);
                page.navigate(base() + "/#/admin/portfolios");
                page.getByTestId("portfolios").getByText("North").click();
                assertThat(page.getByTestId("portfolio-form").locator("input:checked")).hasCount(2);
                check(page, "portfolio", size, problems);
                page.navigate(base() + "/#/audit");
                assertThat(page.getByTestId("audit-events").locator("tbody tr").first()).isVisible();
                page.getByTestId("verify").click();
                assertThat(page.getByTestId("verification")).containsText("The chain is intact");
                check(page, "audit", size, problems);
                page.getByTestId("audit-log").getByText("Reads").check();
                assertThat(page.getByTestId("audit-count")).containsText("read");
                check(page, "audit-reads", size, problems);
            }
        }
        assertThat(problems).isEmpty();
    }

    private String reportIn(String login, String status) {
        for (JsonNode report : as(login).get("/api/v1/reports?size=50&status=" + status).body().path("items")) {
            return report.path("id").asString();
        }
        throw new AssertionError("no " + status + " report of " + login);
    }

    /** Runs the axe rules on the page and writes its screenshot to docs/screenshots. */
    private static void check(Page page, String screen, Map.Entry<String, ViewportSize> size, List<String> problems)
            throws Exception {
        check(page, screen, size, problems, true);
    }

    private static void check(Page page, String screen, Map.Entry<String, ViewportSize> size, List<String> problems,
            boolean fromTheTop) throws Exception {
        page.waitForLoadState();
        page.evaluate("() => document.activeElement?.blur()");
        if (fromTheTop) {
            page.evaluate("() => window.scrollTo(0, 0)");
        }
        Browsers.check(page, screen + "-" + size.getKey(), problems, false);
    }

    /** How many photos the device still keeps a full copy of (deleted only after the server's receipt). */
    private static final String COUNT_PHOTO_BLOBS = """
            async () => {
              const db = await new Promise((resolve, reject) => {
                const request = indexedDB.open('fieldbook');
                request.onsuccess = () => resolve(request.result);
                request.onerror = () => reject(request.error);
              });
              const all = await new Promise((resolve) => {
                const request = db.transaction('photos').objectStore('photos').getAll();
                request.onsuccess = () => resolve(request.result);
              });
              db.close();
              return all.filter((photo) => photo.blob).length;
            }""";

    private static byte[] jpeg(int width, int height, Color color) throws Exception {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = image.createGraphics();
        graphics.setColor(color);
        graphics.fillRect(0, 0, width, height);
        graphics.setColor(Color.DARK_GRAY);
        graphics.fillOval(width / 4, height / 4, width / 2, height / 2);
        graphics.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "jpeg", out);
        return out.toByteArray();
    }

    /** The device's stored record of a report (IndexedDB), as the app keeps it. */
    private static Map<?, ?> storedReport(Page page, String id) {
        return (Map<?, ?>) page.evaluate("""
                async (id) => {
                  const db = await new Promise((resolve, reject) => {
                    const request = indexedDB.open('fieldbook');
                    request.onsuccess = () => resolve(request.result);
                    request.onerror = () => reject(request.error);
                  });
                  const found = await new Promise((resolve) => {
                    const request = db.transaction('reports').objectStore('reports').get(id);
                    request.onsuccess = () => resolve(request.result);
                  });
                  db.close();
                  return JSON.parse(JSON.stringify(found ?? null));
                }""", id);
    }

    @SuppressWarnings("unchecked")
    private static List<String> storedSiteIdsOfReports(Page page) {
        return (List<String>) page.evaluate("""
                async () => {
                  const db = await new Promise((resolve, reject) => {
                    const request = indexedDB.open('fieldbook');
                    request.onsuccess = () => resolve(request.result);
                    request.onerror = () => reject(request.error);
                  });
                  const all = await new Promise((resolve) => {
                    const request = db.transaction('reports').objectStore('reports').getAll();
                    request.onsuccess = () => resolve(request.result);
                  });
                  db.close();
                  return all.map((report) => report.siteId);
                }""");
    }
}
