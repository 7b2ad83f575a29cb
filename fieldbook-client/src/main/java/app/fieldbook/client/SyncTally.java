package app.fieldbook.client;

import app.fieldbook.client.SyncSummary.Interruption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Counts what a sync does as it goes; becomes its {@link SyncSummary}. */
final class SyncTally {

    int applied;
    int conflicted;
    int rejected;
    int reportsReceived;
    int photosReceived;
    int conflictsReceived;
    int removed;
    int photosUploaded;
    int photosFailed;
    /** Outbox rows and uploads postponed in this sync as if their own fault; released if the sync is cut off. */
    final List<Long> postponedChanges = new ArrayList<>();
    final List<UUID> postponedUploads = new ArrayList<>();
    private Interruption interruption = Interruption.NONE;
    private String detail;
    private Instant retryAt;

    void interrupted(Interruption interruption, String detail, Instant retryAt) {
        this.interruption = interruption;
        this.detail = detail;
        this.retryAt = retryAt;
    }

    SyncSummary summary(int waiting, int photosWaiting) {
        return new SyncSummary(applied, conflicted, rejected, waiting, reportsReceived, photosReceived,
                conflictsReceived, removed, photosUploaded, photosFailed, photosWaiting, interruption, detail, retryAt);
    }
}
