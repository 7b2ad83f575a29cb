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
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Service;

/**
 * Answers a pull: the records visible to the caller that changed after the cursor, each in its newest
 * state, plus deletions, the sites the caller may see and the sites the device must drop.
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
        long cursor = cursorOf(request.cursor());
        List<ChangeFeed.Entry> entries = feed.after(cursor, request.limit() + 1, actor);
        boolean more = entries.size() > request.limit();
        if (more) {
            entries = entries.subList(0, request.limit());
        }
        long next = entries.isEmpty() ? cursor : entries.getLast().position();

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

        List<SiteReference> visible = sites.listVisible(actor, 0, MAX_SITES).stream()
                .map(site -> new SiteReference(site.id(), site.code(), site.name(), site.timezone())).toList();
        Set<UUID> visibleIds = new HashSet<>();
        visible.forEach(site -> visibleIds.add(site.id()));
        List<UUID> drop = request.knownSiteIds().stream().filter(id -> !visibleIds.contains(id)).toList();

        List<Report> changed = new ArrayList<>(reports.findVisible(reportIds, actor));
        if (cursor > 0 && !request.knownSiteIds().isEmpty()) {
            Set<UUID> known = new HashSet<>(request.knownSiteIds());
            Set<UUID> already = new HashSet<>(reportIds);
            for (SiteReference site : visible) {
                if (!known.contains(site.id())) {
                    reports.ofSite(site.id(), actor, 5000).stream().filter(r -> already.add(r.id())).forEach(changed::add);
                }
            }
        }
        List<Conflict> conflicted = conflicts.findVisible(conflictIds, actor).stream().map(conflicts::toWire).toList();

        return new PullResponse(Long.toString(next), more, changed, photos.findVisible(photoIds, actor), conflicted,
                deletions, drop, visible,
                names(changed, conflicted, actor));
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

    private static long cursorOf(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return 0;
        }
        try {
            long position = Long.parseLong(cursor);
            if (position < 0) {
                throw new IllegalArgumentException("cursor");
            }
            return position;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("cursor is not one this server handed out");
        }
    }
}
