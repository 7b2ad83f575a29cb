package app.fieldbook.digests;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.DateTimeException;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the digests, bound from {@code fieldbook.digests}.
 *
 * @param enabled whether the review digest is sent; the job still runs at its time and does nothing when not
 * @param time the local time of the morning the digest goes out, to the minute
 * @param zone the time zone of {@code time}, and of the day a digest is counted under; the server's when empty
 * @param baseUrl the web app's address as managers reach it ({@code https://fieldbook.example.com}), which each
 *     report's link starts with; without it no digest is sent (a warning at start-up says so)
 * @param from the sender's address
 */
@ConfigurationProperties("fieldbook.digests")
record DigestSettings(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("07:00") LocalTime time,
        @DefaultValue("") String zone,
        @DefaultValue("") String baseUrl,
        @DefaultValue("fieldbook@localhost") String from) {

    DigestSettings {
        time = time.truncatedTo(ChronoUnit.MINUTES);
        zone = zone == null ? "" : zone.strip();
        if (!zone.isEmpty()) {
            try {
                ZoneId.of(zone);
            } catch (DateTimeException unknown) {
                throw new IllegalArgumentException("fieldbook.digests.zone is no time zone: " + zone, unknown);
            }
        }
        baseUrl = baseUrl == null ? "" : baseUrl.strip().replaceAll("/+$", "");
        if (!baseUrl.isEmpty()) {
            try {
                URI uri = new URI(baseUrl);
                if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null
                        || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                    throw new URISyntaxException(baseUrl, "not an http or https address without query or fragment");
                }
            } catch (URISyntaxException bad) {
                throw new IllegalArgumentException("fieldbook.digests.base-url must be the web app's http(s) address, "
                        + "not " + baseUrl, bad);
            }
        }
    }

    /** The time zone of the morning: {@code zone}, or the server's. */
    ZoneId zoneId() {
        return zone.isEmpty() ? ZoneId.systemDefault() : ZoneId.of(zone);
    }

    /** The cron expression of {@code time}, every day. */
    String cron() {
        return "0 %d %d * * *".formatted(time.getMinute(), time.getHour());
    }
}
