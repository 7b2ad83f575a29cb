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
     * How many bytes a copy gathers before it writes: the network hands the body over in pieces of a few
     * kilobytes, and every write of a piece into a new file costs a system call and the zeroing of the rest of
     * the block it ends in (which the next piece then overwrites). Gathered, there are a 32nd of the writes, and
     * in a file written from its start every one but the last ends on a block's end.
     */
    int GATHERED = 256 * 1024;

    /**
     * Copies at most {@code limit} bytes and answers how many were copied, or {@code limit + 1} (or more) when
     * the input had more. The bytes are written {@linkplain #GATHERED gathered}. {@code progress} is told as each
     * piece arrives and again right before each write (a read may have waited long since), and may stop the copy
     * by throwing: nothing more is then written. When reading fails (the client went away), what was gathered is
     * written, progress told first, before the failure is thrown, so that all that arrived is kept.
     */
    static long copyAtMost(InputStream in, OutputStream out, long limit, Progress progress) throws IOException {
        byte[] buffer = new byte[GATHERED];
        long total = 0;
        boolean ended = false;
        while (!ended && total <= limit) {
            int wanted = (int) Math.min(buffer.length, limit - total + 1);
            int gathered = 0;
            while (gathered < wanted) {
                int read;
                try {
                    read = in.read(buffer, gathered, wanted - gathered);
                } catch (IOException readFailed) {
                    keepGathered(out, buffer, gathered, progress, readFailed);
                    throw readFailed;
                }
                if (read <= 0) {
                    break;
                }
                gathered += read;
                progress.made();
            }
            // only the end of the body leaves a gathering short
            ended = gathered < wanted;
            if (total + gathered > limit) {
                return total + gathered;
            }
            if (gathered > 0) {
                progress.made();
                out.write(buffer, 0, gathered);
                total += gathered;
            }
        }
        return total;
    }

    /** Writes what was gathered before a read failed, unless progress stops it; the failure stays the one thrown. */
    private static void keepGathered(OutputStream out, byte[] buffer, int gathered, Progress progress,
            IOException readFailed) {
        if (gathered == 0) {
            return;
        }
        try {
            progress.made();
            out.write(buffer, 0, gathered);
        } catch (IOException | RuntimeException notKept) {
            readFailed.addSuppressed(notKept);
        }
    }
}
