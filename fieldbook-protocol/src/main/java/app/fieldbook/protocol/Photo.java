package app.fieldbook.protocol;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A photo attached to a daily report. The content is addressed by its SHA-256.
 *
 * @param thumbnail whether a thumbnail could be made (not for types Java cannot decode)
 * @param pending whether the photo's metadata arrived but its content is still being uploaded; {@code
 *     sha256} and {@code sizeBytes} are then the announced ones and {@code contentType} is null
 */
public record Photo(
        UUID id,
        UUID reportId,
        String sha256,
        String contentType,
        long sizeBytes,
        String caption,
        OffsetDateTime takenAt,
        Double latitude,
        Double longitude,
        boolean thumbnail,
        long version,
        OffsetDateTime createdAt,
        boolean pending) {
}
