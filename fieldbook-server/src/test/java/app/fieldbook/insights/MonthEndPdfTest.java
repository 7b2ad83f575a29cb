package app.fieldbook.insights;

import static app.fieldbook.Fixtures.created;
import static app.fieldbook.Fixtures.expect;
import static app.fieldbook.insights.FiledReports.crew;
import static app.fieldbook.insights.FiledReports.file;
import static org.assertj.core.api.Assertions.assertThat;

import app.fieldbook.Api;
import app.fieldbook.Fixtures;
import app.fieldbook.Fixtures.Person;
import app.fieldbook.FullStackTest;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.graphics.form.PDFormXObject;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * The month-end's PDF, read back with PDFBox (not the library that wrote it): a cover with the month and the
 * scope, the figures of the JSON answer in its tables, the charts with their text, "Page n of m" on every page, the
 * same refusals as the JSON, and a site named like a formula and markup that stays text. The portfolio's PDF is
 * left in {@code target/month-end-test.pdf} to be looked at ({@code pdftoppm -png}).
 */
@FullStackTest
class MonthEndPdfTest {

    private static final String MONTH = "2025-11";
    private static final String CRAFTED = "=1+2<b>Yard</b>";
    private static final AtomicInteger CODES = new AtomicInteger();

    @LocalServerPort
    int port;

    Fixtures world;
    String north;
    String crafted;
    String elsewhere;
    String portfolio;
    Person worker;
    Person manager;
    Person otherManager;
    Person executive;

    @BeforeEach
    void month() {
        world = new Fixtures(port);
        north = world.site();
        crafted = created(world.admin().post("/api/v1/sites", Map.of("code", "P" + UUID.randomUUID().toString()
                .substring(0, 4).toUpperCase() + "-" + CODES.incrementAndGet(), "name", CRAFTED,
                "timezone", "Europe/Berlin", "address", "<b>Street</b> 1")));
        elsewhere = world.site();
        portfolio = world.portfolio(north, crafted);
        worker = world.worker(north, crafted);
        Person elsewhereWorker = world.worker(elsewhere);
        manager = world.manager(portfolio);
        otherManager = world.manager(world.portfolio(elsewhere));
        executive = world.executive();

        file(worker, north, "2025-11-03", List.of(crew("Carpentry", "Holz AG", 4, "32.5")), "Crane late", null);
        file(worker, north, "2025-10-30", List.of(crew("Carpentry", "Holz AG", 3, "24")), null, null);
        file(worker, crafted, "2025-11-04", List.of(crew("Electrical", "Strom GmbH", 2, "16"),
                crew("Carpentry", null, 1, "8")), "<b>=1+1</b> pump late", "Slipped on the stairs");
        file(elsewhereWorker, elsewhere, "2025-11-04", List.of(crew("Masonry", "Stein AG", 9, "72")), "Strike", "Fire");
    }

    @Test
    void thePdfHoldsTheFiguresOfTheJsonAnswerOnNumberedPagesAfterACover() throws IOException {
        JsonNode json = expect(manager.api().get(path("month-end", "portfolioId=" + portfolio)), 200).body();
        Api.Answer answer = expect(manager.api().get(path("month-end.pdf", "portfolioId=" + portfolio)), 200);
        assertThat(answer.contentType()).isEqualTo("application/pdf");
        assertThat(answer.raw().headers().firstValue("Content-Disposition").orElseThrow())
                .matches("attachment; filename=\"fieldbook-month-end-2025-11-Portfolio-[A-Za-z0-9-]+\\.pdf\"");

        Files.write(Path.of("target/month-end-test.pdf"), answer.raw().body());
        try (PDDocument pdf = Loader.loadPDF(answer.raw().body())) {
            int pages = pdf.getNumberOfPages();
            assertThat(pages).isGreaterThanOrEqualTo(2);
            String portfolioName = expect(manager.api().get("/api/v1/portfolios/" + portfolio), 200).body()
                    .path("name").asString();
            String cover = text(pdf, 1, 1);
            assertThat(cover).contains(squeezed("Month-end report"), squeezed("November 2025"),
                    squeezed("Compared with October 2025"), squeezed("Portfolio " + portfolioName + " (2 sites)"));
            JsonNode glance = json.path("totals");
            assertThat(cover).as("four figures at a glance, with the change on the previous month").contains(
                    squeezed(decimal(glance.path("reportsFiled").path("value")) + " "
                            + decimal(glance.path("daysMissing").path("value")) + " 56.5 "
                            + decimal(glance.path("safetyIncidents").path("value"))
                            + " Reports filed Days missing Hours Safety incidents +"
                            + decimal(glance.path("reportsFiled").path("change")) + " on October ("
                            + decimal(glance.path("reportsFiled").path("previous")) + ")"));
            assertThat(cover).as("both sites keep Berlin's time").containsPattern("Generated\\d+[A-Za-z]+\\d{4},"
                    + "\\d{2}:\\d{2}\\(Europe/Berlin\\)");
            for (int page = 1; page <= pages; page++) {
                assertThat(text(pdf, page, page)).as("page " + page).contains(squeezed("Page " + page + " of " + pages));
            }

            String all = text(pdf, 2, pages);
            JsonNode totals = json.path("totals");
            assertThat(all).contains(row("Reports filed", totals.path("reportsFiled")),
                    row("Hours", totals.path("hours")), row("Headcount (person-days)", totals.path("headcount")),
                    row("Delays", totals.path("delays")), row("Safety incidents", totals.path("safetyIncidents")),
                    row("Days missing (site-days)", totals.path("daysMissing")));
            assertThat(decimal(totals.path("hours").path("value"))).isEqualTo("56.5");
            for (JsonNode site : json.path("sites")) {
                String named = site.path("code").asString() + " " + site.path("name").asString() + " ";
                assertThat(all).contains(squeezed(named + site.path("daysReported").asInt() + " " + site.path("daysMissing")
                        .asInt() + " " + site.path("filed").asLong() + " " + site.path("delays").asLong() + " "
                        + site.path("safetyIncidents").asLong() + " " + site.path("photos").asLong()));
                JsonNode reports = site.path("reports");
                assertThat(all).contains(squeezed(named + reports.path("DRAFT").asLong() + " " + reports.path("SUBMITTED")
                        .asLong() + " " + reports.path("RETURNED").asLong() + " " + reports.path("APPROVED").asLong()));
            }
            for (JsonNode trade : json.path("byTrade")) {
                assertThat(all).contains(squeezed(trade.path("name").asString() + " "
                        + figures(trade.path("hours")) + " " + figures(trade.path("headcount"))));
            }
            assertThat(all).contains(squeezed("(no company) " + figures(named(json.path("byCompany")).path("hours"))));
            for (String field : List.of("delays", "safetyIncidents")) {
                for (JsonNode occurrence : json.path(field)) {
                    assertThat(all).contains(occurrence.path("date").asString(),
                            squeezed(occurrence.path("text").asString()));
                }
            }
            assertThat(all).contains("Delays(2)", "Safetyincidents(1)").doesNotContain("Strike", "Fire");

            assertThat(charts(pdf)).as("the charts: days by site, hours by trade and by company").isEqualTo(3);
            assertThat(all).as("the charts' titles, set as text").contains(
                    squeezed("Days reported and missing, by site"), squeezed("Hours by trade"),
                    squeezed("Hours by company"));
        }
    }

    @Test
    void aMonthUnderWaySaysTheDayItCountsUpTo() throws IOException {
        ZonedDateTime now = ZonedDateTime.now(ZoneId.of("Europe/Berlin"));
        Assumptions.assumeTrue(now.toLocalDate().equals(now.plusMinutes(2).toLocalDate()), "not at midnight in Berlin");
        LocalDate today = now.toLocalDate();
        YearMonth month = YearMonth.from(today);
        Api.Answer answer = expect(manager.api().get("/api/v1/insights/month-end.pdf?month=" + month
                + "&portfolioId=" + portfolio), 200);

        try (PDDocument pdf = Loader.loadPDF(answer.raw().body())) {
            DateTimeFormatter monthName = DateTimeFormatter.ofPattern("MMMM yyyy", Locale.ENGLISH);
            String cover = text(pdf, 1, 1);
            if (today.getDayOfMonth() == month.lengthOfMonth()) {
                assertThat(cover).as("the month's last day: the whole month").doesNotContain("sofar")
                        .contains(squeezed("Compared with " + month.minusMonths(1).format(monthName)));
            } else {
                assertThat(cover).contains(squeezed(month.format(monthName) + " so far (up to "
                        + today.format(DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.ENGLISH))
                        + ", the sites\u2019 today), compared with the whole of "
                        + month.minusMonths(1).format(monthName)));
            }
        }
    }

    @Test
    void aSiteNamedLikeAFormulaAndMarkupIsPlainTextInThePdf() throws IOException {
        Api.Answer answer = expect(executive.api().get(path("month-end.pdf", "siteId=" + crafted)), 200);
        try (PDDocument pdf = Loader.loadPDF(answer.raw().body())) {
            String all = text(pdf, 1, pdf.getNumberOfPages());
            assertThat(all).contains(squeezed(CRAFTED), squeezed("<b>=1+1</b> pump late"));
            assertThat(pdf.getDocumentCatalog().getOpenAction()).isNull();
            assertThat(pdf.getDocumentCatalog().getNames()).isNull();
            assertThat(pdf.getDocumentCatalog().getAcroForm()).isNull();
            for (PDPage page : pdf.getPages()) {
                assertThat(page.getAnnotations()).as("no links, no actions").isEmpty();
            }
        }
        assertThat(answer.raw().headers().firstValue("Content-Disposition").orElseThrow())
                .matches("attachment; filename=\"fieldbook-month-end-2025-11-P[A-Z0-9]+-\\d+\\.pdf\"");
    }

    @Test
    void theScopeIsRefusedAsForTheJson() {
        for (String query : List.of("portfolioId=" + portfolio, "siteId=" + north, "siteId=" + UUID.randomUUID())) {
            Api.Answer refused = otherManager.api().send("GET", path("month-end.pdf", query), null,
                    Map.of("Accept", "application/pdf"));
            assertThat(refused.status()).as(query).isEqualTo(404);
            assertThat(refused.isProblem()).as(query).isTrue();
            assertThat(refused.problemType()).endsWith("/not-found");
        }
        for (Api refused : List.of(worker.api(), world.administrator().api())) {
            Api.Answer answer = refused.send("GET", path("month-end.pdf", "siteId=" + north), null,
                    Map.of("Accept", "application/pdf"));
            assertThat(answer.status()).isEqualTo(403);
            assertThat(answer.isProblem()).isTrue();
        }
        Api.Answer bad = manager.api().send("GET", "/api/v1/insights/month-end.pdf?month=2025-13", null,
                Map.of("Accept", "application/pdf"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.isProblem()).isTrue();
        assertThat(bad.body().path("errors").get(0).path("field").asString()).isEqualTo("month");
        assertThat(world.anonymous().get(path("month-end.pdf", "")).status()).isEqualTo(401);
    }

    private static String text(PDDocument pdf, int first, int last) throws IOException {
        PDFTextStripper stripper = new PDFTextStripper();
        stripper.setSortByPosition(true);
        stripper.setStartPage(first);
        stripper.setEndPage(last);
        return squeezed(stripper.getText(pdf));
    }

    /**
     * The text without its spaces and line breaks: a text extractor guesses word gaps from glyph positions (it
     * splits "November" into "N ovember" in places), so texts are compared as the characters in their order.
     */
    private static String squeezed(String text) {
        return text.replaceAll("[\\s\u00a0]+", "");
    }

    /**
     * The charts: forms of a chart's width drawn on the pages (the footer's page count is a form too), each with
     * its words set as text in the document's fonts, not drawn as shapes.
     */
    private static int charts(PDDocument pdf) throws IOException {
        int charts = 0;
        for (PDPage page : pdf.getPages()) {
            for (COSName name : page.getResources().getXObjectNames()) {
                if (page.getResources().getXObject(name) instanceof PDFormXObject form
                        && form.getBBox().getWidth() == MonthEndCharts.WIDTH) {
                    assertThat(form.getResources().getFontNames()).as("a chart's fonts").isNotEmpty();
                    charts++;
                }
            }
        }
        return charts;
    }

    /** A row of the totals as the PDF sets it: the figure, this month, the previous month, the change. */
    private static String row(String figure, JsonNode compared) {
        return squeezed(figure + " " + figures(compared));
    }

    private static String figures(JsonNode compared) {
        BigDecimal change = compared.path("change").decimalValue();
        return decimal(compared.path("value")) + " " + decimal(compared.path("previous")) + " "
                + (change.signum() > 0 ? "+" : "") + decimal(compared.path("change"));
    }

    /** A figure as the PDF writes it: a plain numeral without trailing zeros. */
    private static String decimal(JsonNode number) {
        return number.decimalValue().stripTrailingZeros().toPlainString();
    }

    private static JsonNode named(JsonNode rows) {
        return rows.valueStream().filter(row -> row.path("name").isNull()).findFirst().orElseThrow();
    }

    private static String path(String resource, String query) {
        return "/api/v1/insights/" + resource + "?month=" + MONTH + (query.isEmpty() ? "" : "&" + query);
    }
}
