package app.fieldbook.load;

import static app.fieldbook.load.LoadSettings.number;
import static app.fieldbook.load.LoadSettings.text;

import java.time.Duration;

/**
 * The size of the peaks' database and how hard each peak pushes, from system properties
 * ({@code -Dfieldbook.peak.reports=200000}); the defaults are the full run of issue 13, {@code run peaks-ci}
 * passes a tiny one.
 *
 * @param sites sites {@code PEAK-001}...
 * @param managers managers, each of one portfolio of {@code portfolioSites} neighbouring sites (portfolios overlap)
 * @param portfolioSites sites per portfolio
 * @param authorsPerSite field workers filing a report on each site every working day; worker {@code i} works on
 *     sites {@code i}, {@code i+1}... so there are as many workers as sites
 * @param reports reports the seeder writes with COPY, on working days going back from yesterday
 * @param photos photos uploaded through the API to the drafts of the last working day (real JPEGs, each distinct)
 * @param readers users of the Monday-morning reads
 * @param readRamp over how long they arrive
 * @param readDuration how long each keeps reading
 * @param monthEndManagers managers running the month-end with its CSV and PDF at once (at most {@code managers})
 * @param monthEndRuns how many times each does so, back to back
 * @param stormDevices devices coming back online at once in the sync storm
 * @param stormRamp over how long they come
 * @param stormQueued operations each has queued (new reports, with one photo announced and uploaded per report)
 * @param p95Millis the assertions' 95th percentile, per scenario: reads, month-end, storm
 * @param p99Millis the assertions' 99th percentile, per scenario
 * @param maxErrorPercent the assertions' error rate, for every scenario
 */
record PeakSettings(int sites, int managers, int portfolioSites, int authorsPerSite, int reports, int photos,
        int readers, Duration readRamp, Duration readDuration, int monthEndManagers, int monthEndRuns,
        int stormDevices, Duration stormRamp, int stormQueued, int[] p95Millis, int[] p99Millis,
        double maxErrorPercent) {

    static final int READS = 0;
    static final int MONTH_END = 1;
    static final int STORM = 2;

    static PeakSettings fromSystemProperties() {
        PeakSettings settings = new PeakSettings(
                number("fieldbook.peak.sites", 120),
                number("fieldbook.peak.managers", 20),
                number("fieldbook.peak.portfolio-sites", 12),
                number("fieldbook.peak.authors-per-site", 3),
                number("fieldbook.peak.reports", 1_000_000),
                number("fieldbook.peak.photos", 2000),
                number("fieldbook.peak.reads.users", 500),
                Duration.ofSeconds(number("fieldbook.peak.reads.ramp-seconds", 30)),
                Duration.ofSeconds(number("fieldbook.peak.reads.seconds", 120)),
                number("fieldbook.peak.month-end.users", 20),
                number("fieldbook.peak.month-end.runs", 3),
                number("fieldbook.peak.storm.devices", 300),
                Duration.ofSeconds(number("fieldbook.peak.storm.ramp-seconds", 5)),
                number("fieldbook.peak.storm.queued", 10),
                new int[] {number("fieldbook.peak.reads.p95-ms", 200), number("fieldbook.peak.month-end.p95-ms", 2000),
                    number("fieldbook.peak.storm.p95-ms", 3000)},
                new int[] {number("fieldbook.peak.reads.p99-ms", 300), number("fieldbook.peak.month-end.p99-ms", 4000),
                    number("fieldbook.peak.storm.p99-ms", 5000)},
                Double.parseDouble(text("fieldbook.peak.max-error-percent", "0")));
        if (settings.portfolioSites > settings.sites || settings.authorsPerSite > settings.sites
                || settings.monthEndManagers > settings.managers || settings.sites < 1 || settings.managers < 1) {
            throw new IllegalArgumentException("fieldbook.peak: portfolio sites and authors per site at most the sites, "
                    + "month-end users at most the managers");
        }
        return settings;
    }

    /** The working days (Monday to Friday) the reports span. */
    int workingDays() {
        return (reports + sites * authorsPerSite - 1) / (sites * authorsPerSite);
    }
}
