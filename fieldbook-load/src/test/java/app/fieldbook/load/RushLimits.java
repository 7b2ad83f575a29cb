package app.fieldbook.load;

/**
 * The rush's Gatling assertions, from system properties ({@code -Dfieldbook.load.rush.photo-p99-ms=3000}); the
 * defaults are the figures of issues 9 and 13, {@code run rush-ci} passes loose ones (a few phones on a cold JVM
 * prove that the rush works end to end, not how fast it is). A bound of 0 is not asserted.
 *
 * @param photoP95Millis 95th percentile of a photo upload (the REST upload, or the resumable upload's chunk)
 * @param photoP99Millis 99th percentile of a photo upload
 * @param reportP99Millis 99th percentile of each request that writes the report: its creation and its submission
 *     through REST, the push through sync
 * @param submissionP99Millis 99th percentile of a whole submission (Gatling's group of the report's and photos'
 *     requests); by default asserted only up to 50 phones, the figure for them
 * @param maxErrorPercent failed requests of the whole run, read-back and thumbnail checks included
 */
record RushLimits(int photoP95Millis, int photoP99Millis, int reportP99Millis, int submissionP99Millis,
        double maxErrorPercent) {

    /** Up to this many phones the whole submission's p99 is asserted by default. */
    static final int SMALL_RUSH = 50;

    static RushLimits fromSystemProperties(int phones) {
        RushLimits limits = new RushLimits(
                LoadSettings.number("fieldbook.load.rush.photo-p95-ms", 3000),
                LoadSettings.number("fieldbook.load.rush.photo-p99-ms", 3000),
                LoadSettings.number("fieldbook.load.rush.report-p99-ms", 1000),
                LoadSettings.number("fieldbook.load.rush.submission-p99-ms", phones <= SMALL_RUSH ? 1000 : 0),
                Double.parseDouble(LoadSettings.text("fieldbook.load.rush.max-error-percent", "0")));
        if (limits.photoP95Millis < 0 || limits.photoP99Millis < 0 || limits.reportP99Millis < 0
                || limits.submissionP99Millis < 0 || limits.maxErrorPercent < 0) {
            throw new IllegalArgumentException("fieldbook.load.rush: bounds are 0 (not asserted) or more");
        }
        return limits;
    }
}
