package app.fieldbook.client;

import app.fieldbook.client.store.LocalStore;
import app.fieldbook.client.store.OutboxEntry;
import app.fieldbook.client.store.StoredPhoto;
import app.fieldbook.client.store.StoredRejection;
import app.fieldbook.client.store.StoredReport;
import app.fieldbook.client.store.StoredUpload;
import app.fieldbook.protocol.Conflict;
import app.fieldbook.protocol.Deletion;
import app.fieldbook.protocol.OperationKind;
import app.fieldbook.protocol.OperationResult;
import app.fieldbook.protocol.PersonReference;
import app.fieldbook.protocol.Photo;
import app.fieldbook.protocol.PhotoReceipt;
import app.fieldbook.protocol.PullResponse;
import app.fieldbook.protocol.Report;
import app.fieldbook.protocol.SiteReference;
import app.fieldbook.protocol.SyncProtocol;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import tools.jackson.databind.node.ObjectNode;

/**
 * The device's copy of the server's records, and how it follows what the server says: an operation
 * acknowledged or refused, a page of pulled changes. Every method runs inside the caller's transaction,
 * together with the outbox row or cursor it answers.
 *
 * <p>The rule throughout: the device shows the last server-acknowledged copy with its own waiting
 * changes applied. A pulled record never overwrites a record with waiting changes; it is kept beside
 * it. A refused change is taken out and the record rebuilt from what remains.
 */
final class Replica {

    private final LocalStore store;
    private final ReportFieldValues values;
    private final Clock clock;

    Replica(LocalStore store, ReportFieldValues values, Clock clock) {
        this.store = store;
        this.values = values;
        this.clock = clock;
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
            rekeyReport(id, result.entityId());
            id = result.entityId();
        }
        Optional<StoredReport> found = store.reports().find(id);
        if (found.isEmpty()) {
            return;
        }
        StoredReport report = found.get();
        if (entry.kind() == OperationKind.DELETE) {
            removeReport(report.id(), false);
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
        rebase(id);
    }

    /**
     * The report with a server copy pulled while its change waited made its acknowledged copy, when that
     * copy is at least as new: it already holds the change's outcome (applied, or left as a conflict), and
     * the change feed will not send it again. An older copy is dropped: the feed brings the newer one.
     */
    private StoredReport withServerCopyFolded(StoredReport report) {
        Report copy = report.serverCopy();
        if (copy == null) {
            return report;
        }
        StoredReport settled = report.withServerCopy(null);
        return copy.version() >= report.version() ? settled.withBase(values.of(copy), copy.version()) : settled;
    }

    private void photoAccepted(OutboxEntry entry, OperationResult result) {
        UUID id = entry.entityId();
        if (entry.kind() == OperationKind.DELETE) {
            removePhoto(id, true, "The photo was withdrawn from the server.");
            return;
        }
        if (entry.kind() == OperationKind.CREATE && result.entityId() != null && !result.entityId().equals(id)) {
            rekeyPhoto(id, result.entityId());
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
        keepRejection(entry, status, problemType, detail);
        boolean gone = entry.kind() == OperationKind.CREATE || status == 404;
        switch (entry.entity()) {
            case SyncProtocol.REPORT -> {
                if (gone) {
                    abandonReport(entry.entityId(), status, problemType,
                            "The report's " + (entry.kind() == OperationKind.CREATE ? "creation" : "change")
                                    + " was refused: " + detail);
                } else {
                    rebase(entry.entityId());
                }
            }
            case SyncProtocol.PHOTO -> {
                if (gone) {
                    for (OutboxEntry later : store.outbox().of(entry.entityId())) {
                        store.outbox().remove(later.seq());
                        keepRejection(later, status, problemType, "The photo was refused: " + detail);
                    }
                    store.uploads().fail(entry.entityId(), "Refused by the server: " + detail);
                    store.photos().remove(entry.entityId());
                }
            }
            default -> {
            }
        }
    }

    /**
     * Rebuilds a report's fields from its acknowledged copy and the changes still waiting for it. Once no
     * change waits any more, a server copy kept beside the report becomes its acknowledged copy, when it is
     * at least as new. While changes wait it stays beside: their bases are what the person saw.
     */
    void rebase(UUID reportId) {
        store.reports().find(reportId).ifPresent(found -> {
            StoredReport report = store.outbox().hasPending(reportId) ? found : withServerCopyFolded(found);
            ObjectNode fields = report.base();
            boolean deleted = false;
            for (OutboxEntry waiting : store.outbox().of(reportId)) {
                switch (waiting.kind()) {
                    case CREATE -> fields = values.applied(fields == null ? values.created() : fields, waiting.changes());
                    case UPDATE -> fields = fields == null ? null : values.applied(fields, waiting.changes());
                    case DELETE -> deleted = true;
                }
            }
            if (fields != null) {
                store.reports().save(report.withFields(fields, OffsetDateTime.now(clock)).withDeleted(deleted));
            }
        });
    }

    /** Applies one page of pulled changes. */
    void pulled(PullResponse page, SyncTally tally) {
        for (UUID siteId : nullSafe(page.dropSiteIds())) {
            tally.removed += dropSite(siteId);
        }
        for (Deletion deletion : nullSafe(page.deletions())) {
            if (deleted(deletion)) {
                tally.removed++;
            }
        }
        for (Report report : nullSafe(page.reports())) {
            pulledReport(report);
            tally.reportsReceived++;
        }
        for (Photo photo : nullSafe(page.photos())) {
            pulledPhoto(photo);
            tally.photosReceived++;
        }
        for (Conflict conflict : nullSafe(page.conflicts())) {
            store.conflicts().save(conflict);
            tally.conflictsReceived++;
        }
        for (SiteReference site : nullSafe(page.sites())) {
            store.sites().save(site);
        }
        for (PersonReference person : nullSafe(page.people())) {
            store.people().save(person);
        }
    }

    private void pulledReport(Report report) {
        Optional<StoredReport> local = store.reports().find(report.id());
        if (local.isPresent() && local.get().version() > report.version()) {
            return;
        }
        if (local.isPresent() && store.outbox().hasPending(report.id())) {
            store.reports().save(local.get().withServerCopy(report));
            return;
        }
        ObjectNode fields = values.of(report);
        store.reports().save(new StoredReport(report.id(), report.siteId(), report.date(), report.authorId(), fields,
                fields.deepCopy(), report.version(), null, false, OffsetDateTime.now(clock)));
    }

    private void pulledPhoto(Photo photo) {
        Optional<StoredPhoto> local = store.photos().find(photo.id());
        if (local.isPresent() && local.get().photo().version() > photo.version()) {
            return;
        }
        if (local.isPresent() && store.outbox().hasPending(photo.id())) {
            store.photos().save(new StoredPhoto(local.get().photo(), photo, local.get().receipt()));
            return;
        }
        store.photos().save(new StoredPhoto(photo, null, local.map(StoredPhoto::receipt).orElse(null)));
    }

    private boolean deleted(Deletion deletion) {
        if (deletion.id() == null || deletion.entity() == null) {
            return false;
        }
        switch (deletion.entity()) {
            case SyncProtocol.REPORT -> {
                if (store.outbox().hasPending(deletion.id()) || store.reports().find(deletion.id()).isEmpty()) {
                    return false;
                }
                removeReport(deletion.id(), true);
                return true;
            }
            case SyncProtocol.PHOTO -> {
                if (store.outbox().hasPending(deletion.id()) || store.photos().find(deletion.id()).isEmpty()) {
                    return false;
                }
                removePhoto(deletion.id(), true, "The photo was deleted on the server.");
                return true;
            }
            case SyncProtocol.CONFLICT -> {
                store.conflicts().remove(deletion.id());
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    /**
     * Removes everything of a site the person may no longer see. Changes still waiting for its reports
     * cannot reach the server any more: they move to the refused changes, so that nothing typed is lost
     * without a trace, and photos not yet uploaded stay on the device as failed.
     */
    private int dropSite(UUID siteId) {
        int removed = 0;
        for (StoredReport report : store.reports().ofSite(siteId)) {
            abandonReport(report.id(), 403, null, "You no longer have access to this report's site.");
            removed++;
        }
        store.conflicts().removeOfSite(siteId);
        store.sites().remove(siteId);
        return removed;
    }

    /** Removes a report, refusing every change still waiting for it or its photos. */
    private void abandonReport(UUID reportId, int status, String problemType, String detail) {
        for (OutboxEntry waiting : store.outbox().of(reportId)) {
            store.outbox().remove(waiting.seq());
            keepRejection(waiting, status, problemType, detail);
        }
        for (OutboxEntry dependent : store.outbox().dependingOn(reportId)) {
            store.outbox().remove(dependent.seq());
            keepRejection(dependent, status, problemType, detail);
        }
        removeReport(reportId, true, detail);
    }

    private void removeReport(UUID reportId, boolean keepCopies) {
        removeReport(reportId, keepCopies, "The report was deleted.");
    }

    private void removeReport(UUID reportId, boolean keepCopies, String reason) {
        for (StoredPhoto photo : store.photos().ofReport(reportId)) {
            removePhoto(photo.photo().id(), keepCopies, reason);
        }
        for (StoredUpload upload : store.uploads().ofReport(reportId)) {
            releaseUpload(upload, keepCopies, reason);
        }
        store.conflicts().removeOfEntity(reportId);
        store.reports().remove(reportId);
    }

    /**
     * Removes a photo's metadata. A copy still waiting for upload is kept as failed when {@code keepCopies}
     * (the server removed it: the person may want it), and discarded otherwise (the person deleted it).
     */
    private void removePhoto(UUID photoId, boolean keepCopies, String reason) {
        store.uploads().find(photoId).ifPresent(upload -> releaseUpload(upload, keepCopies, reason));
        store.conflicts().removeOfEntity(photoId);
        store.photos().remove(photoId);
    }

    private void releaseUpload(StoredUpload upload, boolean keepCopies, String reason) {
        switch (upload.stage()) {
            case WAITING -> {
                if (keepCopies) {
                    store.uploads().fail(upload.photoId(), reason);
                } else {
                    discardUpload(upload);
                }
            }
            case UPLOADED -> store.uploads().remove(upload.photoId());
            case FAILED -> {
                if (!keepCopies) {
                    discardUpload(upload);
                }
            }
        }
    }

    /** Forgets an upload and deletes the device's copy. */
    void discardUpload(StoredUpload upload) {
        store.uploads().remove(upload.photoId());
        try {
            Files.deleteIfExists(store.photoDirectory().resolve(upload.file()));
        } catch (IOException e) {
            // A copy that cannot be deleted now is an orphan: the store deletes it when next opened.
        }
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
        rebase(to);
    }

    /** The report as the server last acknowledged it to the device, for keeping it beside another record. */
    private Report acknowledgedCopy(StoredReport report) {
        ObjectNode base = report.base();
        return new Report(report.id(), report.siteId(), report.date(), report.authorId(), values.status(base),
                values.content(base), values.returnComment(base), null, null, null, report.version(), null,
                report.updatedAt(), null);
    }

    private void rekeyPhoto(UUID from, UUID to) {
        if (store.photos().find(to).isPresent()) {
            store.photos().remove(from);
        } else if (store.photos().find(from).isPresent()) {
            store.photos().rekey(from, to);
        }
        if (store.uploads().find(to).isEmpty()) {
            store.uploads().rekey(from, to);
        } else {
            store.uploads().find(from).ifPresent(this::discardUpload);
        }
        store.outbox().rekey(from, to);
    }

    /** Records that the server holds the photo's content. */
    void uploaded(UUID photoId, PhotoReceipt receipt) {
        store.uploads().uploaded(photoId, receipt);
        store.photos().find(photoId).ifPresent(stored -> {
            Photo photo = stored.photo();
            store.photos().save(new StoredPhoto(new Photo(photo.id(), photo.reportId(), receipt.sha256(),
                    receipt.contentType(), receipt.size(), photo.caption(), photo.takenAt(), photo.latitude(),
                    photo.longitude(), photo.thumbnail(), photo.version(), photo.createdAt(), false),
                    stored.serverCopy(), receipt));
        });
    }

    private void keepRejection(OutboxEntry entry, int status, String problemType, String detail) {
        store.rejectedChanges().add(new StoredRejection(entry.operationId(), entry.entity(), entry.entityId(),
                entry.kind(), entry.changes(), entry.madeAt(), status, problemType, detail,
                OffsetDateTime.now(clock)));
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

    private static <T> List<T> nullSafe(List<T> list) {
        return list == null ? List.of() : list;
    }
}
