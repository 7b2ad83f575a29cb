package app.fieldbook.client.cli;

import app.fieldbook.client.FieldbookClient;
import app.fieldbook.client.SyncSummary;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

@Command(name = "sync", description = "Send this device's changes and photos, and fetch what changed on the server.",
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {
                "0:Everything on the device reached the server and the device is up to date.",
                "1:Failed: not signed in, client too old, or the server refused the sync.",
                "2:Bad usage.",
                "3:Incomplete: changes or photos still wait (server unreachable, busy, or failing); sync again later.",
                "4:Nothing waits, but the server refused changes or photos for good: see 'fieldbook status'."})
final class SyncCommand extends ClientCommand {

    /** The exit code of a sync that left changes or photos waiting, or stopped early: run it again later. */
    static final int INCOMPLETE = 3;
    /** The exit code of a sync that left nothing waiting, but in which the server refused changes or photos for good. */
    static final int REFUSED = 4;

    @Override
    int run(FieldbookClient client) {
        PrintWriter out = invocation.out();
        PrintWriter err = invocation.err();
        SyncSummary summary = client.sync(new ProgressBar(err, ShortIds.known(client)));
        out.println(describe(summary));
        if (summary.rejected() > 0) {
            err.println("fieldbook: the server refused " + summary.rejected()
                    + " change(s); see 'fieldbook status'.");
        }
        if (summary.complete()) {
            return summary.rejected() > 0 || summary.photosFailed() > 0 ? REFUSED : 0;
        }
        Backlog backlog = Backlog.of(client);
        if (summary.interruption() != SyncSummary.Interruption.NONE) {
            err.println("fieldbook: sync stopped: " + summary.detail()
                    + (summary.retryAt() == null ? "" : " The server asked to wait until " + summary.retryAt() + ".")
                    + " Your changes stay on this device.");
        }
        if (!backlog.isEmpty()) {
            err.println("fieldbook: " + (summary.interruption() == SyncSummary.Interruption.NONE
                    ? "sync incomplete: " : "") + backlog.count() + " still wait on this device:");
            backlog.changeReasons().forEach(line -> err.println("  " + line));
            backlog.photoReasons().forEach(line -> err.println("  " + line));
            err.println("fieldbook: run 'fieldbook sync' again later; see 'fieldbook status'.");
        }
        return INCOMPLETE;
    }

    private static String counted(int count, String thing) {
        return count + " " + thing + (count == 1 ? "" : "s");
    }

    static String describe(SyncSummary summary) {
        StringBuilder text = new StringBuilder();
        text.append("Sent: ").append(summary.applied()).append(" applied, ").append(summary.conflicted())
                .append(" with conflicts, ").append(summary.rejected()).append(" refused; ")
                .append(summary.waiting()).append(" waiting.\n");
        text.append("Received: ").append(counted(summary.reportsReceived(), "report"))
                .append(", ").append(counted(summary.photosReceived(), "photo")).append(", ")
                .append(counted(summary.conflictsReceived(), "conflict")).append("; ").append(summary.removed())
                .append(" removed.\n");
        text.append("Photos: ").append(summary.photosUploaded()).append(" uploaded, ")
                .append(summary.photosFailed()).append(" refused, ").append(summary.photosWaiting())
                .append(" waiting.");
        return text.toString();
    }
}
