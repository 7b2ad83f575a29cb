package app.fieldbook.attachments;

import app.fieldbook.RejectedRequest;
import app.fieldbook.RequestAdmission;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
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
 * nothing, and its device sends it again later. While it waits and reads, its request gives back its turn among
 * the API's writes ({@link RequestAdmission#aside}): the upload's few database steps, before and after its body,
 * run in that turn like any other write, and a slow phone's body does not hold it.
 *
 * <p>It also knows when uploads pause ({@link #awaitLull}): the thumbnails, which decode whole images, wait
 * for a lull in the uploads rather than take a core from a rush.
 */
@Component
class UploadAdmission {

    /** Work that reads an upload's body. */
    @FunctionalInterface
    interface BodyWork<T> {
        T run() throws IOException;
    }

    /** How often a thread waiting for a lull looks again. */
    private static final long LULL_POLL_MILLIS = 100;

    private final Semaphore permits;
    private final AttachmentSettings settings;
    private final Object lull = new Object();
    private int reading;
    private long lastEnded = System.nanoTime() - Duration.ofDays(1).toNanos();

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
        return RequestAdmission.aside(() -> inTurn(work));
    }

    private <T> T inTurn(BodyWork<T> work) throws IOException {
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
        synchronized (lull) {
            reading++;
        }
        try {
            return work.run();
        } finally {
            synchronized (lull) {
                reading--;
                lastEnded = System.nanoTime();
                lull.notifyAll();
            }
            permits.release();
        }
    }

    /**
     * Waits until no upload body has been read for {@code quiet}, but not past {@code deadline}. Returns at
     * once when uploads are quiet already.
     *
     * @return whether the lull came; false when the deadline passed first
     */
    boolean awaitLull(Duration quiet, Instant deadline) throws InterruptedException {
        synchronized (lull) {
            while (true) {
                long sinceLast = System.nanoTime() - lastEnded;
                if (reading == 0 && sinceLast >= quiet.toNanos()) {
                    return true;
                }
                long untilDeadline = Duration.between(Instant.now(), deadline).toMillis();
                if (untilDeadline <= 0) {
                    return false;
                }
                long untilQuiet = reading > 0 ? LULL_POLL_MILLIS : Math.max(1, (quiet.toNanos() - sinceLast) / 1_000_000);
                lull.wait(Math.min(untilDeadline, Math.min(untilQuiet, LULL_POLL_MILLIS)));
            }
        }
    }

    /** Uploads waiting for their turn now (an estimate, for the logs and the tests). */
    int waiting() {
        return permits.getQueueLength();
    }
}
