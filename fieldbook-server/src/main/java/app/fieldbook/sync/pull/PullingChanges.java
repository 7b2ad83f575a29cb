package app.fieldbook.sync.pull;

import app.fieldbook.attachments.Photos;
import app.fieldbook.identity.Actor;
import app.fieldbook.identity.RecordsRead;
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
import app.fieldbook.sync.conflicts.Conflicts;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Answers a pull: the records visible to the caller that changed after the cursor, each in its newest
 * state, plus deletions, the sites the caller may see and the sites the device must drop. A device given
 * a site it does not hold first gets that site's history from the feed, page by page (see
 * {@link PullCursor}).
 */
@Service
public class PullingChanges {

    private static final int MAX_SITES = 10_000;
    /** The order in which sites are caught up on; a cursor's site says where the round got to. */
    private static final Comparator<UUID> SITE_ORDER = Comparator.comparing(UUID::toString);

    private final ChangeFeed feed;
    private final Reports reports;
    private final Conflicts conflicts;
    private final Sites sites;
    private final UserDirectory people;
    private final Photos photos;
    private final TransactionTemplate snapshot;
    private final ApplicationEventPublisher events;

    PullingChanges(ChangeFeed feed, Reports reports, Conflicts conflicts, Sites sites, UserDirectory people,
            Photos photos, PlatformTransactionManager transactions, ApplicationEventPublisher events) {
        this.events = events;
        this.photos = photos;
        this.feed = feed;
        this.reports = reports;
        this.conflicts = conflicts;
        this.sites = sites;
        this.people = people;
        // one snapshot for all reads of a pull: the sites it lists, the feed rows it sends and the records
        // behind them agree, even while access or records change meanwhile
        this.snapshot = new TransactionTemplate(transactions);
        this.snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        this.snapshot.setReadOnly(true);
    }

    /**
     * The answer to a pull; the reports it delivers are told to the read-access log once its snapshot has
     * ended.
     */
    public PullResponse pull(PullRequest request, Actor actor) {
        feed.sequence();
        PullResponse answer = snapshot.execute(status -> answer(request, actor));
        if (answer != null && !answer.reports().isEmpty()) {
            events.publishEvent(new RecordsRead(actor, RecordsRead.Access.PULLED, "DailyReport", answer.reports()
                    .stream().map(report -> new RecordsRead.Item(report.id(), report.siteId())).toList()));
        }
        return answer;
    }

    private PullResponse answer(PullRequest request, Actor actor) {
        PullCursor cursor = PullCursor.parse(request.cursor());
        long position = cursor.position();
        int limit = request.limit();

        List<SiteReference> visible = sites.listVisible(actor, 0, MAX_SITES).stream()
                .map(site -> new SiteReference(site.id(), site.code(), site.name(), site.timezone())).toList();
        Set<UUID> visibleIds = visible.stream().map(SiteReference::id).collect(Collectors.toSet());
        List<UUID> known = request.knownSiteIds() == null ? List.of() : request.knownSiteIds();
        List<UUID> drop = known.stream().filter(id -> !visibleIds.contains(id)).toList();
        Set<UUID> behind = request.knownSiteIds() == null ? Set.of()
                : sitesBehind(cursor, visibleIds, new HashSet<>(known));

        List<ChangeFeed.Entry> entries = new ArrayList<>();
        PullCursor next = cursor.movedTo(position);
        boolean more = false;
        // a site is listed in the answer that completes its history; sites before the cursor's site were
        // completed (and listed) earlier in the round, so one of them still unknown was given to the
        // caller since, or given back: it waits for the next round, which reaches further
        Set<UUID> completed = new HashSet<>();
        Set<UUID> nextRound = new HashSet<>();
        for (UUID site : behind) {
            if (cursor.catchingUp() != null && SITE_ORDER.compare(site, cursor.catchingUp()) < 0) {
                nextRound.add(site);
                continue;
            }
            long after = site.equals(cursor.catchingUp()) ? cursor.reached() : 0;
            int room = limit - entries.size();
            List<ChangeFeed.Entry> page = feed.ofSite(site, after, position, room, actor);
            entries.addAll(page);
            if (page.size() == room) {
                // the page is full: the next pull goes on from here (and finds the site done if it is)
                next = cursor.catchingUp(site, page.getLast().position());
                more = true;
                break;
            }
            completed.add(site);
        }
        if (!more) {
            int room = limit - entries.size();
            List<ChangeFeed.Entry> page = feed.after(position, room + 1, actor);
            more = page.size() > room;
            page = more ? page.subList(0, room) : page;
            // the next round sends the changes of its sites up to where this page ends
            page.stream().filter(entry -> !nextRound.contains(entry.siteId())).forEach(entries::add);
            next = page.isEmpty() ? next : cursor.movedTo(page.getLast().position());
        }

        // the sites of a round are listed once their history is complete, so that the device goes on
        // reporting those it holds nothing of as unknown until then
        List<SiteReference> listed = visible.stream()
                .filter(site -> !behind.contains(site.id()) || completed.contains(site.id())).toList();
        return respond(entries, next, more, drop, listed, actor);
    }

    /**
     * The sites the device does not hold, though the feed is past their history (a first download, at
     * position 0, reads the whole feed anyway). The device catches up on them in a round, site after site
     * in SITE_ORDER, each from its changes up to the cursor's position, before the feed moves on.
     */
    private static Set<UUID> sitesBehind(PullCursor cursor, Set<UUID> visibleIds, Set<UUID> known) {
        Set<UUID> behind = new TreeSet<>(SITE_ORDER);
        if (cursor.position() > 0) {
            visibleIds.stream().filter(id -> !known.contains(id)).forEach(behind::add);
            if (cursor.catchingUp() != null && visibleIds.contains(cursor.catchingUp())) {
                behind.add(cursor.catchingUp());
            }
        }
        return behind;
    }

    /** The answer carrying the newest state of each record the feed rows name. */
    private PullResponse respond(List<ChangeFeed.Entry> entries, PullCursor next, boolean more, List<UUID> drop,
            List<SiteReference> listed, Actor actor) {
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
            if (report.decidedBy() != null) {
                ids.add(report.decidedBy()); // who approved or returned it, which the report says
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
