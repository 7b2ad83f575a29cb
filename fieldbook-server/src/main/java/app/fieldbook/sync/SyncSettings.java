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
 * @param health how the sync health metrics are read ({@link SyncMeters})
 */
@ConfigurationProperties("fieldbook.sync")
record SyncSettings(
        @DefaultValue("0.1.0") String minimumClientVersion,
        @DefaultValue("1") int minimumProtocolVersion,
        @DefaultValue("500ms") Duration sequenceInterval,
        @DefaultValue Health health) {

    /**
     * Settings of the sync health metrics.
     *
     * @param silentAfter a device not seen for longer than this while it had changes or photos waiting counts
     *     as silent ({@code fieldbook_sync_devices_silent})
     * @param refreshInterval the pause between two reads of the figures from the database (devices, open
     *     conflicts; one query for all sites each) by the background job {@code sync-health}; the metrics show
     *     the last figures read, never querying at a scrape
     */
    record Health(
            @DefaultValue("8h") Duration silentAfter,
            @DefaultValue("30s") Duration refreshInterval) {
    }
}
