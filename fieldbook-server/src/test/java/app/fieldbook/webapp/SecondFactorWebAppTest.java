package app.fieldbook.webapp;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import app.fieldbook.Api;
import app.fieldbook.AuthenticatorApp;
import app.fieldbook.Fixtures;
import app.fieldbook.QrCodes;
import app.fieldbook.TestDatabase;
import app.fieldbook.identity.EnrolledAdministrators;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.TestPropertySource;

/**
 * The second factor in the web app, in Chromium, with the requirement as it is by default (managers,
 * executives and administrators; an administrator enrolled once builds the world through the API, see
 * {@link EnrolledAdministrators}): a manager without one is taken straight to enrolling an authenticator
 * app, sees the recovery codes once, then signs in with the app's code (computed here from the key the
 * screen showed, whose QR code the screen's picture must hold) or a recovery code. Axe runs on each screen.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = TestDatabase.class)
@ActiveProfiles("test")
// the application context of SecondFactorTest (the same configuration), not one of its own; like the other
// browser tests, this one runs on H2 only (no tag "database")
@TestPropertySource(properties = "fieldbook.identity.second-factor.required-for=MANAGER,EXECUTIVE,ADMINISTRATOR")
class SecondFactorWebAppTest extends BrowserTest {

    @Autowired
    ApplicationContext context;

    @Test
    void aManagerIsTakenToEnrolmentThenSignsInWithTheAppsCodeOrARecoveryCode() throws Exception {
        Fixtures world = new Fixtures(port, EnrolledAdministrators.of(context, port));
        String site = world.site();
        Fixtures.Person manager = world.account("MANAGER");
        Api.Answer assigned = world.admin().put("/api/v1/users/" + manager.id() + "/portfolios",
                java.util.Map.of("portfolioIds", List.of(world.portfolio(site))));
        assertThat(assigned.status()).isEqualTo(200);
        List<String> problems = new ArrayList<>();
        try (BrowserContext browser = browsers.open(browsers.newProfile(), Browsers.PHONE)) {
            Page page = Browsers.page(browser);
            page.navigate(base() + "/");
            signInWithPassword(page, manager.login());
            assertThat(page.getByTestId("enrolment-required")).isVisible();
            assertThat(page.locator("nav a[href='#/review']")).hasCount(0);
            Browsers.check(page, Browsers.shot("security-enrol", Browsers.PHONE), problems, false);

            page.getByTestId("start-totp").click();
            assertThat(page.getByTestId("error")).containsText("Enter your password");
            page.locator("#totp-password").fill("not the password");
            page.getByTestId("start-totp").click();
            assertThat(page.getByTestId("error")).containsText("The password or the code is wrong");
            page.locator("#totp-password").fill(Fixtures.PASSWORD);
            page.getByTestId("start-totp").click();
            String key = page.getByTestId("totp-key").textContent().replace(" ", "");
            assertThat(page.getByTestId("totp-link")).hasAttribute("href",
                    java.util.regex.Pattern.compile("^otpauth://totp/Fieldbook:.*secret=" + key + ".*"));
            Locator qr = page.getByTestId("totp-qr");
            assertThat(qr).hasAttribute("alt", "QR code of the key for your authenticator app");
            page.waitForFunction("() => document.querySelector('[data-testid=totp-qr]').naturalWidth > 0");
            assertThat(qr.evaluate("element => element.clientWidth === element.naturalWidth"))
                    .as("the code shown at its own size, every module the same whole number of pixels").isEqualTo(true);
            assertThat(QrCodes.read(qr.screenshot())).as("the QR code on the screen, as a phone's camera reads it")
                    .isEqualTo(page.getByTestId("totp-link").getAttribute("href"));
            AuthenticatorApp app = new AuthenticatorApp(key);
            qr.evaluate("element => element.scrollIntoView({ block: 'start' })");
            Browsers.check(page, Browsers.shot("security-key", Browsers.PHONE), problems, false);
            page.locator("#totp-code").fill(app.nextCode());
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Confirm")).click();
            assertThat(page.getByTestId("recovery-codes").locator("li")).hasCount(10);
            List<String> codes = page.getByTestId("recovery-codes").locator("li").allTextContents().stream()
                    .map(String::strip).toList();
            Browsers.check(page, Browsers.shot("security-recovery-codes", Browsers.PHONE), problems, false);
            page.getByTestId("codes-saved").click();
            assertThat(page.getByTestId("sync-status")).containsText("last synced");
            assertThat(page.locator("nav a[href='#/review']")).isVisible();

            signOut(page);
            signInWithPassword(page, manager.login());
            assertThat(page.locator("#code")).isFocused();
            Browsers.check(page, Browsers.shot("sign-in-code", Browsers.PHONE), problems, false);
            page.locator("#code").fill(wrong(app));
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Verify")).click();
            assertThat(page.locator(".sign-in .error")).containsText("wrong");
            page.locator("#code").fill(app.nextCode());
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Verify")).click();
            assertThat(page.getByTestId("sync-status")).containsText("last synced");

            signOut(page);
            signInWithPassword(page, manager.login());
            page.getByText("Use a recovery code instead").click();
            page.locator("#recovery-code").fill(codes.get(0));
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Verify")).click();
            assertThat(page.getByTestId("recovery-codes-left")).containsText("9 are left");

            page.navigate(base() + "/#/security");
            assertThat(page.getByTestId("totp-enrolled")).isVisible();
            assertThat(page.getByTestId("codes-left")).hasText("9 recovery codes left.");
            page.locator("#remove-password").fill(Fixtures.PASSWORD);
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Remove the app")).click();
            assertThat(page.getByTestId("error")).containsText("last one");
            Browsers.check(page, Browsers.shot("security", Browsers.PHONE), problems, false);
        }
        assertThat(problems).isEmpty();
    }

    private static void signInWithPassword(Page page, String login) {
        Browsers.submitSignIn(page, login, Fixtures.PASSWORD);
    }

    private static void signOut(Page page) {
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign out")).click();
        assertThat(page.locator("#login")).isVisible();
    }

    private static String wrong(AuthenticatorApp app) {
        long step = AuthenticatorApp.currentStep();
        List<String> valid = List.of(app.code(step - 1), app.code(step), app.code(step + 1), app.code(step + 2));
        return valid.contains("000000") ? "999999" : "000000";
    }
}
