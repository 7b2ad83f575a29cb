package app.fieldbook.webapp;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import app.fieldbook.Api;
import app.fieldbook.AuthenticatorApp;
import app.fieldbook.Fixtures;
import app.fieldbook.TestDatabase;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.ContextConfiguration;

/**
 * A person's own account in the web app, in Chromium: a newcomer chooses their own password before anything
 * else, then sees where they are signed in and signs out everywhere else; an administrator resets a lost second
 * factor. The tests' usual application context (no second factor required), so the test administrator signs
 * in with a password. Axe runs on each screen.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = TestDatabase.class)
@ActiveProfiles("test")
// like the other browser tests, on H2 only (no tag "database")
class OwnAccountWebAppTest extends BrowserTest {

    @Autowired
    ApplicationContext context;

    @Test
    void aNewcomerChoosesTheirOwnPasswordFirstThenEndsTheirOtherSessionsAndAnAdministratorResetsALostFactor()
            throws Exception {
        Fixtures world = new Fixtures(port);
        String site = world.site();
        Fixtures.Person newcomer = world.newcomer("WORKER");
        assertThat(world.admin().put("/api/v1/users/" + newcomer.id() + "/sites",
                java.util.Map.of("siteIds", List.of(site))).status()).isEqualTo(200);
        List<String> problems = new ArrayList<>();
        try (BrowserContext browser = browsers.open(browsers.newProfile(), Browsers.PHONE)) {
            Page page = Browsers.page(browser);
            page.navigate(base() + "/");
            Browsers.submitSignIn(page, newcomer.login(), Fixtures.FIRST_PASSWORD);
            assertThat(page.getByTestId("password-change-required")).isVisible();
            assertThat(page.locator("nav a[href='#/outbox']")).hasCount(0);
            Browsers.check(page, Browsers.shot("password-change-required", Browsers.PHONE), problems, false);
            Browsers.changeOwnPassword(page, "not the password given", Fixtures.PASSWORD);
            assertThat(page.getByTestId("password").getByTestId("error")).containsText("wrong");
            Browsers.changeOwnPassword(page, Fixtures.FIRST_PASSWORD, Fixtures.PASSWORD);
            assertThat(page.getByTestId("sync-status")).containsText("last synced");
            assertThat(page.locator("nav a[href='#/outbox']")).isVisible();

            Api laptop = Api.anonymous(port).withToken(Api.anonymous(port).post("/api/v1/auth/tokens",
                    java.util.Map.of("login", newcomer.login(), "password", Fixtures.PASSWORD, "label", "Laptop"))
                    .body().path("token").asString());
            page.navigate(base() + "/#/security");
            Locator sessions = page.getByTestId("sessions");
            assertThat(sessions.locator("li")).hasCount(2);
            assertThat(sessions.locator("li[data-current]")).containsText("Web app");
            assertThat(sessions.getByTestId("this-device")).isVisible();
            assertThat(sessions).containsText("Token “Laptop”");
            sessions.scrollIntoViewIfNeeded();
            Browsers.check(page, Browsers.shot("security-sessions", Browsers.PHONE), problems, false);
            sessions.getByTestId("end-others").click();
            assertThat(sessions.getByTestId("confirmed")).hasText("1 other session was signed out.");
            assertThat(sessions.locator("li")).hasCount(1);
            assertThat(laptop.get("/api/v1/auth/me").status()).isEqualTo(401);

            Browsers.changeOwnPassword(page, Fixtures.PASSWORD, "violet ferry lantern 42");
            assertThat(page.getByTestId("password").getByTestId("confirmed")).containsText("Your password is changed");
            assertThat(page.getByTestId("sync-status")).containsText("last synced");
        }

        Fixtures.Person lost = world.worker(site);
        AuthenticatorApp app = new AuthenticatorApp(lost.api().post("/api/v1/auth/second-factor/totp", java.util.Map.of("password", Fixtures.PASSWORD)).body()
                .path("key").asString());
        assertThat(lost.api().post("/api/v1/auth/second-factor/totp/confirmation",
                java.util.Map.of("code", app.nextCode())).status()).isEqualTo(200);
        Fixtures.Person suspect = world.worker(site);
        Api suspectsLaptop = Api.anonymous(port).signIn(suspect.login(), Fixtures.PASSWORD);
        try (BrowserContext browser = browsers.open(browsers.newProfile(), Browsers.DESKTOP)) {
            Page page = Browsers.page(browser);
            page.navigate(base() + "/");
            Browsers.submitSignIn(page, "test-admin", "granite-kettle-orbit");
            assertThat(page.locator("nav a[href='#/users']")).isVisible();
            page.navigate(base() + "/#/users/" + suspect.id());
            Locator signIns = page.getByTestId("sign-ins");
            signIns.getByTestId("sign-out-everywhere").click();
            assertThat(signIns.getByTestId("confirm-sign-out")).isVisible();
            signIns.scrollIntoViewIfNeeded();
            Browsers.check(page, Browsers.shot("user-sign-ins", Browsers.DESKTOP), problems, false);
            signIns.getByTestId("confirm-sign-out").click();
            assertThat(page.getByTestId("confirmed")).containsText("was signed out everywhere: 2 sign-ins ended.");
            assertThat(suspectsLaptop.get("/api/v1/auth/me").status()).isEqualTo(401);
            assertThat(suspect.api().get("/api/v1/auth/me").status()).isEqualTo(401);

            page.navigate(base() + "/#/users/" + lost.id());
            Locator factor = page.getByTestId("second-factor");
            assertThat(factor).containsText("An authenticator app or a passkey is set up.");
            factor.getByTestId("reset-second-factor").click();
            assertThat(factor.getByTestId("confirm-reset")).isVisible();
            factor.scrollIntoViewIfNeeded();
            Browsers.check(page, Browsers.shot("user-second-factor", Browsers.DESKTOP), problems, false);
            factor.getByTestId("confirm-reset").click();
            assertThat(page.getByTestId("confirmed")).containsText("was removed");
            assertThat(factor).containsText("No authenticator app and no passkey.");
        }
        assertThat(lost.api().get("/api/v1/auth/me").status()).as("signed out everywhere").isEqualTo(401);
        assertThat(Api.anonymous(port).post("/api/v1/auth/tokens", java.util.Map.of("login", lost.login(),
                "password", Fixtures.PASSWORD)).status()).as("no code asked any more").isEqualTo(201);
        assertThat(problems).isEmpty();
    }
}
