package app.fieldbook.protocol;

import java.time.OffsetDateTime;

/**
 * What a device lost: it came back with nothing (no cursor, nothing waiting) although it had reported
 * changes or photos waiting, so the browser (or someone) deleted its data before they reached the server.
 *
 * @param changes changes the device last reported waiting, not acknowledged since
 * @param photos photos whose content the server still waits for from the device, or that the device last
 *     reported waiting, whichever is more
 * @param lastReportedAt when the device last reported them
 */
public record LostOnDevice(int changes, int photos, OffsetDateTime lastReportedAt) {
}
