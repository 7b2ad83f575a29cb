package app.fieldbook.webapp;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * What the browser test classes against a server of their context share: the one Chromium of the run, the profiles
 * a class made removed after it, a test failed by the errors and policy violations of the pages it opened, and the
 * server's address.
 */
abstract class BrowserTest {

    static Browsers browsers;

    @LocalServerPort
    int port;

    @BeforeAll
    static void startBrowsers() {
        browsers = Browsers.shared();
    }

    @AfterAll
    static void removeProfiles() throws Exception {
        browsers.removeProfiles();
    }

    @AfterEach
    void pagesRanWithoutErrorsOrPolicyViolations() {
        assertThat(browsers.takePageErrors()).isEmpty();
    }

    String base() {
        return "http://localhost:" + port;
    }

    /** Signs in through the app's form as the demo data's administrator, whose screens need no sync. */
    Page signInAsAdministrator(BrowserContext browser) {
        Page page = Browsers.page(browser);
        page.navigate(base() + "/");
        page.locator("#login").fill("admin");
        page.locator("#password").fill("fieldbook-demo");
        page.locator("form").getByText("Sign in").click();
        assertThat(page.getByTestId("users")).isVisible();
        return page;
    }
}
