package app.fieldbook.client;

import java.net.URI;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * What waits on this device and how its sync stands.
 *
 * @param account who the device is signed in as (kept while the token is missing or expired)
 * @param signedIn whether the device holds a token that has not expired
 * @param outboxDepth changes not yet acknowledged by the server
 * @param oldestPendingAt when the oldest of them was made
 * @param pendingPhotos photos waiting for upload
 * @param failedPhotos photos the server refused, still kept on the device
 * @param rejectedChanges changes the server refused, kept for the person to see
 * @param minimumClientVersion set when the server refused this client as too old
 * @param notBefore set while the server asked the device to wait (429 or 503)
 */
public record DeviceState(
        URI server,
        UUID deviceId,
        Account account,
        boolean signedIn,
        int outboxDepth,
        OffsetDateTime oldestPendingAt,
        int pendingPhotos,
        int failedPhotos,
        int rejectedChanges,
        int openConflicts,
        OffsetDateTime lastSyncAt,
        String clientVersion,
        String minimumClientVersion,
        Instant notBefore) {
}
