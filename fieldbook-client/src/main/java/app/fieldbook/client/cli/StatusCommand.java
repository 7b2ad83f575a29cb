package app.fieldbook.client.cli;

import app.fieldbook.client.DeviceState;
import app.fieldbook.client.FieldbookClient;
import app.fieldbook.client.PhotoUpload;
import app.fieldbook.client.RejectedChange;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "status", description = "Show what waits on this device and how its sync stands.")
final class StatusCommand extends ClientCommand {

    @Option(names = "--clear-refused", description = "Forget the refused changes shown (what they were is printed first).")
    private boolean clearRefused;

    @Override
    int run(FieldbookClient client) {
        PrintWriter out = invocation.out();
        DeviceState state = client.state();
        out.println("Server:          " + (state.server() == null ? "none (run fieldbook login)" : state.server()));
        out.println("Signed in as:    " + (state.account() == null ? "nobody"
                : state.account().name() + " (" + state.account().login() + ")"
                        + (state.signedIn() ? "" : ", sign-in expired")));
        Backlog backlog = Backlog.of(client);
        out.println("Changes waiting: " + state.outboxDepth()
                + (state.oldestPendingAt() == null ? "" : ", oldest from " + state.oldestPendingAt()));
        backlog.changeReasons().forEach(line -> out.println("  " + line));
        out.println("Photos waiting:  " + state.pendingPhotos()
                + (state.failedPhotos() == 0 ? "" : " (" + state.failedPhotos() + " refused, kept on this device)"));
        backlog.photoReasons().forEach(line -> out.println("  " + line));
        out.println("Open conflicts:  " + state.openConflicts());
        out.println("Last sync:       " + (state.lastSyncAt() == null ? "never" : state.lastSyncAt()));
        out.println("Client version:  " + state.clientVersion());
        if (state.minimumClientVersion() != null) {
            out.println("Update needed:   the server needs version " + state.minimumClientVersion()
                    + " or newer; please update.");
        }
        if (state.notBefore() != null) {
            out.println("Server busy:     asked to wait until " + state.notBefore());
        }
        ShortIds ids = ShortIds.known(client);
        for (RejectedChange rejected : client.rejectedChanges()) {
            out.println("Refused:         " + rejected.entity() + " " + ids.of(rejected.entityId()) + " "
                    + rejected.kind() + " " + rejected.changes().keySet() + ": " + rejected.detail()
                    + " (" + rejected.status() + ")");
            if (clearRefused) {
                client.dismissRejectedChange(rejected.operationId());
            }
        }
        for (PhotoUpload upload : client.photoUploads()) {
            if (upload.state() == PhotoUpload.State.FAILED) {
                out.println("Photo refused:   " + ids.of(upload.photoId()) + " of report "
                        + ids.of(upload.reportId()) + ": " + upload.error());
            }
        }
        return 0;
    }
}
