package app.fieldbook.webapp;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import app.fieldbook.Api;
import app.fieldbook.TestDatabase;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.ViewportSize;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.ContextConfiguration;
import tools.jackson.databind.JsonNode;

/**
 * The administrator's forms in Debian's Chromium on a laptop's screen (and the site form on a phone's), against the real server with its demo
 * data: a position typed with a decimal comma, and refusals shown under the field they are about, in plain
 * words, with nothing written. An application context of its own (not WebAppTest's), so that the sites and
 * people made here appear in none of that test's screens.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = TestDatabase.class)
@ActiveProfiles({"test", "demo"})
class AdministrationWebAppTest extends BrowserTest {

    private static final String PASSWORD = "fieldbook-demo";

    private static final ViewportSize LAPTOP = new ViewportSize(1366, 768);
    private Api as(String login) {
        return Api.anonymous(port).signIn(login, PASSWORD);
    }

    private JsonNode site(String code) {
        for (JsonNode site : as("admin").get("/api/v1/sites?size=500").body().path("items")) {
            if (site.path("code").asString().equals(code)) {
                return site;
            }
        }
        throw new AssertionError("no site " + code);
    }

    private int total(String list) {
        return as("admin").get(list).body().path("total").asInt();
    }

    @Test
    void aPositionTypedWithADecimalCommaIsStoredAsTheNumberItMeans() throws Exception {
        try (BrowserContext browser = browsers.open(browsers.newProfile(), LAPTOP)) {
            Page page = signInAsAdministrator(browser);
            page.navigate(base() + "/#/admin/sites/new");
            fillSite(page, "LIS-01", "Lisbon Pier");
            page.locator("#site-latitude").fill("38,71");
            page.locator("#site-longitude").fill("-9,14");
            page.getByText("Create site").click();
            assertThat(page.locator("h1")).hasText("LIS-01 Lisbon Pier");
            JsonNode created = site("LIS-01");
            assertThat(created.path("latitude").asDouble()).isEqualTo(38.71);
            assertThat(created.path("longitude").asDouble()).isEqualTo(-9.14);

            page.locator("#site-latitude").fill("38,7139");
            page.getByTestId("site-form").locator("button[type=submit]").click();
            assertThat(page.getByTestId("confirmed")).hasText("Saved on the server.");
            assertThat(as("admin").get("/api/v1/sites/" + created.path("id").asString()).body().path("latitude")
                    .asDouble()).isEqualTo(38.7139);
        }
    }

    @Test
    void aPositionThatIsNotTwoNumbersInRangeIsMarkedAndNotSent() throws Exception {
        List<String> problems = new ArrayList<>();
        int sitesBefore = total("/api/v1/sites");
        try (BrowserContext browser = browsers.open(browsers.newProfile(), LAPTOP)) {
            Page page = signInAsAdministrator(browser);
            List<String> writes = new ArrayList<>();
            page.onRequest(request -> {
                if (request.url().contains("/api/v1/sites") && !request.method().equals("GET")) {
                    writes.add(request.method() + " " + request.url());
                }
            });
            page.navigate(base() + "/#/admin/sites/new");
            fillSite(page, "LIS-02", "Lisbon Yard");
            page.locator("#site-latitude").fill("38°42'N");
            page.locator("#site-longitude").fill("-9.14");
            page.getByText("Create site").click();
            Locator latitude = page.locator("#site-latitude");
            assertMarked(page, latitude, "Latitude: enter a number from -90 to 90, such as 38.71 or 38,71.");
            assertThat(latitude).hasAttribute("aria-describedby", "site-latitude-note site-position-rule");
            assertThat(latitude).hasValue("38°42'N");
            assertThat(page.locator("#site-code")).hasValue("LIS-02");
            assertThat(page.getByTestId("error")).hasText("Nothing was saved: see the note under Latitude.");
            assertThat(page.locator("#site-longitude")).not().hasAttribute("aria-invalid", "true");
            Browsers.check(page, "admin-site-refused-laptop", problems, false);

            latitude.fill("91");
            page.locator("#site-longitude").fill("181");
            page.getByText("Create site").click();
            assertMarked(page, latitude, "Latitude: enter a number from -90 to 90, such as 38.71 or 38,71.");
            assertThat(page.locator("#site-longitude")).hasAttribute("aria-invalid", "true");
            assertThat(page.locator("#site-longitude-note"))
                    .hasText("Longitude: enter a number from -180 to 180, such as -9.14 or -9,14.");
            assertThat(page.getByTestId("error")).hasText("Nothing was saved: see the notes under Latitude and Longitude.");

            latitude.fill("38,71");
            page.locator("#site-longitude").fill("");
            page.getByText("Create site").click();
            assertMarked(page, page.locator("#site-longitude"),
                    "Longitude: give both latitude and longitude, or leave both empty.");
            assertThat(latitude).not().hasAttribute("aria-invalid", "true");
            assertThat(page.locator("#site-latitude-note")).hasCount(0);

            assertThat(writes).as("requests that would have written a site").isEmpty();
            assertThat(total("/api/v1/sites")).as("sites on the server").isEqualTo(sitesBefore);

            JsonNode before = site("N-01");
            page.navigate(base() + "/#/admin/sites/" + before.path("id").asString());
            assertThat(page.locator("#site-code")).hasValue("N-01");
            page.locator("#site-latitude").fill("north");
            page.getByTestId("site-form").locator("button[type=submit]").click();
            assertMarked(page, page.locator("#site-latitude"),
                    "Latitude: enter a number from -90 to 90, such as 38.71 or 38,71.");
            assertThat(writes).as("requests that would have written a site").isEmpty();
            JsonNode after = as("admin").get("/api/v1/sites/" + before.path("id").asString()).body();
            assertThat(after.path("version").asLong()).isEqualTo(before.path("version").asLong());
            assertThat(after.path("latitude")).isEqualTo(before.path("latitude"));
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void theServersRefusalOfASiteIsShownUnderEachFieldItNamesAndKeepsWhatWasTyped() throws Exception {
        List<String> problems = new ArrayList<>();
        int sitesBefore = total("/api/v1/sites");
        try (BrowserContext browser = browsers.open(browsers.newProfile(), Browsers.PHONE)) {
            Page page = signInAsAdministrator(browser);
            page.navigate(base() + "/#/admin/sites/new");
            fillSite(page, "e 01", "East Depot");
            page.locator("#site-timezone").fill("Mars/Base");
            page.getByText("Create site").click();
            Locator code = page.locator("#site-code");
            assertMarked(page, code, "Code: use upper-case letters, digits and - only, for example N-03.");
            assertThat(code).hasAttribute("aria-describedby", "site-code-note site-code-rule");
            assertThat(page.locator("#site-timezone")).hasAttribute("aria-invalid", "true");
            assertThat(page.locator("#site-timezone-note"))
                    .hasText("Time zone: choose a time zone from the list, such as Europe/Berlin.");
            assertThat(page.getByTestId("error"))
                    .hasText("Nothing was saved: see the notes under Code and Time zone.");
            assertThat(page.locator("#site-name")).hasValue("East Depot");
            assertThat(page.locator("#site-timezone")).hasValue("Mars/Base");
            assertThat(total("/api/v1/sites")).isEqualTo(sitesBefore);
            Browsers.check(page, "admin-site-refused-phone", problems, false);

            code.fill("N-01");
            page.locator("#site-timezone").fill("Europe/Berlin");
            page.getByText("Create site").click();
            assertMarked(page, code, "Code: another site already has this code.");
            assertThat(page.locator("#site-timezone")).not().hasAttribute("aria-invalid", "true");
            assertThat(total("/api/v1/sites")).isEqualTo(sitesBefore);

            code.fill("E-01");
            page.getByText("Create site").click();
            assertThat(page.locator("h1")).hasText("E-01 East Depot");
            assertThat(page.locator("[aria-invalid=true]")).hasCount(0);
            assertThat(total("/api/v1/sites")).isEqualTo(sitesBefore + 1);
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void theServersRefusalOfAPersonIsShownUnderEachFieldItNamesAndKeepsWhatWasTyped() throws Exception {
        List<String> problems = new ArrayList<>();
        int usersBefore = total("/api/v1/users");
        try (BrowserContext browser = browsers.open(browsers.newProfile(), LAPTOP)) {
            Page page = signInAsAdministrator(browser);
            page.navigate(base() + "/#/users/new");
            Locator login = page.locator("#user-login");
            assertThat(page.locator("#user-login-rule")).hasText(
                    "Letters, digits and . _ @ - only, for example anna.berg. The person signs in with it; it cannot be "
                            + "changed later.");
            assertThat(login).hasAttribute("aria-describedby", "user-login-rule");
            login.fill("anna berg");
            page.locator("#user-name").fill("Anna Berg");
            page.locator("#user-email").fill("anna@demo.fieldbook.app");
            page.locator("#user-password").fill("anna.berg on her first day");
            page.getByText("Create user").click();
            assertMarked(page, login, "Login: use letters, digits and . _ @ - only.");
            assertThat(login).hasAttribute("aria-describedby", "user-login-note user-login-rule");
            assertThat(page.getByTestId("error")).hasText("Nothing was saved: see the note under Login.");
            assertThat(login).hasValue("anna berg");
            assertThat(page.locator("#user-name")).hasValue("Anna Berg");
            assertThat(page.locator("#user-password")).hasValue("anna.berg on her first day");
            Browsers.check(page, "admin-user-refused-laptop", problems, false);
            assertThat(total("/api/v1/users")).isEqualTo(usersBefore);

            login.fill("anna.berg");
            page.getByText("Create user").click();
            assertMarked(page, page.locator("#user-password"), "Password: it must not contain the login.");
            assertThat(login).not().hasAttribute("aria-invalid", "true");
            assertThat(total("/api/v1/users")).isEqualTo(usersBefore);

            login.fill("walter");
            page.locator("#user-password").fill("a long first password");
            page.getByText("Create user").click();
            assertMarked(page, login, "Login: another account already has this login; choose another.");
            assertThat(total("/api/v1/users")).isEqualTo(usersBefore);

            login.fill("anna.berg");
            page.getByText("Create user").click();
            assertThat(page.locator("h1")).hasText("Anna Berg");
            assertThat(total("/api/v1/users")).isEqualTo(usersBefore + 1);

            page.locator("#new-password").fill("anna.berg-was-here-again");
            page.getByText("Set password").click();
            assertMarked(page, page.locator("#new-password"), "Password: it must not contain the login.");
            assertThat(page.locator("#new-password")).hasValue("anna.berg-was-here-again");
        }
        // the refused password was not set: the first one still signs her in
        Api.anonymous(port).signIn("anna.berg", "a long first password");
        assertThat(problems).isEmpty();
    }

    @Test
    void aPortfolioWithoutANameIsMarkedAndNotCreated() throws Exception {
        int portfoliosBefore = as("admin").get("/api/v1/portfolios").body().size();
        try (BrowserContext browser = browsers.open(browsers.newProfile(), LAPTOP)) {
            Page page = signInAsAdministrator(browser);
            page.navigate(base() + "/#/admin/portfolios/new");
            page.locator("#portfolio-name").fill("   ");
            page.getByText("Create portfolio").click();
            assertMarked(page, page.locator("#portfolio-name"), "Name: fill this in.");
            assertThat(as("admin").get("/api/v1/portfolios").body().size()).isEqualTo(portfoliosBefore);
        }
    }

    /** The field is marked invalid, described by its note {@code note}, and has the focus. */
    private static void assertMarked(Page page, Locator field, String note) {
        assertThat(field).hasAttribute("aria-invalid", "true");
        assertThat(field).isFocused();
        String id = field.getAttribute("id");
        assertThat(page.locator("#" + id + "-note")).hasText(note);
        assertThat(field.getAttribute("aria-describedby")).startsWith(id + "-note");
    }

    private static void fillSite(Page page, String code, String name) {
        page.locator("#site-code").fill(code);
        page.locator("#site-name").fill(name);
        page.locator("#site-timezone").fill("Europe/Lisbon");
        page.locator("#site-address").fill("Cais do Sodré, Lisboa");
    }
}
