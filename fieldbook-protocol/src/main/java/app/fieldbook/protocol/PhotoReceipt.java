package app.fieldbook.protocol;

import java.time.OffsetDateTime;
import java.util.UUID;

/** The server's word that it durably holds a photo whose content has this SHA-256. */
public record PhotoReceipt(UUID photoId, String sha256, long size, String contentType, OffsetDateTime storedAt) {
}
