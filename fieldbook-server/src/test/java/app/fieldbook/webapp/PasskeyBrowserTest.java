package app.fieldbook.webapp;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import app.fieldbook.Fixtures;
import app.fieldbook.Fixtures.Person;
import app.fieldbook.TestDatabase;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.CDPSession;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.ContextConfiguration;

/**
 * Passkeys in Debian's Chromium with a virtual authenticator of the DevTools protocol (CTAP2, built in,
 * discoverable credentials, the person verified): added on the Security screen, then signing in with no
 * password in a fresh browser that holds the same passkey, and refused there once it was removed.
 */
// the application context of the @FullStackTest classes (the same configuration), but like the other browser
// tests on H2 only (no tag "database"): PasskeyTest covers the passkeys' storage on PostgreSQL
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = TestDatabase.class)
@ActiveProfiles("test")
class PasskeyBrowserTest extends BrowserTest {

    @Autowired
    JdbcClient jdbc;

    /** localhost, not 127.0.0.1: a relying party id must be a domain, and localhost is a secure context. */
    @Test
    void aPasskeyAddedOnTheHelpScreenSignsInAFreshBrowserWithoutAPasswordUntilItIsRemoved() throws Exception {
        Fixtures world = new Fixtures(port);
        Person worker = world.worker(world.site());
        List<String> problems = new ArrayList<>();
        JsonArray passkeys;

        try (BrowserContext browser = browsers.open(browsers.newProfile(), Browsers.PHONE)) {
            Page page = Browsers.signIn(browser, base(), worker.login(), Fixtures.PASSWORD);
            CDPSession authenticator = browser.newCDPSession(page);
            String id = Browsers.addVirtualAuthenticator(authenticator);
            page.navigate(base() + "/#/security");
            assertThat(page.getByTestId("passkeys")).containsText("You have no passkeys yet.");
            page.locator("#passkey-label").fill("Work phone");
            page.locator("#passkey-password").fill("not my password");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Add a passkey on this device")).click();
            assertThat(page.getByTestId("passkeys").getByTestId("error")).containsText("The password or the code is wrong");
            assertThat(page.locator("li.passkey")).hasCount(0);
            page.locator("#passkey-password").fill(Fixtures.PASSWORD);
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Add a passkey on this device")).click();
            assertThat(page.getByTestId("confirmed")).containsText("Passkey “Work phone” added.");
            assertThat(page.locator("li.passkey")).hasCount(1);
            assertThat(page.locator("li.passkey")).containsText("not used yet");
            page.locator("#passkeys-title").scrollIntoViewIfNeeded();
            Browsers.check(page, "passkeys-phone", problems, true);
            passkeys = authenticator.send("WebAuthn.getCredentials", param("authenticatorId", id))
                    .getAsJsonArray("credentials");
            assertThat(passkeys).hasSize(1);
            page.setViewportSize(Browsers.DESKTOP.width, Browsers.DESKTOP.height);
            Browsers.check(page, "passkeys-desktop", problems, true);
        }
        assertThat(jdbc.sql("SELECT COUNT(*) FROM passkeys WHERE user_id = ?").param(UUID.fromString(worker.id()))
                .query(Long.class).single()).isOne();

        try (BrowserContext fresh = browsers.open(browsers.newProfile(), Browsers.PHONE)) {
            Page page = Browsers.page(fresh);
            holding(fresh.newCDPSession(page), passkeys);
            page.navigate(base() + "/");
            Browsers.check(page, "sign-in-passkey-phone", problems, true);
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in with a passkey")).click();
            assertThat(page.getByTestId("sync-status")).containsText("last synced");
            Object me = page.evaluate("async () => (await (await fetch('/api/v1/auth/me')).json()).login");
            assertThat(me).isEqualTo(worker.login());

            page.navigate(base() + "/#/security");
            assertThat(page.locator("li.passkey")).not().containsText("not used yet");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Remove passkey Work phone")).click();
            assertThat(page.getByTestId("confirmed")).containsText("Passkey “Work phone” removed.");
            assertThat(page.locator("li.passkey")).hasCount(0);
        }

        try (BrowserContext fresh = browsers.open(browsers.newProfile(), Browsers.PHONE)) {
            Page page = Browsers.page(fresh);
            holding(fresh.newCDPSession(page), passkeys);
            page.navigate(base() + "/");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in with a passkey")).click();
            assertThat(page.locator(".sign-in .error")).containsText("This passkey was not accepted.");
            assertThat(page.locator("#login")).isVisible();
        }
        assertThat(problems).isEmpty();
    }

    /** The same passkeys in another browser (a passkey synced to it, or the same phone's new browser). */
    private static void holding(CDPSession cdp, JsonArray credentials) {
        String id = Browsers.addVirtualAuthenticator(cdp);
        for (var credential : credentials) {
            JsonObject request = param("authenticatorId", id);
            request.add("credential", credential);
            cdp.send("WebAuthn.addCredential", request);
        }
    }

    private static JsonObject param(String name, String value) {
        JsonObject object = new JsonObject();
        object.addProperty(name, value);
        return object;
    }
}
