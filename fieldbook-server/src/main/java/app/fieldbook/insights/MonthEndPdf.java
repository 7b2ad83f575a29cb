package app.fieldbook.insights;

import app.fieldbook.insights.MonthEnd.Compared;
import app.fieldbook.insights.MonthEnd.CrewTotal;
import app.fieldbook.insights.MonthEnd.Occurrence;
import app.fieldbook.insights.MonthEnd.SiteMonth;
import app.fieldbook.insights.MonthEnd.Totals;
import app.fieldbook.protocol.ReportStatus;
import com.lowagie.text.BadElementException;
import com.lowagie.text.Document;
import com.lowagie.text.Element;
import com.lowagie.text.Font;
import com.lowagie.text.Image;
import com.lowagie.text.PageSize;
import com.lowagie.text.Paragraph;
import com.lowagie.text.Phrase;
import com.lowagie.text.pdf.BaseFont;
import com.lowagie.text.pdf.FontMapper;
import com.lowagie.text.pdf.PdfContentByte;
import com.lowagie.text.pdf.PdfPCell;
import com.lowagie.text.pdf.PdfPTable;
import com.lowagie.text.pdf.PdfPageEventHelper;
import com.lowagie.text.pdf.PdfTemplate;
import com.lowagie.text.pdf.PdfWriter;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * A month-end as a PDF document for printing and filing, written with OpenPDF (ADR 0024): a cover with the month,
 * the month it is compared with (and, for a month under way, the day it counts up to), the scope and four figures at a
 * glance; then the totals, each site's figures, the crews by trade and by
 * company, with their charts ({@link MonthEndCharts}) drawn in as vector graphics; then the delays and safety incidents listed;
 * "Page n of m" at the foot of every page. What people wrote (site names, trades, the texts of delays) is set
 * as text, never interpreted, in DejaVu Sans where the system has it (so that any script shows; Helvetica
 * otherwise).
 */
final class MonthEndPdf {

    /** Where Debian's fonts-dejavu-core puts DejaVu Sans. */
    private static final Path FONTS = Path.of("/usr/share/fonts/truetype/dejavu");
    private static final BaseFont REGULAR = font("DejaVuSans.ttf", BaseFont.HELVETICA);
    private static final BaseFont BOLD = font("DejaVuSans-Bold.ttf", BaseFont.HELVETICA_BOLD);
    /**
     * The charts' text in the document's fonts: the charts set theirs in Java's sans serif ({@link MonthEndCharts}),
     * which is DejaVu Sans on Debian, so the text is measured in the font it is printed in.
     */
    private static final FontMapper CHART_FONTS = new FontMapper() {
        @Override
        public BaseFont awtToPdf(java.awt.Font font) {
            return font.isBold() ? BOLD : REGULAR;
        }

        @Override
        public java.awt.Font pdfToAwt(BaseFont font, int size) {
            return new java.awt.Font(java.awt.Font.SANS_SERIF, font == BOLD ? java.awt.Font.BOLD : java.awt.Font.PLAIN,
                    size);
        }
    };
    /** Points a heading needs below it on its page: itself, a table's header and a few rows. */
    private static final float KEPT_WITH_HEADING = 110;
    /** Points of a heading with the space around it. */
    private static final float HEADING_HEIGHT = 40;
    /** Points of space above and below a chart. */
    private static final float CHART_SPACING = 20;
    private static final Color HEADER = new Color(0xe8, 0xee, 0xf5);
    private static final Color MUTED = new Color(0x55, 0x5f, 0x6b);
    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("MMMM yyyy", Locale.ENGLISH);
    private static final DateTimeFormatter MONTH_NAME = DateTimeFormatter.ofPattern("MMMM", Locale.ENGLISH);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.ENGLISH);
    private static final DateTimeFormatter GENERATED = DateTimeFormatter.ofPattern("d MMMM yyyy, HH:mm",
            Locale.ENGLISH);

    private final MonthEnd monthEnd;
    private final Instant generated;
    private final Map<UUID, String> siteNames = new HashMap<>();
    private final Document document = new Document(PageSize.A4, 48, 48, 54, 60);
    private PdfWriter writer;

    private MonthEndPdf(MonthEnd monthEnd, Instant generated) {
        this.monthEnd = monthEnd;
        this.generated = generated;
        monthEnd.sites().forEach(site -> siteNames.put(site.siteId(), site.name()));
    }

    /** The month-end's PDF document, stamped as generated at {@code generated}. */
    static byte[] of(MonthEnd monthEnd, Instant generated) {
        return new MonthEndPdf(monthEnd, generated).write();
    }

    /** The scope in words: the site, the portfolio, or every site the person may see. */
    static String scope(MonthEnd monthEnd) {
        int count = monthEnd.sites().size();
        String sites = count + (count == 1 ? " site" : " sites");
        if (monthEnd.siteId() != null && !monthEnd.sites().isEmpty()) {
            SiteMonth site = monthEnd.sites().getFirst();
            return "Site " + site.code() + " \u2013 " + site.name();
        }
        if (monthEnd.portfolioId() != null) {
            return "Portfolio " + monthEnd.portfolioName() + " (" + sites + ")";
        }
        return "Every site you may see (" + sites + ")";
    }

    private byte[] write() {
        ByteArrayOutputStream pdf = new ByteArrayOutputStream();
        writer = PdfWriter.getInstance(document, pdf);
        // a chart that does not fit goes to the next page where it stands, not after what follows it
        writer.setStrictImageSequence(true);
        writer.setPageEvent(new PageFooter());
        document.addTitle("Month-end " + monthEnd.month());
        document.addSubject(scope(monthEnd));
        document.addCreator("Fieldbook");
        document.open();
        cover();
        document.newPage();
        totals();
        sites();
        crew("By trade", "Trade", monthEnd.byTrade());
        crew("By company", "Company", monthEnd.byCompany());
        occurrences("Delays", monthEnd.delays());
        occurrences("Safety incidents", monthEnd.safetyIncidents());
        document.close();
        return pdf.toByteArray();
    }

    private void cover() {
        YearMonth month = YearMonth.parse(monthEnd.month());
        YearMonth previous = YearMonth.parse(monthEnd.previousMonth());
        add(spaced(new Paragraph("Fieldbook", font(BOLD, 14, MUTED)), 100, 6));
        add(spaced(new Paragraph("Month-end report", font(BOLD, 30, Color.BLACK)), 0, 24));
        add(spaced(new Paragraph(MONTH.format(month), font(BOLD, 22, Color.BLACK)), 0, 8));
        add(spaced(new Paragraph(scope(monthEnd), font(REGULAR, 14, Color.BLACK)), 0, 8));
        // the days counted at the site furthest on (sites a time zone apart may be a day apart at a month's turn)
        int elapsed = monthEnd.sites().stream().mapToInt(SiteMonth::daysElapsed).max().orElse(month.lengthOfMonth());
        String compared;
        if (elapsed == 0) {
            compared = MONTH.format(month) + " has not begun yet at these sites.";
        } else if (elapsed < month.lengthOfMonth()) {
            compared = MONTH.format(month) + " so far (up to " + DAY.format(month.atDay(elapsed))
                    + ", the sites\u2019 today), compared with the whole of " + MONTH.format(previous)
                    + ": days missing count the days up to then.";
        } else {
            compared = "Compared with " + MONTH.format(previous);
        }
        add(spaced(new Paragraph(compared, font(REGULAR, 11, MUTED)), 0, 28));
        atAGlance();
        add(spaced(new Paragraph("The figures count filed reports (submitted or approved); the reports by status count "
                + "every report. A day is reported at a site when a filed report of the site is dated that day.",
                font(REGULAR, 10, MUTED)), 28, 6));
        add(new Paragraph("Generated " + generated(), font(REGULAR, 10, MUTED)));
    }

    /** Four figures a manager looks at first, each with the previous month's and the change, in large type. */
    private void atAGlance() {
        Totals totals = monthEnd.totals();
        String previous = MONTH_NAME.format(YearMonth.parse(monthEnd.previousMonth()));
        PdfPTable table = new PdfPTable(4);
        table.setWidthPercentage(100);
        glance(table, "Reports filed", totals.reportsFiled(), previous);
        glance(table, "Days missing", totals.daysMissing(), previous);
        glance(table, "Hours", totals.hours(), previous);
        glance(table, "Safety incidents", totals.safetyIncidents(), previous);
        add(table);
    }

    private static void glance(PdfPTable table, String figure, Compared compared, String previousMonth) {
        Paragraph content = new Paragraph();
        content.add(new Phrase(plain(compared.value()) + "\n", font(BOLD, 24, Color.BLACK)));
        content.add(new Phrase(figure + "\n", font(BOLD, 10, Color.BLACK)));
        String change = compared.change().signum() > 0 ? "+" + plain(compared.change()) : plain(compared.change());
        content.add(new Phrase(change + " on " + previousMonth + " (" + plain(compared.previous()) + ")",
                font(REGULAR, 8, MUTED)));
        PdfPCell cell = new PdfPCell();
        cell.addElement(content);
        cell.setBackgroundColor(HEADER);
        cell.setBorderColor(Color.WHITE);
        cell.setBorderWidth(3);
        cell.setPadding(8);
        cell.setPaddingTop(4);
        table.addCell(cell);
    }

    /**
     * When the document was made, in the covered sites' time zone when they share one (what the people of those sites
     * read on their clocks), in UTC otherwise.
     */
    private String generated() {
        List<String> zones = monthEnd.sites().stream().map(SiteMonth::timezone).distinct().toList();
        ZoneId zone = zones.size() == 1 ? ZoneId.of(zones.getFirst()) : ZoneOffset.UTC;
        String named = zone.normalized().equals(ZoneOffset.UTC) ? " UTC" : " (" + zone.getId() + ")";
        return GENERATED.format(generated.atZone(zone)) + named;
    }

    private void totals() {
        heading("Totals");
        PdfPTable table = table(new float[] {4, 2, 2, 2}, "Figure", "This month", "Previous month", "Change");
        Totals totals = monthEnd.totals();
        total(table, "Reports filed", totals.reportsFiled());
        total(table, "Days reported (site-days)", totals.daysReported());
        total(table, "Days missing (site-days)", totals.daysMissing());
        total(table, "Hours", totals.hours());
        total(table, "Headcount (person-days)", totals.headcount());
        total(table, "Delays", totals.delays());
        total(table, "Safety incidents", totals.safetyIncidents());
        total(table, "Photos", totals.photos());
        add(table);
        chart(MonthEndCharts.days(monthEnd.sites()));
    }

    private void sites() {
        heading("Sites");
        PdfPTable table = table(new float[] {3.2f, 5, 2, 2, 2, 2, 2, 2}, "Code", "Name", "Days\nreported",
                "Days\nmissing", "Filed", "Delays", "Safety\nincidents", "Photos");
        for (SiteMonth site : monthEnd.sites()) {
            text(table, site.code());
            text(table, site.name());
            number(table, Integer.toString(site.daysReported()));
            number(table, Integer.toString(site.daysMissing()));
            number(table, Long.toString(site.filed()));
            number(table, Long.toString(site.delays()));
            number(table, Long.toString(site.safetyIncidents()));
            number(table, Long.toString(site.photos()));
        }
        add(table);
        heading("Reports by status");
        PdfPTable statuses = table(new float[] {3.2f, 5, 2, 2, 2, 2}, "Code", "Name", "Draft", "Submitted",
                "Returned", "Approved");
        for (SiteMonth site : monthEnd.sites()) {
            text(statuses, site.code());
            text(statuses, site.name());
            for (ReportStatus status : List.of(ReportStatus.DRAFT, ReportStatus.SUBMITTED, ReportStatus.RETURNED,
                    ReportStatus.APPROVED)) {
                number(statuses, Long.toString(site.reports().getOrDefault(status, 0L)));
            }
        }
        add(statuses);
    }

    private void crew(String title, String column, List<CrewTotal> totals) {
        if (!totals.isEmpty()) {
            // the heading and its chart on one page
            keepWithNext(HEADING_HEIGHT + MonthEndCharts.hoursHeight(totals.size()) + CHART_SPACING);
        }
        heading(title);
        if (totals.isEmpty()) {
            add(new Paragraph("No crew in filed reports of " + monthEnd.month() + " or " + monthEnd.previousMonth()
                    + ".", font(REGULAR, 10, MUTED)));
            return;
        }
        chart(MonthEndCharts.hours("Hours " + title.toLowerCase(Locale.ENGLISH), totals, MonthEndPdf::nameOf));
        PdfPTable table = table(new float[] {4, 1.6f, 1.6f, 1.6f, 1.6f, 1.6f, 1.6f}, column, "Hours", "Previous",
                "Change", "Headcount", "Previous", "Change");
        for (CrewTotal total : totals) {
            text(table, nameOf(total));
            compared(table, total.hours());
            compared(table, total.headcount());
        }
        add(table);
    }

    private void occurrences(String title, List<Occurrence> occurrences) {
        heading(title + " (" + occurrences.size() + ")");
        if (occurrences.isEmpty()) {
            add(new Paragraph("None in the filed reports of the month.", font(REGULAR, 10, MUTED)));
            return;
        }
        PdfPTable table = table(new float[] {1.8f, 3, 8}, "Date", "Site", "What the report says");
        for (Occurrence occurrence : occurrences) {
            text(table, occurrence.date().toString());
            text(table, occurrence.siteCode() + "\n" + siteNames.getOrDefault(occurrence.siteId(), ""));
            text(table, occurrence.text());
        }
        add(table);
    }

    private static String nameOf(CrewTotal total) {
        return total.name() == null ? "(no company)" : total.name();
    }

    /**
     * A section's heading, on a new page when what is left of this one would hold it but not the start of what
     * follows (a heading alone at the foot of a page, its table on the next).
     */
    private void heading(String text) {
        keepWithNext(KEPT_WITH_HEADING);
        add(spaced(new Paragraph(text, font(BOLD, 14, Color.BLACK)), 14, 8));
    }

    /** Starts a new page unless what is left of this one holds {@code points} more. */
    private void keepWithNext(float points) {
        if (writer.getVerticalPosition(true) - document.bottom() < points) {
            document.newPage();
        }
    }

    /**
     * A chart drawn as vector graphics into a form of its size, placed like an image: its lines and text stay
     * sharp at any zoom and in print, and its text is the document's font, so it can be found and read out.
     */
    private void chart(MonthEndCharts.Chart chart) {
        PdfTemplate form = writer.getDirectContent().createTemplate(chart.width(), chart.height());
        Graphics2D graphics = form.createGraphics(chart.width(), chart.height(), CHART_FONTS);
        try {
            chart.drawing().draw(graphics, new Rectangle2D.Double(0, 0, chart.width(), chart.height()));
        } finally {
            graphics.dispose();
        }
        Image image;
        try {
            image = Image.getInstance(form);
        } catch (BadElementException e) {
            throw new IllegalStateException(e);
        }
        image.setAlt(chart.title());
        image.setAlignment(Element.ALIGN_CENTER);
        image.setSpacingBefore(CHART_SPACING / 2);
        image.setSpacingAfter(CHART_SPACING / 2);
        add(image);
    }

    private static PdfPTable table(float[] widths, String... headers) {
        PdfPTable table = new PdfPTable(widths);
        table.setWidthPercentage(100);
        table.setHeaderRows(1);
        table.setSpacingAfter(6);
        for (String header : headers) {
            PdfPCell cell = new PdfPCell(new Phrase(header, font(BOLD, 8, Color.BLACK)));
            cell.setBackgroundColor(HEADER);
            cell.setPadding(4);
            table.addCell(cell);
        }
        return table;
    }

    private static void total(PdfPTable table, String figure, Compared compared) {
        text(table, figure);
        compared(table, compared);
    }

    private static void compared(PdfPTable table, Compared compared) {
        number(table, plain(compared.value()));
        number(table, plain(compared.previous()));
        number(table, compared.change().signum() > 0 ? "+" + plain(compared.change()) : plain(compared.change()));
    }

    /** A figure as a plain numeral without trailing zeros: 56.5 hours, 24 hours, 7 people. */
    private static String plain(BigDecimal figure) {
        return figure.stripTrailingZeros().toPlainString();
    }

    private static void text(PdfPTable table, String text) {
        PdfPCell cell = new PdfPCell(new Phrase(text == null ? "" : text, font(REGULAR, 8, Color.BLACK)));
        cell.setPadding(4);
        table.addCell(cell);
    }

    private static void number(PdfPTable table, String number) {
        PdfPCell cell = new PdfPCell(new Phrase(number, font(REGULAR, 8, Color.BLACK)));
        cell.setPadding(4);
        cell.setHorizontalAlignment(Element.ALIGN_RIGHT);
        table.addCell(cell);
    }

    private static Paragraph spaced(Paragraph paragraph, float before, float after) {
        paragraph.setSpacingBefore(before);
        paragraph.setSpacingAfter(after);
        return paragraph;
    }

    private void add(Element element) {
        document.add(element);
    }

    private static Font font(BaseFont base, float size, Color color) {
        return new Font(base, size, Font.NORMAL, color);
    }

    private static BaseFont font(String file, String fallback) {
        try {
            Path path = FONTS.resolve(file);
            if (Files.isReadable(path)) {
                // from its bytes in memory: a font read from its file is read again for each document's subset,
                // four bytes a system call (a sixth of a month-end PDF's processor time)
                return BaseFont.createFont(file, BaseFont.IDENTITY_H, BaseFont.EMBEDDED, BaseFont.NOT_CACHED,
                        Files.readAllBytes(path), null);
            }
            return BaseFont.createFont(fallback, BaseFont.WINANSI, BaseFont.NOT_EMBEDDED);
        } catch (Exception e) {
            throw new IllegalStateException("No font for the month-end's PDF", e);
        }
    }

    /** "Page n of m" at the foot of every page, m written once the document is complete. */
    private final class PageFooter extends PdfPageEventHelper {

        private static final float SIZE = 8;
        private PdfTemplate total;

        @Override
        public void onOpenDocument(PdfWriter writer, Document opened) {
            total = writer.getDirectContent().createTemplate(40, 12);
        }

        @Override
        public void onEndPage(PdfWriter writer, Document page) {
            PdfContentByte content = writer.getDirectContent();
            float y = page.bottom() - 24;
            String left = "Fieldbook month-end " + monthEnd.month() + " \u00b7 " + scope(monthEnd);
            String right = "Page " + writer.getPageNumber() + " of ";
            float rightWidth = REGULAR.getWidthPoint(right, SIZE);
            float x = page.right() - rightWidth - REGULAR.getWidthPoint("000", SIZE);
            content.beginText();
            content.setFontAndSize(REGULAR, SIZE);
            content.setColorFill(MUTED);
            content.setTextMatrix(page.left(), y);
            content.showText(left.length() > 90 ? left.substring(0, 89) + "\u2026" : left);
            content.setTextMatrix(x, y);
            content.showText(right);
            content.endText();
            content.addTemplate(total, x + rightWidth, y);
        }

        @Override
        public void onCloseDocument(PdfWriter writer, Document closed) {
            total.beginText();
            total.setFontAndSize(REGULAR, SIZE);
            total.setColorFill(MUTED);
            total.setTextMatrix(0, 0);
            total.showText(Integer.toString(writer.getPageNumber() - 1));
            total.endText();
        }
    }
}
