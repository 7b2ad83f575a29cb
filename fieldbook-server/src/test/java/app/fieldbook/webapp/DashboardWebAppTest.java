package app.fieldbook.webapp;

import static app.fieldbook.Fixtures.expect;
import static app.fieldbook.insights.FiledReports.crew;
import static app.fieldbook.insights.FiledReports.file;
import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import app.fieldbook.Fixtures;
import app.fieldbook.Fixtures.Person;
import app.fieldbook.TestDatabase;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Route;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.ContextConfiguration;

/**
 * The dashboard in Chromium: online it shows the server's figures (a report the device has not synced is on it),
 * offline it still renders, from the reports on the device, and says so; an executive's has every site.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = TestDatabase.class)
@ActiveProfiles("test")
// like the other browser tests, on H2 only (no tag "database")
class DashboardWebAppTest extends BrowserTest {

    @Test
    void onlineTheDashboardShowsTheServersFiguresAndOfflineTheDevicesOwn() throws Exception {
        Fixtures world = new Fixtures(port);
        String north = world.site();
        String south = world.site();
        Person worker = world.worker(north, south);
        Person manager = world.manager(world.portfolio(north, south));
        // the browser's month (its clock is Berlin's)
        YearMonth month = YearMonth.now(ZoneId.of("Europe/Berlin")).minusMonths(1);
        file(worker, north, month.atDay(3).toString(), List.of(crew("Carpentry", "Holz AG", 4, "32")), null, null);
        file(worker, south, month.atDay(3).toString(), List.of(crew("Electrical", "Strom GmbH", 2, "15.75")), null,
                null);
        String northCode = expect(manager.api().get("/api/v1/sites/" + north), 200).body().path("code").asString();

        try (BrowserContext browser = browsers.open(browsers.newProfile(), Browsers.DESKTOP)) {
            Page page = Browsers.signIn(browser, base(), manager.login(), Fixtures.PASSWORD);
            // from now on the device syncs nothing: what the server has besides comes only from the dashboard's data
            browser.route("**/api/v1/sync/**", Route::abort);
            String late = file(worker, north, month.atDay(10).toString(),
                    List.of(crew("Concrete", "Beton Nord", 3, "24")), null, null);

            page.navigate(base() + "/#/dashboard");
            // the heading takes the focus once the figures are there (the screen shows "Loading…" first)
            assertThat(page.locator("h1")).isFocused();
            // no month after the latest that has begun anywhere (the last hours of a month, the next has begun at UTC+14)
            Locator next = page.locator(".month button").last();
            if (YearMonth.from(OffsetDateTime.now(ZoneOffset.UTC).plusHours(14)).equals(month.plusMonths(1))) {
                assertThat(next).hasAttribute("aria-disabled", "true");
                String current = page.locator(".month-name").textContent();
                next.click(new Locator.ClickOptions().setForce(true));
                assertThat(page.locator(".month-name")).hasText(current);
            }
            page.getByLabel("Previous month").click();
            assertThat(next).hasAttribute("aria-disabled", "false");
            Locator source = page.getByTestId("dashboard-source");
            assertThat(source).hasAttribute("data-source", "server");
            assertThat(source).containsText("Figures of the server as of");
            Locator northRow = page.getByTestId("status-grid").locator("tbody tr",
                    new Locator.LocatorOptions().setHasText(northCode));
            assertThat(page.getByTestId("status-grid").locator("tbody tr")).hasCount(2);
            assertThat(northRow.locator("td").nth(2)).hasClass("cell-submitted");
            assertThat(northRow.locator("td").nth(9)).hasClass("cell-submitted");
            assertThat(northRow.locator("td").nth(9).locator("a")).hasAttribute("href", "#/reports/" + late);
            assertThat(page.getByTestId("trades")).containsText("Concrete");
            assertThat(page.getByTestId("day-series").locator("tr").first().locator("td").nth(9)).hasText("24");
            assertThat(page.getByTestId("companies")).containsText("Beton Nord");

            browser.setOffline(true);
            page.getByLabel("Next month").click();
            page.getByLabel("Previous month").click();
            assertThat(source).hasAttribute("data-source", "device");
            assertThat(source).containsText("from the reports on this device");
            assertThat(page.getByTestId("status-grid").locator("tbody tr")).hasCount(2);
            assertThat(northRow.locator("td").nth(2)).hasClass("cell-submitted");
            // the report the device never got
            assertThat(northRow.locator("td").nth(9)).hasClass("cell-missing");
            assertThat(page.getByTestId("trades")).containsText("Carpentry");
            assertThat(page.getByTestId("trades")).not().containsText("Concrete");
            // the hours of the 3rd at both sites, 32 and 15.75; none on the 10th
            assertThat(page.getByTestId("day-series").locator("tr").first().locator("td").nth(2)).hasText("47.8");
            assertThat(page.getByTestId("day-series").locator("tr").first().locator("td").nth(9)).hasText("");
        }

        Person executive = world.executive();
        int sites = expect(executive.api().get("/api/v1/sites"), 200).body().path("total").asInt();
        try (BrowserContext browser = browsers.open(browsers.newProfile(), Browsers.DESKTOP)) {
            Page page = Browsers.signIn(browser, base(), executive.login(), Fixtures.PASSWORD);
            page.navigate(base() + "/#/dashboard");
            assertThat(page.getByTestId("dashboard-source")).hasAttribute("data-source", "server");
            assertThat(page.getByTestId("status-grid").locator("tbody tr")).hasCount(sites);
        }
    }
}
