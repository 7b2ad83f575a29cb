package app.fieldbook.webapp;

import static org.assertj.core.api.Assertions.assertThat;

import app.fieldbook.TestDatabase;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.ContextConfiguration;

/**
 * A signed-in person closing the browser and opening the app again, in Chromium: the session cookie outlives the
 * browser, and the app's first writes after it opens carry a valid CSRF token. The context is WebAppTest's.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "fieldbook.audit.read-access=true")
@ContextConfiguration(initializers = TestDatabase.class)
@ActiveProfiles({"test", "demo"})
class ReopeningTheAppTest extends BrowserTest {

    private static final String PASSWORD = "fieldbook-demo";

    @Autowired
    JdbcClient jdbc;

    @Test
    void aManagerReopeningTheBrowserSendsNoWriteWithoutAValidCsrfToken() throws Exception {
        Path profile = browsers.newProfile();
        try (BrowserContext browser = browsers.open(profile, Browsers.PHONE)) {
            Browsers.signIn(browser, base(), "maria", PASSWORD);
        }
        long refusedBefore = csrfRefusals();
        List<String> refused = new CopyOnWriteArrayList<>();
        for (int reopening = 1; reopening <= 30; reopening++) {
            int round = reopening;
            try (BrowserContext browser = browsers.open(profile, Browsers.PHONE)) {
                assertThat(browser.cookies(base()).stream().map(cookie -> cookie.name))
                        .as("reopening %d: the cookies the browser kept", round)
                        .contains("FIELDBOOK_SESSION", "XSRF-TOKEN");
                // on the context, before any page: a tab the profile brings back is heard from its first request
                browser.onResponse(response -> {
                    if (response.status() == 403) {
                        refused.add(round + ": " + response.request().method() + " " + response.url());
                    }
                });
                Page page = Browsers.page(browser);
                page.waitForResponse(response -> response.url().endsWith("/api/v1/sync/pull"),
                        () -> page.navigate(base() + "/"));
            }
        }
        assertThat(refused).isEmpty();
        assertThat(csrfRefusals()).isEqualTo(refusedBefore);
    }

    private long csrfRefusals() {
        return jdbc.sql("SELECT COUNT(*) FROM audit_events WHERE action = 'ACCESS_DENIED' AND changes LIKE ?")
                .param("%CSRF%").query(Long.class).single();
    }
}
