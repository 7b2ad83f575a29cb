package app.fieldbook.client.sync.push;

import app.fieldbook.client.PhotoUpload;
import app.fieldbook.client.replica.Replica;
import app.fieldbook.client.replica.ReportFieldValues;
import app.fieldbook.client.store.LocalStore;
import app.fieldbook.client.store.OutboxEntry;
import app.fieldbook.client.store.StoredPhoto;
import app.fieldbook.client.store.StoredReport;
import app.fieldbook.protocol.OperationKind;
import app.fieldbook.protocol.OperationResult;
import app.fieldbook.protocol.Photo;
import app.fieldbook.protocol.SyncProtocol;
import java.util.Optional;
import java.util.UUID;
import tools.jackson.databind.node.ObjectNode;

/**
 * How the device follows the server's answer to one of its operations: an operation acknowledged moves
 * the record's acknowledged copy on (under the server's id when a creation met a record made elsewhere);
 * one refused for good is kept for the person and taken out of the record. Runs inside the transaction
 * that removes the operation's outbox row.
 */
final class RecordingAnswers {

    private final LocalStore store;
    private final ReportFieldValues values;
    private final Replica replica;
    private final Rekeying rekeying;

    RecordingAnswers(LocalStore store, ReportFieldValues values, Replica replica) {
        this.store = store;
        this.values = values;
        this.replica = replica;
        this.rekeying = new Rekeying(store, values, replica);
    }

    /** The server applied the operation (in part, when it left conflicts); its outbox row is already gone. */
    void accepted(OutboxEntry entry, OperationResult result) {
        switch (entry.entity()) {
            case SyncProtocol.REPORT -> reportAccepted(entry, result);
            case SyncProtocol.PHOTO -> photoAccepted(entry, result);
            default -> {
            }
        }
    }

    private void reportAccepted(OutboxEntry entry, OperationResult result) {
        UUID id = entry.entityId();
        boolean merged = entry.kind() == OperationKind.CREATE && result.entityId() != null
                && !result.entityId().equals(id);
        if (merged) {
            rekeying.rekeyReport(id, result.entityId());
            id = result.entityId();
        }
        Optional<StoredReport> found = store.reports().find(id);
        if (found.isEmpty()) {
            return;
        }
        StoredReport report = found.get();
        if (entry.kind() == OperationKind.DELETE) {
            replica.removeReport(report.id(), false);
            return;
        }
        // A create merged into a report the device had pulled keeps that copy: it is what the device knows
        // of the server's report, and the feed sends the report again if the merge changed it afterwards.
        // Otherwise the change moves the acknowledged copy on, unless that copy is already at or past the
        // change's outcome (a server copy taken in while the change waited).
        boolean pulledBefore = merged && report.base() != null;
        if (!pulledBefore && (report.base() == null || result.entityVersion() > report.version())) {
            ObjectNode base = report.base() == null ? values.created() : report.base();
            store.reports().save(report.withBase(values.applied(base, entry.changes()),
                    Math.max(report.version(), result.entityVersion())));
        }
        replica.rebase(id);
    }

    private void photoAccepted(OutboxEntry entry, OperationResult result) {
        UUID id = entry.entityId();
        if (entry.kind() == OperationKind.DELETE) {
            // the withdrawal of a photo whose content the server refused keeps the device's copy (the person may
            // save it elsewhere); a photo the person removed goes with its copy
            boolean refusedCopy = store.uploads().find(id)
                    .filter(upload -> upload.state() == PhotoUpload.State.FAILED).isPresent();
            replica.removePhoto(id, refusedCopy, "The photo was withdrawn from the server.");
            return;
        }
        if (entry.kind() == OperationKind.CREATE && result.entityId() != null && !result.entityId().equals(id)) {
            rekeying.rekeyPhoto(id, result.entityId());
            id = result.entityId();
        }
        store.photos().find(id).ifPresent(stored -> {
            Photo photo = stored.photo();
            long version = Math.max(photo.version(), result.entityVersion());
            Photo copy = stored.serverCopy();
            if (copy != null && copy.version() >= version) {
                // pulled while the announcement's answer was lost: the server's copy is the newer truth
                boolean pending = copy.pending() && stored.receipt() == null;
                store.photos().save(new StoredPhoto(withPending(copy, pending), null, stored.receipt()));
            } else {
                store.photos().save(new StoredPhoto(withVersion(photo, version), null, stored.receipt()));
            }
        });
    }

    /**
     * The server refused the operation for good; its outbox row is already gone. The refusal is kept for
     * the person. A refused creation, or a record the server does not know (404), takes the record and
     * every change still waiting for it along; otherwise the record is rebuilt without the change.
     */
    void rejected(OutboxEntry entry, int status, String problemType, String detail) {
        replica.keepRejection(entry, status, problemType, detail);
        boolean gone = entry.kind() == OperationKind.CREATE || status == 404;
        switch (entry.entity()) {
            case SyncProtocol.REPORT -> {
                if (gone) {
                    replica.abandonReport(entry.entityId(), status, problemType,
                            "The report's " + (entry.kind() == OperationKind.CREATE ? "creation" : "change")
                                    + " was refused: " + detail);
                } else {
                    replica.rebase(entry.entityId());
                }
            }
            case SyncProtocol.PHOTO -> {
                if (gone) {
                    for (OutboxEntry later : store.outbox().of(entry.entityId())) {
                        store.outbox().remove(later.seq());
                        replica.keepRejection(later, status, problemType, "The photo was refused: " + detail);
                    }
                    store.uploads().fail(entry.entityId(), "Refused by the server: " + detail);
                    store.photos().remove(entry.entityId());
                } else if (!store.outbox().hasPending(entry.entityId())) {
                    // a refused caption (or removal): the photo as the server has it shows again
                    store.photos().find(entry.entityId()).filter(stored -> stored.serverCopy() != null)
                            .ifPresent(stored -> store.photos().save(new StoredPhoto(
                                    withPending(stored.serverCopy(), stored.photo().pending()), null, stored.receipt())));
                }
            }
            default -> {
            }
        }
    }

    private static Photo withVersion(Photo photo, long version) {
        return new Photo(photo.id(), photo.reportId(), photo.sha256(), photo.contentType(), photo.sizeBytes(),
                photo.caption(), photo.takenAt(), photo.latitude(), photo.longitude(), photo.thumbnail(), version,
                photo.createdAt(), photo.pending());
    }

    private static Photo withPending(Photo photo, boolean pending) {
        return new Photo(photo.id(), photo.reportId(), photo.sha256(), photo.contentType(), photo.sizeBytes(),
                photo.caption(), photo.takenAt(), photo.latitude(), photo.longitude(), photo.thumbnail(),
                photo.version(), photo.createdAt(), pending);
    }
}
