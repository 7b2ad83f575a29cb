package app.fieldbook.client;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A photo attached on this device and where its upload stands.
 *
 * @param uploaded bytes the server has confirmed
 * @param error why the last attempt failed, or why the server refused it
 * @param nextAttemptAt for a waiting upload, the first time a sync tries it again; null when the next sync does
 */
public record PhotoUpload(
        UUID photoId,
        UUID reportId,
        String sha256,
        long size,
        long uploaded,
        State state,
        String error,
        OffsetDateTime attachedAt,
        Instant nextAttemptAt) {

    public enum State {
        /** The device holds the photo and uploads it at the next sync. */
        WAITING,
        /** The server holds the verified photo; the device's copy is deleted. */
        UPLOADED,
        /** The server refused it for good; the device keeps its copy until discarded. */
        FAILED
    }
}
