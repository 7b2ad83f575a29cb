package app.fieldbook.client.sync.pull;

import app.fieldbook.client.replica.Replica;
import app.fieldbook.client.replica.ReportFieldValues;
import app.fieldbook.client.store.LocalStore;
import app.fieldbook.client.store.StoredPhoto;
import app.fieldbook.client.store.StoredReport;
import app.fieldbook.client.sync.SyncTally;
import app.fieldbook.protocol.Conflict;
import app.fieldbook.protocol.Deletion;
import app.fieldbook.protocol.PersonReference;
import app.fieldbook.protocol.Photo;
import app.fieldbook.protocol.PullResponse;
import app.fieldbook.protocol.Report;
import app.fieldbook.protocol.SiteReference;
import app.fieldbook.protocol.SyncProtocol;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import tools.jackson.databind.node.ObjectNode;

/**
 * Applies a page of pulled changes to the device's copy, inside the transaction that stores the page's
 * cursor: newer records replace older ones unless changes wait for them (then they are kept beside),
 * deletions remove what nothing waits for, and a site the person may no longer see goes with its reports.
 */
final class PulledChanges {

    private final LocalStore store;
    private final ReportFieldValues values;
    private final Replica replica;
    private final Clock clock;

    PulledChanges(LocalStore store, ReportFieldValues values, Replica replica, Clock clock) {
        this.store = store;
        this.values = values;
        this.replica = replica;
        this.clock = clock;
    }

    /** Applies one page of pulled changes. */
    void apply(PullResponse page, SyncTally tally) {
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
                replica.removeReport(deletion.id(), true);
                return true;
            }
            case SyncProtocol.PHOTO -> {
                if (store.outbox().hasPending(deletion.id()) || store.photos().find(deletion.id()).isEmpty()) {
                    return false;
                }
                replica.removePhoto(deletion.id(), true, "The photo was deleted on the server.");
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
            replica.abandonReport(report.id(), 403, null, "You no longer have access to this report's site.");
            removed++;
        }
        store.conflicts().removeOfSite(siteId);
        store.sites().remove(siteId);
        return removed;
    }

    private static <T> List<T> nullSafe(List<T> list) {
        return list == null ? List.of() : list;
    }
}
