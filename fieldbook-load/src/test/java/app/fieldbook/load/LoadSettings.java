package app.fieldbook.load;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What a load run is pointed at and how hard it pushes, from system properties ({@code -Dfieldbook.url=...}).
 * The {@code run} script passes the server's address and the administrator it started the server with;
 * the defaults are the figures of the issue.
 *
 * @param url the server, loopback only: {@code http://127.0.0.1:PORT}
 * @param adminLogin an administrator, who creates the sites and people of the {@link World}
 * @param adminPassword that administrator's password
 * @param password the password given to every account the load test creates; it must pass the server's password
 *     policy, so it contains neither a login nor a word of a name such as "Load Worker 01"
 * @param devices devices pushing at once, one field worker each
 * @param pushBatch operations per push
 * @param pushWarmUp how long devices push before the measured window opens
 * @param pushWindow the measured window
 * @param downloadReports reports seeded on the archive sites, which the archive manager downloads
 * @param seedBatch operations per push while seeding
 * @param pullLimit {@code limit} of every pull
 * @param downloads how many new devices download everything, one after the other
 * @param results where the simulations write their summaries
 * @param serverPid the server's process id, for {@link CpuUse}; 0 if unknown
 * @param database the server's database, whose PostgreSQL backends {@link CpuUse} counts
 * @param rushUsers field workers submitting their day's report with photos at once in the rush
 * @param rushVia how they submit: {@code rest} (the REST API), {@code sync} (sync push and resumable
 *     uploads) or {@code both} (half each way)
 * @param rushPhotos photos per submission
 * @param rushMultipart whether REST uploads are multipart forms (as a browser sends them, and as the
 *     server before issue 9 took them) instead of the photo as the request body
 * @param rushWarmUp how long a few phones submit reports with photos before the rush, not counted
 * @param rushSpread over how long the phones start their submissions once all are ready: none (all at once, the
 *     issue's rush) or each at a random moment within it (a rush as it comes from people rather than at one instant)
 * @param diskDirectory where the raw disk bandwidth is measured: on the server's photo file system
 */
record LoadSettings(String url, String adminLogin, String adminPassword, String password, int devices, int pushBatch,
        Duration pushWarmUp, Duration pushWindow, int downloadReports, int seedBatch, int pullLimit, int downloads,
        Path results, long serverPid, String database, int rushUsers, String rushVia, int rushPhotos,
        boolean rushMultipart, Duration rushWarmUp, Duration rushSpread, Path diskDirectory) {

    static LoadSettings fromSystemProperties() {
        LoadSettings settings = new LoadSettings(
                text("fieldbook.url", "http://127.0.0.1:8080"),
                text("fieldbook.admin.login", "load-admin"),
                text("fieldbook.admin.password", "harbour-signal-ember"),
                text("fieldbook.load.password", "quarry-lantern-meadow"),
                number("fieldbook.load.devices", 20),
                number("fieldbook.load.push.batch", 100),
                Duration.ofSeconds(number("fieldbook.load.push.warmup-seconds", 20)),
                Duration.ofSeconds(number("fieldbook.load.push.seconds", 60)),
                number("fieldbook.load.download.reports", 100_000),
                number("fieldbook.load.seed.batch", 500),
                number("fieldbook.load.pull.limit", 5000),
                number("fieldbook.load.downloads", 3),
                Path.of(text("fieldbook.load.results", "target/load-results")),
                number("fieldbook.load.server-pid", 0),
                text("fieldbook.load.database", "fieldbook_load"),
                number("fieldbook.load.rush.users", 50),
                text("fieldbook.load.rush.via", "rest"),
                number("fieldbook.load.rush.photos", 3),
                Boolean.parseBoolean(text("fieldbook.load.rush.multipart", "false")),
                Duration.ofSeconds(number("fieldbook.load.rush.warmup-seconds", 20)),
                Duration.ofSeconds(number("fieldbook.load.rush.spread-seconds", 0)),
                Path.of(text("fieldbook.load.disk-directory", System.getProperty("java.io.tmpdir"))));
        if (!settings.url.matches("https?://(127\\.\\d+\\.\\d+\\.\\d+|localhost|\\[::1\\])(:\\d+)?/?")) {
            throw new IllegalArgumentException("fieldbook.url must be a loopback address, not " + settings.url);
        }
        if (settings.pushBatch < 2 || settings.pushBatch > 500 || settings.seedBatch < 1 || settings.seedBatch > 500) {
            throw new IllegalArgumentException("a push carries 2 to 500 operations (1 to 500 while seeding)");
        }
        if (!settings.rushVia.matches("rest|sync|both") || settings.rushUsers < 1 || settings.rushPhotos < 0
                || settings.rushSpread.isNegative()) {
            throw new IllegalArgumentException("fieldbook.load.rush.via is rest, sync or both; rush users at least 1, "
                    + "photos and spread at least 0");
        }
        if (settings.downloadReports % settings.devices != 0) {
            throw new IllegalArgumentException("fieldbook.load.download.reports must be a multiple of the devices");
        }
        return settings;
    }

    /** The base URL without a trailing slash. */
    String baseUrl() {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** A system property, or {@code fallback} when it is unset or blank. */
    static String text(String name, String fallback) {
        String value = System.getProperty(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    /** A system property as a number, or {@code fallback} when it is unset or blank. */
    static int number(String name, int fallback) {
        return Integer.parseInt(text(name, Integer.toString(fallback)));
    }
}
