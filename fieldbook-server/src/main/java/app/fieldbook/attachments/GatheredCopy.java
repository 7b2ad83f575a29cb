package app.fieldbook.attachments;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * How every upload's bytes reach a file: the REST upload's body ({@link AttachingPhotos}) and the chunks of the
 * resumable ones ({@link PartialUploads}) alike, gathered into writes of {@link #GATHERED} bytes.
 */
final class GatheredCopy {

    /**
     * How many bytes a copy gathers before it writes: the network hands the body over in pieces of a few
     * kilobytes, and every write of a piece into a new file costs a system call and the zeroing of the rest of
     * the block it ends in (which the next piece then overwrites). Gathered, there are a 32nd of the writes, and
     * in a file written from its start every one but the last ends on a block's end.
     */
    static final int GATHERED = 256 * 1024;

    /**
     * Copies at most {@code limit} bytes and answers how many were copied, or {@code limit + 1} (or more) when
     * the input had more. The bytes are written {@linkplain #GATHERED gathered}. {@code progress} is told as each
     * piece arrives and again right before each write (a read may have waited long since), and may stop the copy
     * by throwing: nothing more is then written. When reading fails (the client went away), what was gathered is
     * written, progress told first, before the failure is thrown, so that all that arrived is kept.
     */
    static long copyAtMost(InputStream in, OutputStream out, long limit, PartialUploads.Progress progress)
            throws IOException {
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
    private static void keepGathered(OutputStream out, byte[] buffer, int gathered,
            PartialUploads.Progress progress, IOException readFailed) {
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

    private GatheredCopy() {
    }
}
