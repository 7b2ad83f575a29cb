package app.fieldbook.client.sync;

import app.fieldbook.client.SyncSummary;
import app.fieldbook.client.SyncSummary.Interruption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Counts what a sync does as it goes; becomes its {@link SyncSummary}. */
public final class SyncTally {

    public int applied;
    public int conflicted;
    public int rejected;
    public int reportsReceived;
    public int photosReceived;
    public int conflictsReceived;
    public int removed;
    public int photosUploaded;
    public int photosFailed;
    /** Outbox rows and uploads postponed in this sync as if their own fault; released if the sync is cut off. */
    public final List<Long> postponedChanges = new ArrayList<>();
    public final List<UUID> postponedUploads = new ArrayList<>();
    private Interruption interruption = Interruption.NONE;
    private String detail;
    private Instant retryAt;

    public void interrupted(Interruption interruption, String detail, Instant retryAt) {
        this.interruption = interruption;
        this.detail = detail;
        this.retryAt = retryAt;
    }

    public SyncSummary summary(int waiting, int photosWaiting) {
        return new SyncSummary(applied, conflicted, rejected, waiting, reportsReceived, photosReceived,
                conflictsReceived, removed, photosUploaded, photosFailed, photosWaiting, interruption, detail, retryAt);
    }
}
