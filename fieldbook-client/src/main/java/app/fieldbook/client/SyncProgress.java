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

    /** The upload ended: {@code stored} when the server holds the photo, else it waits or failed. */
    default void uploadEnded(UUID photoId, boolean stored) {
    }
}
