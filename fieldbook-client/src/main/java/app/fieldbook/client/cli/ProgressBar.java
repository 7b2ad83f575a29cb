package app.fieldbook.client.cli;

import app.fieldbook.client.PhotoUpload;
import app.fieldbook.client.SyncProgress;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.UUID;

/** Draws one text progress bar per photo upload, redrawn in place: {@code photo 3f1c9a52 [#####-----]  50%  1.2/2.4 MB}. */
final class ProgressBar implements SyncProgress {

    private static final int WIDTH = 30;

    private final PrintWriter out;
    private final ShortIds ids;

    /** Draws on {@code out}, naming photos by their prefixes among {@code ids}. */
    ProgressBar(PrintWriter out, ShortIds ids) {
        this.out = out;
        this.ids = ids;
    }

    @Override
    public void uploadStarted(UUID photoId, long uploaded, long size) {
        draw(photoId, uploaded, size);
    }

    @Override
    public void uploadProgressed(UUID photoId, long uploaded, long size) {
        draw(photoId, uploaded, size);
    }

    @Override
    public void uploadEnded(UUID photoId, PhotoUpload.State state) {
        out.println(switch (state) {
            case UPLOADED -> "  stored";
            case WAITING -> "  will retry at the next sync";
            case FAILED -> "  refused (see 'fieldbook photo list')";
        });
        out.flush();
    }

    String line(UUID photoId, long uploaded, long size) {
        double share = size == 0 ? 1 : Math.min(1, (double) uploaded / size);
        int filled = (int) Math.round(share * WIDTH);
        return String.format(Locale.ROOT, "photo %s [%s%s] %3d%%  %s/%s MB", ids.of(photoId),
                "#".repeat(filled), "-".repeat(WIDTH - filled), Math.round(share * 100),
                megabytes(uploaded), megabytes(size));
    }

    private void draw(UUID photoId, long uploaded, long size) {
        out.print("\r" + line(photoId, uploaded, size));
        out.flush();
    }

    private static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f", bytes / 1_048_576.0);
    }
}
