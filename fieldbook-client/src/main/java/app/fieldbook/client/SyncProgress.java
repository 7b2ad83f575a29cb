package app.fieldbook.client;

import java.util.UUID;

/** Hears how photo uploads advance during a sync, to show a progress bar. Called on the syncing thread. */
public interface SyncProgress {

    SyncProgress SILENT = new SyncProgress() {
    };

    default void uploadStarted(UUID photoId, long uploaded, long size) {
    }

    default void uploadProgressed(UUID photoId, long uploaded, long size) {
    }

    /**
     * The upload ended: {@link PhotoUpload.State#UPLOADED} when the server holds the photo,
     * {@link PhotoUpload.State#WAITING} when it is tried again at a later sync, {@link PhotoUpload.State#FAILED}
     * when the server refused it for good.
     */
    default void uploadEnded(UUID photoId, PhotoUpload.State state) {
    }
}
