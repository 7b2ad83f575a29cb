package app.fieldbook.attachments;

import app.fieldbook.RejectedRequest;
import java.io.IOException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * Admission of upload bodies: at most {@code fieldbook.attachments.concurrent-uploads} uploads have their
 * bytes read, hashed and written at once, in arrival order. The others wait before they read a byte, as
 * parked virtual threads: they hold no carrier thread and no database connection, and their bytes wait in
 * the network's buffers. So a rush of photos cannot take the processor from the requests that hold
 * database connections (a report's creation, its submission, a photo's record), which is what made an
 * unbounded rush of a thousand phones run out of connections. An upload that waits longer than
 * {@code upload-queue-wait} is answered 503 {@code server-busy} with {@code Retry-After}, having read
 * nothing, and its device sends it again later.
 */
@Component
class UploadAdmission {

    /** Work that reads an upload's body. */
    @FunctionalInterface
    interface BodyWork<T> {
        T run() throws IOException;
    }

    private final Semaphore permits;
    private final AttachmentSettings settings;

    UploadAdmission(AttachmentSettings settings) {
        this.settings = settings;
        this.permits = new Semaphore(settings.concurrentUploads(), true);
    }

    /**
     * Runs {@code work} once admitted.
     *
     * @throws RejectedRequest 503 {@code server-busy} with {@code Retry-After} when no turn came within the wait
     */
    <T> T admitted(BodyWork<T> work) throws IOException {
        boolean admitted;
        try {
            admitted = permits.tryAcquire(settings.uploadQueueWait().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw RejectedRequest.busy("The server was stopping while this upload waited for its turn.");
        }
        if (!admitted) {
            throw RejectedRequest.busy("Too many photos are arriving at once; this one waited "
                    + settings.uploadQueueWait().toSeconds() + " s for its turn. Send it again after the seconds "
                    + "in the Retry-After header.");
        }
        try {
            return work.run();
        } finally {
            permits.release();
        }
    }

    /** Uploads waiting for their turn now (an estimate, for the logs and the tests). */
    int waiting() {
        return permits.getQueueLength();
    }
}
