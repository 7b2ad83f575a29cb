package app.fieldbook.digests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** The digests' settings and how the digest says how long a report has waited; no Spring. */
class DigestSettingsTest {

    @Test
    void theMorningsTimeBecomesADailyCronExpressionInTheZoneGiven() {
        DigestSettings settings = new DigestSettings(true, LocalTime.of(6, 45, 30), "Pacific/Auckland",
                "https://fieldbook.example.com/", "f@example.com");
        assertThat(settings.cron()).isEqualTo("0 45 6 * * *");
        assertThat(settings.zoneId()).isEqualTo(ZoneId.of("Pacific/Auckland"));
        assertThat(settings.baseUrl()).isEqualTo("https://fieldbook.example.com");
    }

    @Test
    void withoutAZoneTheServersIsTaken() {
        assertThat(new DigestSettings(true, LocalTime.of(7, 0), " ", "", "f@example.com").zoneId())
                .isEqualTo(ZoneId.systemDefault());
    }

    @Test
    void anUnknownZoneOrABaseUrlThatIsNoWebAddressIsRefused() {
        assertThatThrownBy(() -> new DigestSettings(true, LocalTime.of(7, 0), "Mars/Olympus", "", "f@example.com"))
                .hasMessageContaining("fieldbook.digests.zone");
        for (String bad : new String[] {"fieldbook.example.com", "ftp://fieldbook.example.com",
                "https://fieldbook.example.com/?x=1", "https://"}) {
            assertThatThrownBy(() -> new DigestSettings(true, LocalTime.of(7, 0), "", bad, "f@example.com"))
                    .as(bad).hasMessageContaining("fieldbook.digests.base-url");
        }
    }

    @Test
    void howLongAReportWaitedIsSaidInHoursUpToTwoDaysThenInDays() {
        assertThat(ReviewDigest.waited(Duration.ofMinutes(59))).isEqualTo("less than an hour");
        assertThat(ReviewDigest.waited(Duration.ofMinutes(61))).isEqualTo("1 hour");
        assertThat(ReviewDigest.waited(Duration.ofHours(47).plusMinutes(59))).isEqualTo("47 hours");
        assertThat(ReviewDigest.waited(Duration.ofHours(48))).isEqualTo("2 days");
        assertThat(ReviewDigest.waited(Duration.ofDays(9).plusHours(23))).isEqualTo("9 days");
    }
}
