package app.fieldbook.insights;

import app.fieldbook.LagTolerantReads;
import app.fieldbook.attachments.PhotoEvent;
import app.fieldbook.identity.Actor;
import app.fieldbook.identity.Role;
import app.fieldbook.identity.UserEvent;
import app.fieldbook.reports.ReportEvent;
import app.fieldbook.sites.AssignmentEvent;
import app.fieldbook.sites.PortfolioEvent;
import app.fieldbook.sites.SiteEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * The month-ends computed a moment ago, given again to the same person for the same sites and month: a manager
 * closing a month asks for the month-end, then its CSV, then its PDF, within seconds, and each of the three would
 * otherwise read the month's reports again (about two thirds of the database's work of a month-end, docs/performance.md).
 *
 * <p>A kept month-end is given again only while nothing changed that it is made of, as far as this server knows:
 * any report, photo, site, portfolio, assignment or account change committed here forgets every kept month-end at
 * once (after its commit, and a month-end computed while it committed is not kept). A change committed on another
 * server is seen after at most {@code fieldbook.insights.month-end-kept-for}: the same bound as the lag the month-end
 * already tolerates from a read replica ({@code fieldbook.replica.max-lag}, 30 s), ADR 0037. Only a month-end read on
 * the primary is kept. At most {@link #MAX_KEPT} month-ends are kept; zero turns keeping off.
 */
@Component
class RecentMonthEnds {

    /**
     * Settings of the insights, bound from {@code fieldbook.insights}.
     *
     * @param monthEndKeptFor how long a month-end computed is given again (zero: never)
     */
    @ConfigurationProperties("fieldbook.insights")
    record Settings(@DefaultValue("30s") Duration monthEndKeptFor) {

        Settings {
            if (monthEndKeptFor.isNegative()) {
                throw new IllegalArgumentException("fieldbook.insights.month-end-kept-for must not be negative");
            }
        }
    }

    /** At most this many month-ends kept (20 managers' month-ends are a few megabytes). */
    static final int MAX_KEPT = 200;

    /** What a month-end is of: a person's scope (their id and role), the sites asked for and the month. */
    private record Key(UUID actorId, Role role, Coverage coverage, YearMonth month) {
    }

    private record Kept(MonthEnd monthEnd, long generation, Instant computedAt) {
    }

    private final Duration keptFor;
    private final Clock clock;
    private final Map<Key, Kept> kept = new ConcurrentHashMap<>();
    /** Counts the changes committed here: a month-end is given again only while it is the one it was computed in. */
    private final AtomicLong generation = new AtomicLong();

    RecentMonthEnds(Settings settings, Clock clock) {
        this.keptFor = settings.monthEndKeptFor();
        this.clock = clock;
    }

    /**
     * The month-end of {@code month} for the sites {@code coverage} names as {@code actor} sees them: the one
     * computed for them a moment ago if nothing changed since, else the one {@code compute} reads (kept if it was
     * read on the primary and nothing changed while it was made). One read on a replica is never kept: it may be
     * behind already (up to {@code fieldbook.replica.max-lag}), even behind a change committed here before it was
     * read, and keeping it would show that past for the time kept on top, also after the reads went back to the
     * primary.
     */
    MonthEnd of(Actor actor, Coverage coverage, YearMonth month, Supplier<LagTolerantReads.Read<MonthEnd>> compute) {
        if (keptFor.isZero()) {
            return compute.get().value();
        }
        Key key = new Key(actor.id(), actor.role(), coverage, month);
        long before = generation.get();
        Instant now = clock.instant();
        Kept found = kept.get(key);
        if (found != null && found.generation() == before && now.isBefore(found.computedAt().plus(keptFor))) {
            return found.monthEnd();
        }
        LagTolerantReads.Read<MonthEnd> computed = compute.get();
        if (computed.onPrimary() && generation.get() == before) {
            if (kept.size() >= MAX_KEPT) {
                forgetOutdated(now);
            }
            if (kept.size() < MAX_KEPT) {
                kept.put(key, new Kept(computed.value(), before, now));
            }
        }
        return computed.value();
    }

    /** Forgets every kept month-end: something it may be made of changed. */
    void forgetAll() {
        generation.incrementAndGet();
        kept.clear();
    }

    private void forgetOutdated(Instant now) {
        long current = generation.get();
        kept.values().removeIf(old -> old.generation() != current || !now.isBefore(old.computedAt().plus(keptFor)));
    }

    /** Something a month-end may be made of changed here: each of these events is recorded by the audit trail. */
    @TransactionalEventListener(fallbackExecution = true, classes = {ReportEvent.class, PhotoEvent.class,
            SiteEvent.class, PortfolioEvent.class, AssignmentEvent.class, UserEvent.class})
    void changed() {
        forgetAll();
    }
}
