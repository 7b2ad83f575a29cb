package app.fieldbook.client.sync.push;

import app.fieldbook.client.replica.Replica;
import app.fieldbook.client.replica.ReportFieldValues;
import app.fieldbook.client.store.LocalStore;
import app.fieldbook.client.store.OutboxEntry;
import app.fieldbook.client.store.StoredPhoto;
import app.fieldbook.client.store.StoredReport;
import app.fieldbook.protocol.Photo;
import app.fieldbook.protocol.Report;
import java.util.Optional;
import java.util.UUID;
import tools.jackson.databind.node.ObjectNode;

/**
 * A creation the server merged into a record it already had (the report of the same site, day and
 * author made on another device): the device's record, its photos and the changes waiting for it take
 * the server's id.
 */
final class Rekeying {

    private final LocalStore store;
    private final ReportFieldValues values;
    private final Replica replica;

    Rekeying(LocalStore store, ReportFieldValues values, Replica replica) {
        this.store = store;
        this.values = values;
        this.replica = replica;
    }

    /**
     * Gives the report created as {@code from} the server's id {@code to} (the server already had the
     * report of that site, day and author): the record, its photos, and the changes waiting for it.
     */
    void rekeyReport(UUID from, UUID to) {
        Optional<StoredReport> existing = store.reports().find(to);
        boolean moreWaiting = store.outbox().hasPending(from);
        if (existing.isPresent() && store.outbox().hasPending(to)) {
            store.reports().remove(from);
        } else {
            existing.ifPresent(report -> store.reports().remove(to));
            store.reports().rekey(from, to);
            // The device had pulled the server's report under that id. With nothing else waiting it becomes
            // the acknowledged copy; otherwise it is kept beside the device's record until they are answered.
            existing.ifPresent(server -> store.reports().find(to).ifPresent(mine -> store.reports().save(
                    moreWaiting ? mine.withServerCopy(server.serverCopy() != null ? server.serverCopy()
                            : acknowledgedCopy(server))
                            : mine.withBase(server.base(), server.version()).withServerCopy(server.serverCopy()))));
        }
        for (StoredPhoto stored : store.photos().ofReport(from)) {
            Photo photo = stored.photo();
            store.photos().save(new StoredPhoto(new Photo(photo.id(), to, photo.sha256(), photo.contentType(),
                    photo.sizeBytes(), photo.caption(), photo.takenAt(), photo.latitude(), photo.longitude(),
                    photo.thumbnail(), photo.version(), photo.createdAt(), photo.pending()), stored.serverCopy(),
                    stored.receipt()));
        }
        store.uploads().moveToReport(from, to);
        store.outbox().rekey(from, to);
        for (OutboxEntry dependent : store.outbox().dependingOn(to)) {
            if (!dependent.sent() && dependent.changes().has("reportId")) {
                ObjectNode changes = dependent.changes().deepCopy();
                changes.put("reportId", to.toString());
                store.outbox().replaceChanges(dependent.seq(), changes);
            }
        }
        replica.rebase(to);
    }

    /** The report as the server last acknowledged it to the device, for keeping it beside another record. */
    private Report acknowledgedCopy(StoredReport report) {
        ObjectNode base = report.base();
        return new Report(report.id(), report.siteId(), report.date(), report.authorId(), values.status(base),
                values.content(base), values.returnComment(base), null, null, null, report.version(), null,
                report.updatedAt(), null);
    }

    void rekeyPhoto(UUID from, UUID to) {
        if (store.photos().find(to).isPresent()) {
            store.photos().remove(from);
        } else if (store.photos().find(from).isPresent()) {
            store.photos().rekey(from, to);
        }
        if (store.uploads().find(to).isEmpty()) {
            store.uploads().rekey(from, to);
        } else {
            store.uploads().find(from).ifPresent(replica::discardUpload);
        }
        store.outbox().rekey(from, to);
    }
}
