package app.fieldbook.client.sync;

import app.fieldbook.client.PhotoUpload;
import app.fieldbook.client.SyncProgress;
import app.fieldbook.client.SyncSummary;
import app.fieldbook.client.SyncSummary.Interruption;
import app.fieldbook.client.http.RequestFailed;
import app.fieldbook.client.store.LocalStore;
import app.fieldbook.client.sync.pull.Pulling;
import app.fieldbook.client.sync.push.Pushing;
import app.fieldbook.client.sync.upload.UploadingPhotos;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * One sync, one at a time: push the outbox, pull the server's changes, then upload waiting photos (and
 * push again the withdrawals of photos the server refused). A server that cannot be reached or asks the
 * device to wait ends the sync early without an exception; what was acknowledged before is recorded.
 */
public final class Syncing {

    private final LocalStore store;
    private final Clock clock;
    private final Pushing pushing;
    private final Pulling pulling;
    private final UploadingPhotos uploading;
    private final Runnable requireSignedIn;
    private final Function<RequestFailed, RuntimeException> translated;
    private final ReentrantLock syncing = new ReentrantLock();

    /**
     * {@code requireSignedIn} throws when the device may not sync now; {@code translated} says what a
     * failure that ends the sync means to the application.
     */
    public Syncing(LocalStore store, Clock clock, Pushing pushing, Pulling pulling, UploadingPhotos uploading,
            Runnable requireSignedIn, Function<RequestFailed, RuntimeException> translated) {
        this.store = store;
        this.clock = clock;
        this.pushing = pushing;
        this.pulling = pulling;
        this.uploading = uploading;
        this.requireSignedIn = requireSignedIn;
        this.translated = translated;
    }

    public SyncSummary sync(SyncProgress progress) {
        syncing.lock();
        try {
            requireSignedIn.run();
            SyncTally tally = new SyncTally();
            Optional<Instant> notBefore = store.device().notBefore();
            if (notBefore.isPresent() && clock.instant().isBefore(notBefore.get())) {
                tally.interrupted(Interruption.SERVER_BUSY, "The server asked this device to wait until "
                        + notBefore.get() + ".", notBefore.get());
                return summary(tally);
            }
            try {
                pushing.pushAll(tally);
                pulling.pullAll(tally);
                store.inTransaction(() -> {
                    store.device().lastSyncAt(OffsetDateTime.now(clock));
                    store.device().minimumClientVersion(null);
                    store.device().notBefore(null);
                });
                uploading.uploadAll(tally, progress);
                if (tally.photosFailed > 0) {
                    pushing.pushAll(tally);
                }
            } catch (RequestFailed failure) {
                interrupted(failure, tally);
            }
            return summary(tally);
        } finally {
            syncing.unlock();
        }
    }

    /**
     * Ends a sync the server or the network cut off. Changes and uploads postponed earlier in this sync
     * are released: their failures were not shown to be their own, and the next sync tries them at once.
     * Those with no failure of their own on record wait because of this one, which they keep as their error.
     */
    private void interrupted(RequestFailed failure, SyncTally tally) {
        store.inTransaction(() -> {
            store.outbox().release(tally.postponedChanges);
            store.uploads().release(tally.postponedUploads);
            store.outbox().explainWaiting(failure.describe());
            store.uploads().explainWaiting(failure.describe());
        });
        if (failure.status() == 426 || failure.status() == 401) {
            throw translated.apply(failure);
        }
        if (failure.serverBusy()) {
            Instant retryAt = failure.retryAfter().map(clock.instant()::plus).orElse(null);
            store.device().notBefore(retryAt);
            tally.interrupted(Interruption.SERVER_BUSY, failure.describe(), retryAt);
        } else if (failure.kind() != RequestFailed.Kind.ANSWERED) {
            tally.interrupted(Interruption.SERVER_UNREACHABLE, failure.describe(), null);
        } else if (failure.transientFailure()) {
            tally.interrupted(Interruption.SERVER_FAILED, failure.describe(), null);
        } else {
            throw translated.apply(failure);
        }
    }

    private SyncSummary summary(SyncTally tally) {
        return tally.summary(store.outbox().count(), store.uploads().count(PhotoUpload.State.WAITING));
    }
}
