package app.fieldbook.protocol;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.time.OffsetDateTime;

/**
 * What a device reports about itself with every sync call; the server keeps the latest per device.
 *
 * @param outboxDepth changes waiting on the device, not yet acknowledged by the server
 * @param oldestPendingAt when the oldest of them was made, null when the outbox is empty
 * @param pendingPhotos photos waiting to be uploaded
 */
public record DeviceStatus(
        @Min(0) int outboxDepth,
        OffsetDateTime oldestPendingAt,
        @Min(0) int pendingPhotos,
        @NotBlank @Size(max = 40) String appVersion) {
}
