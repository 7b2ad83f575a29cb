package app.fieldbook.protocol;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * The server's word that it durably holds a photo whose content has this SHA-256. {@code version} is the
 * photo's version once stored (storing its content makes a new one): a device that removes the photo
 * afterwards sends it as its base, without waiting for a pull.
 */
public record PhotoReceipt(UUID photoId, String sha256, long size, String contentType, OffsetDateTime storedAt,
        long version) {
}
