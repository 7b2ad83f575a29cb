package app.fieldbook.insights;

import app.fieldbook.insights.MonthEnd.Compared;
import app.fieldbook.insights.MonthEnd.CrewTotal;
import app.fieldbook.insights.MonthEnd.Occurrence;
import app.fieldbook.insights.MonthEnd.SiteMonth;
import app.fieldbook.protocol.ReportStatus;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A month-end as CSV for spreadsheets (RFC 4180, UTF-8 with a byte order mark so that spreadsheets read it
 * as UTF-8, CRLF line ends): one table with a header row, one row per figure, so that it pivots and filters
 * as it is. Safe against formula injection (OWASP, CSV injection): every text cell is quoted, and one that
 * begins with {@code =}, {@code +}, {@code -}, {@code @}, a tab or a carriage return gets a leading
 * {@code '}, so that a spreadsheet shows it as text and never evaluates it. The numbers are the server's
 * own, written as plain numerals (a change may be negative) so that they add up in a spreadsheet.
 */
final class MonthEndCsv {

    static final String HEADER = "Month,Section,Site,Site name,Date,Name,Figure,Value,Previous month,Change,Text";
    private static final String FORMULA_STARTS = "=+-@\t\r";
    private static final char BYTE_ORDER_MARK = '\uFEFF';

    private final MonthEnd monthEnd;
    private final Map<UUID, String> siteNames = new HashMap<>();
    private final StringBuilder csv = new StringBuilder();

    private MonthEndCsv(MonthEnd monthEnd) {
        this.monthEnd = monthEnd;
        monthEnd.sites().forEach(site -> siteNames.put(site.siteId(), site.name()));
    }

    /** The month-end's CSV text, starting with the byte order mark and the header row. */
    static String of(MonthEnd monthEnd) {
        return new MonthEndCsv(monthEnd).write();
    }

    /** A text cell: quoted, its quotes doubled, and prefixed with {@code '} if a spreadsheet could take it as a formula. */
    static String text(String value) {
        if (value == null) {
            return "";
        }
        String safe = !value.isEmpty() && FORMULA_STARTS.indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        return '"' + safe.replace("\"", "\"\"") + '"';
    }

    private String write() {
        csv.append(BYTE_ORDER_MARK).append(HEADER).append("\r\n");
        for (SiteMonth site : monthEnd.sites()) {
            site(site, "days elapsed", site.daysElapsed());
            site(site, "days reported", site.daysReported());
            site(site, "days missing", site.daysMissing());
            for (Map.Entry<ReportStatus, Long> reports : site.reports().entrySet()) {
                site(site, "reports " + reports.getKey().name().toLowerCase(), reports.getValue());
            }
            site(site, "reports filed", site.filed());
            site(site, "delays", site.delays());
            site(site, "safety incidents", site.safetyIncidents());
            site(site, "photos", site.photos());
        }
        MonthEnd.Totals totals = monthEnd.totals();
        total("reports filed", totals.reportsFiled());
        total("days reported", totals.daysReported());
        total("days missing", totals.daysMissing());
        total("hours", totals.hours());
        total("headcount", totals.headcount());
        total("delays", totals.delays());
        total("safety incidents", totals.safetyIncidents());
        total("photos", totals.photos());
        crew("trade", monthEnd.byTrade());
        crew("company", monthEnd.byCompany());
        occurrences("delay", monthEnd.delays());
        occurrences("safety incident", monthEnd.safetyIncidents());
        return csv.toString();
    }

    private void site(SiteMonth site, String figure, long value) {
        row(text("site"), text(site.code()), text(site.name()), "", "", text(figure), Long.toString(value), "", "", "");
    }

    private void total(String figure, Compared compared) {
        row(text("total"), "", "", "", "", text(figure), number(compared.value()), number(compared.previous()),
                number(compared.change()), "");
    }

    private void crew(String section, List<CrewTotal> totals) {
        for (CrewTotal total : totals) {
            for (var figure : List.of(Map.entry("hours", total.hours()), Map.entry("headcount", total.headcount()))) {
                Compared compared = figure.getValue();
                row(text(section), "", "", "", text(total.name()), text(figure.getKey()), number(compared.value()),
                        number(compared.previous()), number(compared.change()), "");
            }
        }
    }

    private void occurrences(String section, List<Occurrence> occurrences) {
        for (Occurrence occurrence : occurrences) {
            row(text(section), text(occurrence.siteCode()), text(siteNames.get(occurrence.siteId())), occurrence.date().toString(),
                    "", "", "", "", "", text(occurrence.text()));
        }
    }

    private void row(String section, String site, String siteName, String date, String name, String figure,
            String value, String previous, String change, String text) {
        csv.append(String.join(",", text(monthEnd.month()), section, site, siteName, date, name, figure, value,
                previous, change, text)).append("\r\n");
    }

    private static String number(BigDecimal value) {
        return value.toPlainString();
    }
}
