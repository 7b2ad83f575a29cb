package app.fieldbook.insights;

import app.fieldbook.insights.MonthEnd.CrewTotal;
import app.fieldbook.insights.MonthEnd.SiteMonth;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.AxisLocation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * The month-end's charts, drawn by JFreeChart on the server into images at twice their size on the page
 * (ADR 0024): the days reported and missing per site, and the hours of the month and the previous one by trade
 * and by company (the {@link #MOST_BARS} largest; the tables list all). An image is handed to the PDF as its
 * pixels, 8-bit RGB, which the PDF compresses once: encoding a PNG only for the PDF library to decode it again,
 * pixel by pixel, took two thirds of the month-end PDF's processor time.
 */
final class MonthEndCharts {

    /** A chart of trades or companies shows at most this many, the largest by this month's hours. */
    static final int MOST_BARS = 12;

    /** The width of a chart on the page, in points; the PNG has twice as many pixels. */
    static final int WIDTH = 500;

    private static final int SCALE = 2;
    private static final Color THIS_MONTH = new Color(0x1f, 0x5f, 0xa8);
    private static final Color PREVIOUS = new Color(0xa6, 0xb8, 0xcc);
    private static final Color MISSING = new Color(0xd9, 0x53, 0x1e);
    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 13);

    private MonthEndCharts() {
    }

    /**
     * A chart as an image of {@code pixelWidth} by {@code pixelHeight} pixels, {@code rgb} holding three bytes a
     * pixel (red, green, blue) row by row, with its size on the page in points.
     */
    record Chart(String title, int pixelWidth, int pixelHeight, byte[] rgb, int width, int height) {
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
        return drawn(chart, title, Math.min(700, 90 + 16 * Math.max(sites.size(), 3)));
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
        return drawn(chart, title, hoursHeight(largest.size()));
    }

    /** The height on the page, in points, of the chart of hours of {@code rows} trades or companies. */
    static int hoursHeight(int rows) {
        return Math.min(700, 90 + 26 * Math.max(Math.min(rows, MOST_BARS), 2));
    }

    private static void style(JFreeChart chart, Color first, Color second) {
        chart.setBackgroundPaint(Color.WHITE);
        chart.setTitle(new TextTitle(chart.getTitle().getText(), TITLE));
        CategoryPlot plot = chart.getCategoryPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setOutlineVisible(false);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        // solid: JFreeChart's dashed default costs a fifth of a chart's drawing, anti-aliased at twice the size
        plot.setRangeGridlineStroke(new BasicStroke(0.5f));
        plot.setRangeAxisLocation(AxisLocation.BOTTOM_OR_LEFT);
        BarRenderer renderer = (BarRenderer) plot.getRenderer();
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setSeriesPaint(0, first);
        renderer.setSeriesPaint(1, second);
    }

    private static Chart drawn(JFreeChart chart, String title, int height) {
        int pixelWidth = WIDTH * SCALE;
        int pixelHeight = height * SCALE;
        BufferedImage image = new BufferedImage(pixelWidth, pixelHeight, BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = image.createGraphics();
        try {
            graphics.setColor(Color.WHITE);
            graphics.fillRect(0, 0, pixelWidth, pixelHeight);
            graphics.scale(SCALE, SCALE);
            chart.draw(graphics, new Rectangle2D.Double(0, 0, WIDTH, height));
        } finally {
            graphics.dispose();
        }
        int[] pixels = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        byte[] rgb = new byte[pixels.length * 3];
        for (int i = 0, j = 0; i < pixels.length; i++) {
            int pixel = pixels[i];
            rgb[j++] = (byte) (pixel >>> 16);
            rgb[j++] = (byte) (pixel >>> 8);
            rgb[j++] = (byte) pixel;
        }
        return new Chart(title, pixelWidth, pixelHeight, rgb, WIDTH, height);
    }
}
