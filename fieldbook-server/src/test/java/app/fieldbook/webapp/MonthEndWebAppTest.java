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
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.ContextConfiguration;

/**
 * The month-end page in Chromium: a manager picks a month and their portfolio, sees the totals, the charts and
 * tables of the sites and trades, the delays, and downloads the CSV and the PDF; a field worker has no such
 * page in the navigation. Axe runs on the page, and its screenshot goes to docs/screenshots.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = TestDatabase.class)
@ActiveProfiles("test")
// like the other browser tests, on H2 only (no tag "database")
class MonthEndWebAppTest extends BrowserTest {

    @Test
    void aManagerClosesTheMonthOfTheirPortfolioWithChartsTablesAndExports() throws Exception {
        Fixtures world = new Fixtures(port);
        String north = world.site();
        String south = world.site();
        String portfolio = world.portfolio(north, south);
        Person worker = world.worker(north, south);
        Person manager = world.manager(portfolio);
        file(worker, north, "2025-11-03", List.of(crew("Carpentry", "Holz AG", 4, "32"),
                crew("Concrete", "Beton Nord", 3, "24.5")), "Crane late by two hours", null);
        file(worker, north, "2025-11-04", List.of(crew("carpentry ", "Holz AG", 5, "40")), "None", null);
        file(worker, south, "2025-11-03", List.of(crew("Electrical", "Strom GmbH", 2, "15.75")), null, null);
        file(worker, south, "2025-10-28", List.of(crew("Electrical", "Strom GmbH", 2, "16")), null, null);
        String portfolioName = expect(manager.api().get("/api/v1/portfolios/" + portfolio), 200).body().path("name")
                .asString();

        List<String> problems = new ArrayList<>();
        try (BrowserContext browser = browsers.open(browsers.newProfile(), Browsers.DESKTOP)) {
            Page page = Browsers.signIn(browser, base(), manager.login(), Fixtures.PASSWORD);
            Locator entry = page.locator("nav a[href='#/month-end']");
            assertThat(entry).hasText("Month-end");
            entry.click();
            assertThat(page.locator("h1")).hasText("Month-end");
            page.locator("#month-end-month").fill("2025-11");
            page.locator("#month-end-scope").selectOption("portfolio:" + portfolio);
            assertThat(page.locator("#month-end-scope option:checked")).hasText(portfolioName);
            page.locator("form.month-end-choice button[type=submit]").click();

            Locator totals = page.getByTestId("month-end-totals");
            assertThat(totals.locator("tr", new Locator.LocatorOptions().setHasText("Hours")))
                    .containsText("112.25");
            assertThat(page.locator("fb-month-end")).containsText("November 2025, compared with October 2025.");
            assertThat(totals.locator("tr", new Locator.LocatorOptions().setHasText("Delays")))
                    .hasText(Pattern.compile("Delays\\s*1\\s*0\\s*\\+1"));
            assertThat(page.getByTestId("month-end-sites").locator("tbody tr")).hasCount(2);
            assertThat(page.getByTestId("trades-table").locator("tbody tr")).hasCount(3);
            assertThat(page.getByTestId("trades-table").locator("tbody tr").first()).containsText("Carpentry");
            assertThat(page.getByTestId("month-end-delays").locator("li")).hasCount(1);
            assertThat(page.getByTestId("month-end-delays")).containsText("Crane late by two hours");
            for (String chart : List.of("#days-chart", "#hours-chart")) {
                assertThat(page.locator(chart)).isVisible();
                // drawn by Chart.js, which sizes the canvas
                assertThat(page.locator(chart)).hasAttribute("style", Pattern.compile("height"));
            }

            Download csv = page.waitForDownload(() -> page.getByTestId("export-csv").click());
            assertThat(csv.suggestedFilename()).matches("fieldbook-month-end-2025-11-Portfolio-[A-Za-z0-9-]+\\.csv");
            assertThat(Files.readString(csv.path())).contains("Crane late by two hours");
            Download pdf = page.waitForDownload(() -> page.getByTestId("export-pdf").click());
            assertThat(pdf.suggestedFilename()).matches("fieldbook-month-end-2025-11-Portfolio-[A-Za-z0-9-]+\\.pdf");
            assertThat(new String(Files.readAllBytes(pdf.path()), 0, 5, java.nio.charset.StandardCharsets.US_ASCII))
                    .isEqualTo("%PDF-");

            page.locator("h1").scrollIntoViewIfNeeded();
            Browsers.check(page, Browsers.shot("month-end", Browsers.DESKTOP), problems, true);

            // a month chosen shows at once, without Show: the exports are always of the month the form says
            page.locator("#month-end-month").fill("2025-10");
            assertThat(page.locator("fb-month-end")).containsText("October 2025, compared with September 2025.");
            assertThat(page.getByTestId("export-csv")).hasAttribute("href", Pattern.compile("month=2025-10"));
            // a month that has not begun anywhere is not asked for
            page.locator("#month-end-month").fill(java.time.YearMonth.now(java.time.ZoneOffset.UTC).plusMonths(2)
                    .toString());
            page.locator("form.month-end-choice button[type=submit]").click();
            assertThat(page.locator("#month-end-month:invalid")).hasCount(1);
            assertThat(page.getByTestId("export-csv")).hasAttribute("href", Pattern.compile("month=2025-10"));
            // offline, a month asked for cannot be had: the figures on screen stay, with the reason above them
            browser.setOffline(true);
            page.locator("#month-end-month").fill("2025-09");
            assertThat(page.getByTestId("error")).containsText("No connection");
            assertThat(page.locator("fb-month-end")).containsText("October 2025, compared with September 2025.");
            assertThat(page.getByTestId("month-end-totals")).isVisible();
            assertThat(page.getByTestId("export-csv")).hasAttribute("href", Pattern.compile("month=2025-10"));
            browser.setOffline(false);
            // the address names what is shown: a reload (or a bookmark) shows it again
            page.reload();
            assertThat(page.locator("fb-month-end")).containsText("October 2025, compared with September 2025.");
            assertThat(page.locator("#month-end-month")).hasValue("2025-10");
            assertThat(page.locator("#month-end-scope")).hasValue("portfolio:" + portfolio);
        }
        try (BrowserContext browser = browsers.open(browsers.newProfile(), Browsers.PHONE)) {
            Page page = Browsers.signIn(browser, base(), manager.login(), Fixtures.PASSWORD);
            page.locator("nav a[href='#/month-end']").click();
            page.locator("#month-end-month").fill("2025-11");
            page.locator("#month-end-scope").selectOption("portfolio:" + portfolio);
            page.locator("form.month-end-choice button[type=submit]").click();
            assertThat(page.getByTestId("trades-table").locator("tbody tr")).hasCount(3);
            // as tall as their bars need on a narrow screen too (a height from the width drew them 70 px flat)
            page.waitForFunction("() => document.querySelector('#hours-chart')?.style.height");
            assertThat(page.locator("#days-chart").boundingBox().height).isGreaterThanOrEqualTo(140);
            assertThat(page.locator("#hours-chart").boundingBox().height).isGreaterThanOrEqualTo(200);
            // the totals' four columns fit the phone; the wider tables scroll sideways
            assertThat((Boolean) page.locator("[data-testid=month-end-totals]").evaluate(
                    "table => table.parentElement.scrollWidth <= table.parentElement.clientWidth")).isTrue();
            page.locator("#days-chart").scrollIntoViewIfNeeded();
            Browsers.check(page, Browsers.shot("month-end", Browsers.PHONE), problems, false);
        }
        // a month under way counts its days up to the sites' today: the lead says so, whatever day it is where the
        // manager is (a zone where it is another day than in Berlin now)
        java.time.ZonedDateTime berlin = java.time.ZonedDateTime.now(java.time.ZoneId.of("Europe/Berlin"));
        String away = berlin.getHour() >= 12 ? "Pacific/Kiritimati" : "Pacific/Pago_Pago";
        try (BrowserContext browser = browsers.open(browsers.newProfile(), Browsers.PHONE, away)) {
            Page page = Browsers.signIn(browser, base(), manager.login(), Fixtures.PASSWORD);
            page.locator("nav a[href='#/month-end']").click();
            java.time.YearMonth month = java.time.YearMonth.from(berlin);
            page.locator("#month-end-month").fill(month.toString());
            page.locator("#month-end-scope").selectOption("portfolio:" + portfolio);
            page.locator("form.month-end-choice button[type=submit]").click();
            java.time.LocalDate today = java.time.LocalDate.now(java.time.ZoneId.of("Europe/Berlin"));
            Assumptions.assumeTrue(today.equals(berlin.toLocalDate()), "not at midnight in Berlin");
            if (today.getDayOfMonth() < month.lengthOfMonth()) {
                String day = (String) page.evaluate("async (date) => (await import('/app/messages.js')).formatDay(date)",
                        today.toString());
                assertThat(page.locator("fb-month-end")).containsText("so far (up to " + day + ", the sites’ today)");
                assertThat(page.locator("fb-month-end")).containsText("days missing count the days up to then");
            } else {
                assertThat(page.locator("fb-month-end")).containsText("compared with");
                assertThat(page.locator("fb-month-end")).not().containsText("so far");
            }
        }
        try (BrowserContext browser = browsers.open(browsers.newProfile(), Browsers.PHONE)) {
            Page page = Browsers.signIn(browser, base(), worker.login(), Fixtures.PASSWORD);
            assertThat(page.locator("nav a[href='#/outbox']")).isVisible();
            assertThat(page.locator("nav a[href='#/month-end']")).hasCount(0);
            // nor an audit trail, which the server keeps from field workers
            assertThat(page.locator("nav a[href='#/audit']")).hasCount(0);
            page.navigate(base() + "/#/audit");
            assertThat(page.locator("fb-sites")).isVisible();
            assertThat(page.locator("fb-audit")).hasCount(0);
        }
        assertThat(problems).isEmpty();
    }
}
