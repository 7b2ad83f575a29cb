package app.fieldbook.attachments;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * Where the bytes of resumable uploads ({@link PhotoUploads}) wait until a photo's content is complete, reachable
 * from every node (ADR 0029): with the disk store, files in {@code fieldbook.attachments.upload-directory}, which
 * nodes share ({@link DiskPartialUploads}); with the object store, one object per chunk in the bucket
 * ({@link BucketPartialUploads}). Callers hold the photo's lease ({@link UploadLeases}) while they append, complete
 * or delete, so a photo's partial upload is changed by one request at a time in the whole cluster.
 */
interface PartialUploads {

    /** Called as a chunk's bytes arrive; throws to stop the chunk (its photo's lease was lost). */
    @FunctionalInterface
    interface Progress {
        void made() throws IOException;
    }

    /** How many bytes of the photo the server has: what an acknowledged chunk left, whichever node took it. */
    long size(UUID photoId) throws IOException;

    /**
     * Appends the body after the {@code have} bytes there are, and returns once the new bytes are durable; false,
     * with the partial upload left as it was, if the body is longer than {@code room}. When reading the body
     * fails (the client went away), what arrived is kept, so that the device resumes from there.
     */
    boolean append(UUID photoId, long have, InputStream body, long room, Progress progress) throws IOException;

    /** The whole content, in a file of its own that {@link Photos#receive} may take (move or delete). */
    Path content(UUID photoId) throws IOException;

    /** Deletes what there is of the photo's upload. */
    void delete(UUID photoId) throws IOException;

    /** Every photo with a partial upload, and when it last grew. */
    Map<UUID, Instant> lastGrown() throws IOException;

    /**
     * Copies at most {@code limit} bytes and answers how many were copied, or {@code limit + 1} (or more) when
     * the input had more. {@code progress} is told before each write, and may stop the copy by throwing.
     */
    static long copyAtMost(InputStream in, OutputStream out, long limit, Progress progress) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        int read;
        while (total <= limit && (read = in.read(buffer, 0, (int) Math.min(buffer.length, limit - total + 1))) > 0) {
            if (total + read > limit) {
                return total + read;
            }
            progress.made();
            out.write(buffer, 0, read);
            total += read;
        }
        return total;
    }
}
