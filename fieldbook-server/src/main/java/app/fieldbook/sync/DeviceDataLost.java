package app.fieldbook.sync;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A device came back with nothing on it (no cursor, nothing waiting) although it had reported changes or
 * photos waiting: they never reached the server and are gone, most likely because the browser evicted the
 * app's storage. Published in the transaction that notices it.
 *
 * @param userId the person who used the device when it last reported them
 */
public record DeviceDataLost(UUID deviceId, UUID userId, int changes, int photos, OffsetDateTime lastReportedAt) {
}
