package app.fieldbook.client.cli;

import app.fieldbook.client.FieldbookClient;
import app.fieldbook.client.SyncSummary;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "sync", description = "Send this device's changes and photos, and fetch what changed on the server.")
final class SyncCommand implements Callable<Integer> {

    @Mixin
    private Invocation invocation;

    @Override
    public Integer call() {
        PrintWriter out = invocation.out();
        PrintWriter err = invocation.err();
        try (FieldbookClient client = invocation.open()) {
            SyncSummary summary = client.sync(new ProgressBar(err, ShortIds.known(client)));
            out.println(describe(summary));
            if (summary.interruption() != SyncSummary.Interruption.NONE) {
                err.println("fieldbook: sync stopped: " + summary.detail()
                        + (summary.retryAt() == null ? "" : " The server asked to wait until " + summary.retryAt() + ".")
                        + " Your changes stay on this device.");
                return 1;
            }
            if (summary.rejected() > 0) {
                err.println("fieldbook: the server refused " + summary.rejected()
                        + " change(s); see 'fieldbook status'.");
            }
            return 0;
        }
    }

    static String describe(SyncSummary summary) {
        StringBuilder text = new StringBuilder();
        text.append("Sent: ").append(summary.applied()).append(" applied, ").append(summary.conflicted())
                .append(" with conflicts, ").append(summary.rejected()).append(" refused; ")
                .append(summary.waiting()).append(" waiting.\n");
        text.append("Received: ").append(summary.reportsReceived()).append(" reports, ")
                .append(summary.photosReceived()).append(" photos, ").append(summary.conflictsReceived())
                .append(" conflicts; ").append(summary.removed()).append(" removed.\n");
        text.append("Photos: ").append(summary.photosUploaded()).append(" uploaded, ")
                .append(summary.photosFailed()).append(" refused, ").append(summary.photosWaiting())
                .append(" waiting.");
        return text.toString();
    }
}
