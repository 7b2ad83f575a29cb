package app.fieldbook.sync;

import app.fieldbook.attachments.Photos;
import app.fieldbook.identity.Actor;
import app.fieldbook.identity.UserDirectory;
import app.fieldbook.protocol.Conflict;
import app.fieldbook.protocol.Deletion;
import app.fieldbook.protocol.PersonReference;
import app.fieldbook.protocol.PullRequest;
import app.fieldbook.protocol.PullResponse;
import app.fieldbook.protocol.Report;
import app.fieldbook.protocol.SiteReference;
import app.fieldbook.protocol.SyncProtocol;
import app.fieldbook.reports.Reports;
import app.fieldbook.sites.Sites;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.springframework.stereotype.Service;

/**
 * Answers a pull: the records visible to the caller that changed after the cursor, each in its newest
 * state, plus deletions, the sites the caller may see and the sites the device must drop. A device given
 * a site it does not hold first gets that site's history from the feed, page by page (see
 * {@link PullCursor}).
 */
@Service
class PullingChanges {

    private static final int MAX_SITES = 10_000;

    private final ChangeFeed feed;
    private final Reports reports;
    private final Conflicts conflicts;
    private final Sites sites;
    private final UserDirectory people;
    private final Photos photos;

    PullingChanges(ChangeFeed feed, Reports reports, Conflicts conflicts, Sites sites, UserDirectory people,
            Photos photos) {
        this.photos = photos;
        this.feed = feed;
        this.reports = reports;
        this.conflicts = conflicts;
        this.sites = sites;
        this.people = people;
    }

    PullResponse pull(PullRequest request, Actor actor) {
        feed.sequence();
        PullCursor cursor = PullCursor.parse(request.cursor());
        int limit = request.limit();

        List<SiteReference> visible = sites.listVisible(actor, 0, MAX_SITES).stream()
                .map(site -> new SiteReference(site.id(), site.code(), site.name(), site.timezone())).toList();
        Set<UUID> visibleIds = new HashSet<>();
        visible.forEach(site -> visibleIds.add(site.id()));
        Set<UUID> known = new HashSet<>(request.knownSiteIds());
        List<UUID> drop = request.knownSiteIds().stream().filter(id -> !visibleIds.contains(id)).toList();

        // Sites the device does not hold yet, though the feed is past their history: the device catches up
        // on them one at a time, from their changes in the feed up to the cursor, before the feed moves on.
        // A first download (position 0) reads the whole feed anyway.
        Set<UUID> behind = new TreeSet<>();
        if (cursor.position() > 0) {
            visibleIds.stream().filter(id -> !known.contains(id)).forEach(behind::add);
            if (cursor.catchingUp() != null && visibleIds.contains(cursor.catchingUp())) {
                behind.add(cursor.catchingUp());
            }
        }
        List<ChangeFeed.Entry> entries = new ArrayList<>();
        PullCursor next = cursor;
        boolean more = false;
        while (true) {
            int room = limit - entries.size();
            Optional<UUID> site = next.catchingUp() != null && behind.contains(next.catchingUp())
                    ? Optional.of(next.catchingUp()) : behind.stream().findFirst();
            if (site.isEmpty()) {
                List<ChangeFeed.Entry> page = feed.after(next.position(), room + 1, actor);
                more = page.size() > room;
                entries.addAll(more ? page.subList(0, room) : page);
                next = entries.isEmpty() || entries.getLast().position() <= next.position()
                        ? next.movedTo(next.position()) : next.movedTo(entries.getLast().position());
                break;
            }
            long after = site.get().equals(next.catchingUp()) ? next.reached() : 0;
            List<ChangeFeed.Entry> page = feed.ofSite(site.get(), after, next.position(), room, actor);
            entries.addAll(page);
            if (page.size() == room) {
                // the page is full: the next pull goes on from here (and finds the site done if it is)
                next = next.catchingUp(site.get(), page.getLast().position());
                more = true;
                break;
            }
            behind.remove(site.get());
            next = next.movedTo(next.position());
        }

        Map<UUID, ChangeFeed.Entry> newest = new LinkedHashMap<>();
        for (ChangeFeed.Entry entry : entries) {
            newest.put(entry.entityId(), entry);
        }
        Set<UUID> reportIds = new LinkedHashSet<>();
        Set<UUID> conflictIds = new LinkedHashSet<>();
        Set<UUID> photoIds = new LinkedHashSet<>();
        List<Deletion> deletions = new ArrayList<>();
        for (ChangeFeed.Entry entry : newest.values()) {
            if (entry.deleted()) {
                deletions.add(new Deletion(entry.entity(), entry.entityId()));
            } else if (SyncProtocol.REPORT.equals(entry.entity())) {
                reportIds.add(entry.entityId());
            } else if (SyncProtocol.PHOTO.equals(entry.entity())) {
                photoIds.add(entry.entityId());
            } else if (SyncProtocol.CONFLICT.equals(entry.entity())) {
                conflictIds.add(entry.entityId());
            }
        }
        List<Report> changed = reports.findVisible(reportIds, actor);
        List<Conflict> conflicted = conflicts.findVisible(conflictIds, actor).stream().map(conflicts::toWire).toList();
        // a site the device is still catching up on is listed once its history is there, so that the
        // device goes on reporting it as unknown until then
        List<SiteReference> listed = visible.stream().filter(site -> !behind.contains(site.id())).toList();

        return new PullResponse(next.toString(), more, changed, photos.findVisible(photoIds, actor), conflicted,
                deletions, drop, listed, names(changed, conflicted, actor));
    }

    private List<PersonReference> names(List<Report> changed, List<Conflict> conflicted, Actor actor) {
        Set<UUID> ids = new LinkedHashSet<>();
        ids.add(actor.id());
        for (Report report : changed) {
            ids.add(report.authorId());
            if (report.updatedBy() != null) {
                ids.add(report.updatedBy());
            }
        }
        for (Conflict conflict : conflicted) {
            ids.add(conflict.clientChangedBy());
            if (conflict.serverChangedBy() != null) {
                ids.add(conflict.serverChangedBy());
            }
        }
        return people.findAll(ids).stream().map(person -> new PersonReference(person.id(), person.name())).toList();
    }
}
