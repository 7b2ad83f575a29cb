package app.fieldbook.client.replica;

import app.fieldbook.client.store.LocalStore;
import app.fieldbook.client.store.OutboxEntry;
import app.fieldbook.client.store.StoredPhoto;
import app.fieldbook.client.store.StoredReport;
import app.fieldbook.client.store.StoredUpload;
import app.fieldbook.protocol.Photo;
import app.fieldbook.protocol.PhotoReceipt;
import app.fieldbook.protocol.Report;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import tools.jackson.databind.node.ObjectNode;

/**
 * The device's copy of the server's records: the last server-acknowledged copy of each record with the
 * device's own waiting changes applied. A pulled record never overwrites a record with waiting changes;
 * it is kept beside it. A refused change is taken out and the record rebuilt from what remains. Every
 * method runs inside the caller's transaction, together with the outbox row or cursor it answers; the
 * sync's jobs ({@code sync.push}, {@code sync.pull}, {@code sync.upload}) decide when.
 */
public final class Replica {

    private final LocalStore store;
    private final ReportFieldValues values;
    private final Clock clock;

    public Replica(LocalStore store, ReportFieldValues values, Clock clock) {
        this.store = store;
        this.values = values;
        this.clock = clock;
    }

    /**
     * Rebuilds a report's fields from its acknowledged copy and the changes still waiting for it. Once no
     * change waits any more, a server copy kept beside the report becomes its acknowledged copy, when it is
     * at least as new. While changes wait it stays beside: their bases are what the person saw.
     */
    public void rebase(UUID reportId) {
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

    /** Removes a report, refusing every change still waiting for it or its photos. */
    public void abandonReport(UUID reportId, int status, String problemType, String detail) {
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

    public void removeReport(UUID reportId, boolean keepCopies) {
        removeReport(reportId, keepCopies, "The report was deleted.");
    }

    public void removeReport(UUID reportId, boolean keepCopies, String reason) {
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
    public void removePhoto(UUID photoId, boolean keepCopies, String reason) {
        store.uploads().find(photoId).ifPresent(upload -> releaseUpload(upload, keepCopies, reason));
        store.conflicts().removeOfEntity(photoId);
        store.photos().remove(photoId);
    }

    private void releaseUpload(StoredUpload upload, boolean keepCopies, String reason) {
        switch (upload.state()) {
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
    public void discardUpload(StoredUpload upload) {
        store.uploads().remove(upload.photoId());
        try {
            Files.deleteIfExists(store.photoDirectory().resolve(upload.file()));
        } catch (IOException e) {
            // A copy that cannot be deleted now is an orphan: the store deletes it when next opened.
        }
    }

    /**
     * Records that the server holds the photo's content, and the photo's version that storing it made (a change
     * sent before the next pull may have it as its base). A receipt of a version further on (the caption changed
     * on another device meanwhile) is not taken: a change based on it would write over what this device has not
     * seen, and the server takes a change based on the version before the content's arrival as well.
     */
    public void uploaded(UUID photoId, PhotoReceipt receipt) {
        store.uploads().uploaded(photoId, receipt);
        store.photos().find(photoId).ifPresent(stored -> {
            Photo photo = stored.photo();
            long version = receipt.version() == photo.version() + 1 ? receipt.version() : photo.version();
            store.photos().save(new StoredPhoto(new Photo(photo.id(), photo.reportId(), receipt.sha256(),
                    receipt.contentType(), receipt.size(), photo.caption(), photo.takenAt(), photo.latitude(),
                    photo.longitude(), photo.thumbnail(), version, photo.createdAt(), false),
                    stored.serverCopy(), receipt));
        });
    }

    public void keepRejection(OutboxEntry entry, int status, String problemType, String detail) {
        store.rejectedChanges().add(entry, status, problemType, detail, OffsetDateTime.now(clock));
    }

    /** Deletes copies of photos no upload needs any more (left by a crash between commit and delete). */
    public void sweepOrphanCopies() {
        Set<String> kept = new HashSet<>(store.uploads().filesKept());
        try (DirectoryStream<Path> files = Files.newDirectoryStream(store.photoDirectory())) {
            for (Path file : files) {
                if (!kept.contains(file.getFileName().toString())) {
                    Files.deleteIfExists(file);
                }
            }
        } catch (IOException e) {
            // Orphans only waste space; the next open tries again.
        }
    }
}
