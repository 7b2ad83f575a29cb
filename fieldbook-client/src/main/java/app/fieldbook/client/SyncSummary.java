package app.fieldbook.client;

import java.time.Instant;

/**
 * What one sync did.
 *
 * @param applied changes the server applied
 * @param conflicted changes the server applied in part, leaving conflicts
 * @param rejected changes the server refused for good (see {@link FieldbookClient#rejectedChanges()})
 * @param waiting changes still in the outbox afterwards
 * @param removed records removed because the server deleted them or the device lost access
 * @param photosWaiting photos still waiting for upload afterwards
 * @param interruption why the sync stopped early, {@link Interruption#NONE} when it ran through
 * @param detail what went wrong, for people; null when nothing did
 * @param retryAt when the server asked the device to come back, if it did
 */
public record SyncSummary(
        int applied,
        int conflicted,
        int rejected,
        int waiting,
        int reportsReceived,
        int photosReceived,
        int conflictsReceived,
        int removed,
        int photosUploaded,
        int photosFailed,
        int photosWaiting,
        Interruption interruption,
        String detail,
        Instant retryAt) {

    public enum Interruption {
        NONE,
        /** The server could not be reached; the device is probably offline. */
        SERVER_UNREACHABLE,
        /** The server asked the device to come back later (429 or 503). */
        SERVER_BUSY,
        /** The server kept failing (5xx); the device tries again at the next sync. */
        SERVER_FAILED
    }

    /** Whether everything on the device reached the server and the device is up to date. */
    public boolean complete() {
        return interruption == Interruption.NONE && waiting == 0 && photosWaiting == 0;
    }
}
