package app.fieldbook.insights;

import app.fieldbook.insights.MonthEnd.CrewTotal;
import app.fieldbook.insights.MonthEnd.SiteMonth;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.Axis;
import org.jfree.chart.axis.AxisLocation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * The month-end's charts, laid out by JFreeChart on the server (ADR 0024): the days reported and missing per site,
 * and the hours of the month and the previous one by trade and by company (the {@link #MOST_BARS} largest; the
 * tables list all). A chart is handed over undrawn; the PDF has it draw itself as vector graphics (ADR 0039).
 */
final class MonthEndCharts {

    /** A chart of trades or companies shows at most this many, the largest by this month's hours. */
    static final int MOST_BARS = 12;

    /** The width of a chart on the page, in points. */
    static final int WIDTH = 500;

    private static final Color THIS_MONTH = new Color(0x1f, 0x5f, 0xa8);
    private static final Color PREVIOUS = new Color(0xa6, 0xb8, 0xcc);
    private static final Color MISSING = new Color(0xd9, 0x53, 0x1e);
    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 13);
    /** Labels and legend in the sizes of JFreeChart's default theme, whose font (Tahoma) the PDF does not have. */
    private static final Font LABEL = new Font(Font.SANS_SERIF, Font.BOLD, 14);
    private static final Font TEXT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);

    private MonthEndCharts() {
    }

    /** A chart to be drawn into {@code width} by {@code height} points, named by {@code title}. */
    record Chart(String title, JFreeChart drawing, int width, int height) {
    }

    /** Days reported and missing per site, one horizontal stacked bar a site. */
    static Chart days(List<SiteMonth> sites) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (SiteMonth site : sites) {
            data.addValue(site.daysReported(), "Days reported", site.code());
            data.addValue(site.daysMissing(), "Days missing", site.code());
        }
        String title = "Days reported and missing, by site";
        JFreeChart chart = ChartFactory.createStackedBarChart(title, null, "Days", data,
                PlotOrientation.HORIZONTAL, true, false, false);
        style(chart, THIS_MONTH, MISSING);
        ((NumberAxis) chart.getCategoryPlot().getRangeAxis()).setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        return new Chart(title, chart, WIDTH, Math.min(700, 90 + 16 * Math.max(sites.size(), 3)));
    }

    /** Hours of this month and the previous one by trade or company (named by {@code label}). */
    static Chart hours(String title, List<CrewTotal> totals, Function<CrewTotal, String> label) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        List<CrewTotal> largest = totals.stream()
                .sorted(Comparator.comparing((CrewTotal total) -> total.hours().value()).reversed())
                .limit(MOST_BARS)
                .toList();
        for (CrewTotal total : largest) {
            data.addValue(total.hours().value(), "This month", label.apply(total));
            data.addValue(total.hours().previous(), "Previous month", label.apply(total));
        }
        JFreeChart chart = ChartFactory.createBarChart(title, null, "Hours", data, PlotOrientation.HORIZONTAL,
                true, false, false);
        style(chart, THIS_MONTH, PREVIOUS);
        return new Chart(title, chart, WIDTH, hoursHeight(largest.size()));
    }

    /** The height on the page, in points, of the chart of hours of {@code rows} trades or companies. */
    static int hoursHeight(int rows) {
        return Math.min(700, 90 + 26 * Math.max(Math.min(rows, MOST_BARS), 2));
    }

    private static void style(JFreeChart chart, Color first, Color second) {
        chart.setBackgroundPaint(Color.WHITE);
        chart.setTitle(new TextTitle(chart.getTitle().getText(), TITLE));
        chart.getLegend().setItemFont(TEXT);
        CategoryPlot plot = chart.getCategoryPlot();
        for (Axis axis : List.of(plot.getDomainAxis(), plot.getRangeAxis())) {
            axis.setLabelFont(LABEL);
            axis.setTickLabelFont(TEXT);
        }
        plot.setBackgroundPaint(Color.WHITE);
        plot.setOutlineVisible(false);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlineStroke(new BasicStroke(0.5f));
        plot.setRangeAxisLocation(AxisLocation.BOTTOM_OR_LEFT);
        BarRenderer renderer = (BarRenderer) plot.getRenderer();
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setSeriesPaint(0, first);
        renderer.setSeriesPaint(1, second);
    }
}
