package app.fieldbook.reports;

import app.fieldbook.LagTolerantReads;
import app.fieldbook.identity.Actor;
import app.fieldbook.identity.Role;
import app.fieldbook.identity.UserEvent;
import app.fieldbook.sites.AssignmentEvent;
import app.fieldbook.sites.PortfolioEvent;
import app.fieldbook.sites.SiteEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * How many reports a person's list matched a moment ago, given again to the same person for the same filter: the
 * list's {@code total} is a count over the whole history of the sites asked for (a site's 8,000 reports: an
 * index-only scan of 2-3 ms, about half of PostgreSQL's work in the Monday-morning reads, docs/performance.md),
 * while its page is the newest few.
 *
 * <p>A kept total is given again only while nothing changed that it counts, as far as this server knows: a
 * report change committed here forgets the totals of its site's lists and of every list not of one site, and a
 * site, portfolio, assignment or account change (who may see what) forgets them all, each after its commit (a
 * total counted while such a change committed is not kept). A change committed on another server is seen after
 * at most {@code fieldbook.reports.list-total-kept-for}: the bound the list already tolerates from a read replica
 * ({@code fieldbook.replica.max-lag}, 30 s), as the month-end does (ADR 0037, ADR 0038). Only a total counted on
 * the primary is kept. At most {@link #MAX_KEPT} totals are kept; zero turns keeping off.
 */
@Component
class RecentReportCounts {

    /**
     * Settings of the report list, bound from {@code fieldbook.reports}.
     *
     * @param listTotalKeptFor how long a list's total is given again (zero: never)
     */
    @ConfigurationProperties("fieldbook.reports")
    record Settings(@DefaultValue("30s") Duration listTotalKeptFor) {

        Settings {
            if (listTotalKeptFor.isNegative()) {
                throw new IllegalArgumentException("fieldbook.reports.list-total-kept-for must not be negative");
            }
        }
    }

    /** At most this many totals kept (500 readers of 12 sites each are 6,000). */
    static final int MAX_KEPT = 20_000;

    /** What a total counts: a person's scope (their id and role) and the list's filter. */
    private record Key(UUID actorId, Role role, DailyReports.Filter filter) {
    }

    /** A total, and the changes it was counted after ({@link Generations}). */
    private record Kept(long total, Generations after, Instant countedAt) {
    }

    /** The changes seen here so far that a total depends on: of who sees what, and of its site's reports (or any). */
    record Generations(long scope, long reports) {
    }

    private final Duration keptFor;
    private final Clock clock;
    private final Map<Key, Kept> kept = new ConcurrentHashMap<>();
    private final AtomicLong scopeChanges = new AtomicLong();
    private final AtomicLong reportChanges = new AtomicLong();
    private final Map<UUID, Long> siteReportChanges = new ConcurrentHashMap<>();

    RecentReportCounts(Settings settings, Clock clock) {
        this.keptFor = settings.listTotalKeptFor();
        this.clock = clock;
    }

    /** A total of {@code filter} for {@code actor}, if one was counted a moment ago and nothing changed since. */
    OptionalLong kept(Actor actor, DailyReports.Filter filter) {
        if (keptFor.isZero()) {
            return OptionalLong.empty();
        }
        Key key = new Key(actor.id(), actor.role(), filter);
        Kept found = kept.get(key);
        return found != null && current(key, found, clock.instant()) ? OptionalLong.of(found.total())
                : OptionalLong.empty();
    }

    /** The changes seen so far that a total of {@code filter} depends on: to be taken before counting it. */
    Generations generations(DailyReports.Filter filter) {
        return new Generations(scopeChanges.get(), filter.siteId() == null ? reportChanges.get()
                : siteReportChanges.getOrDefault(filter.siteId(), 0L));
    }

    /**
     * Keeps {@code total}, counted for {@code actor} and {@code filter} after the changes {@code before}, if it
     * was counted on the primary and nothing it depends on changed since.
     */
    void keep(Actor actor, DailyReports.Filter filter, Generations before, LagTolerantReads.Read<Long> total) {
        if (keptFor.isZero() || !total.onPrimary() || !before.equals(generations(filter))) {
            return;
        }
        Instant now = clock.instant();
        if (kept.size() >= MAX_KEPT) {
            kept.entrySet().removeIf(old -> !current(old.getKey(), old.getValue(), now));
        }
        if (kept.size() < MAX_KEPT) {
            kept.put(new Key(actor.id(), actor.role(), filter),
                    new Kept(total.value(), before, now));
        }
    }

    private boolean current(Key key, Kept found, Instant now) {
        return now.isBefore(found.countedAt().plus(keptFor))
                && found.after().equals(generations(key.filter()));
    }

    /**
     * A report of a site changed here: the totals of that site's lists, and of lists not of one site, are no
     * longer given (they stay in memory until they are replaced or room is needed).
     */
    @TransactionalEventListener(fallbackExecution = true)
    void reportChanged(ReportEvent event) {
        siteReportChanges.merge(event.siteId(), 1L, Long::sum);
        reportChanges.incrementAndGet();
    }

    /** Who may see what changed here: every kept total. */
    @TransactionalEventListener(fallbackExecution = true, classes = {SiteEvent.class, PortfolioEvent.class,
            AssignmentEvent.class, UserEvent.class})
    void scopeChanged() {
        scopeChanges.incrementAndGet();
        kept.clear();
    }
}
