package app.fieldbook.attachments;

import java.io.IOException;
import java.io.InputStream;
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
}
