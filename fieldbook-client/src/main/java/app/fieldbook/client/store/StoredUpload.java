package app.fieldbook.client.store;

import app.fieldbook.client.PhotoUpload;
import app.fieldbook.protocol.PhotoReceipt;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A photo whose content this device holds for upload.
 *
 * @param file the copy's file name inside the store's photo directory
 * @param uploaded how many bytes the server confirmed so far
 * @param receipt the server's receipt, once it holds the verified photo (the copy is then deleted)
 */
public record StoredUpload(
        UUID photoId,
        UUID reportId,
        String sha256,
        long size,
        String file,
        long uploaded,
        PhotoReceipt receipt,
        PhotoUpload.State state,
        int attempts,
        Instant nextAttemptAt,
        String lastError,
        OffsetDateTime attachedAt) {
}
