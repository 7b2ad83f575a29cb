package app.fieldbook.sync;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of offline sync, bound from {@code fieldbook.sync}.
 *
 * @param minimumClientVersion the oldest client version accepted; older clients are told to update (426)
 * @param minimumProtocolVersion the oldest protocol version accepted
 * @param sequenceInterval how often committed changes get their feed positions when nobody pulls
 */
@ConfigurationProperties("fieldbook.sync")
record SyncSettings(
        @DefaultValue("0.1.0") String minimumClientVersion,
        @DefaultValue("1") int minimumProtocolVersion,
        @DefaultValue("500ms") Duration sequenceInterval) {
}
