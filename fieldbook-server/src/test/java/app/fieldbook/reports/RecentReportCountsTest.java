package app.fieldbook.reports;

import static org.assertj.core.api.Assertions.assertThat;

import app.fieldbook.LagTolerantReads;
import app.fieldbook.MovingClock;
import app.fieldbook.identity.Actor;
import app.fieldbook.identity.Role;
import app.fieldbook.protocol.ReportStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * When a list's total counted a moment ago is given again, and when it is counted anew: a report change committed
 * here makes its site's totals and those of lists not of one site stale at once, and no other site's; a change of
 * who sees what makes every total stale; a total counted while a change committed, or on a replica, is not kept;
 * another server's change shows once the time kept has passed; each person and filter has their own.
 */
class RecentReportCountsTest {

    private final MovingClock clock = new MovingClock(Instant.parse("2026-12-01T09:00:00Z"));
    private final RecentReportCounts counts = new RecentReportCounts(
            new RecentReportCounts.Settings(Duration.ofSeconds(30)), clock);
    private final Actor manager = new Actor(UUID.randomUUID(), "manager", "Manager", Role.MANAGER);
    private final Actor worker = new Actor(UUID.randomUUID(), "worker", "Worker", Role.WORKER);
    private final UUID site = UUID.randomUUID();
    private final UUID otherSite = UUID.randomUUID();
    private final DailyReports.Filter ofSite = new DailyReports.Filter(site, null, null, null, null);
    private final DailyReports.Filter ofOtherSite = new DailyReports.Filter(otherSite, null, null, null, null);
    private final DailyReports.Filter ofEverySite = new DailyReports.Filter(null, null, null, null, null);

    @Test
    void aTotalCountedOnThePrimaryIsGivenAgainWhileItIsKept() {
        keep(manager, ofSite, 8331);
        clock.moveOn(Duration.ofSeconds(29));

        assertThat(counts.kept(manager, ofSite)).hasValue(8331);
    }

    @Test
    void anotherServersChangeShowsOnceTheTimeKeptHasPassed() {
        keep(manager, ofSite, 8331);
        clock.moveOn(Duration.ofSeconds(30));

        assertThat(counts.kept(manager, ofSite)).isEmpty();
    }

    @Test
    void aReportChangeHereMakesItsSitesTotalsAndThoseOfListsOfEverySiteStaleButNotOtherSites() {
        keep(manager, ofSite, 10);
        keep(manager, ofOtherSite, 20);
        keep(manager, ofEverySite, 30);

        counts.reportChanged(created(site));

        assertThat(counts.kept(manager, ofSite)).isEmpty();
        assertThat(counts.kept(manager, ofEverySite)).isEmpty();
        assertThat(counts.kept(manager, ofOtherSite)).hasValue(20);
    }

    @Test
    void aChangeOfWhoSeesWhatMakesEveryTotalStale() {
        keep(manager, ofSite, 10);
        keep(worker, ofOtherSite, 20);

        counts.scopeChanged();

        assertThat(counts.kept(manager, ofSite)).isEmpty();
        assertThat(counts.kept(worker, ofOtherSite)).isEmpty();
    }

    @Test
    void aTotalCountedWhileAChangeOfItsSiteCommittedIsNotKept() {
        var before = counts.generations(ofSite);
        counts.reportChanged(created(site));

        counts.keep(manager, ofSite, before, new LagTolerantReads.Read<>(10L, true));

        assertThat(counts.kept(manager, ofSite)).isEmpty();
    }

    @Test
    void aTotalCountedWhileAnotherSiteChangedIsKept() {
        var before = counts.generations(ofSite);
        counts.reportChanged(created(otherSite));

        counts.keep(manager, ofSite, before, new LagTolerantReads.Read<>(10L, true));

        assertThat(counts.kept(manager, ofSite)).hasValue(10);
    }

    @Test
    void aTotalCountedOnAReplicaIsNotKept() {
        counts.keep(manager, ofSite, counts.generations(ofSite), new LagTolerantReads.Read<>(10L, false));

        assertThat(counts.kept(manager, ofSite)).isEmpty();
    }

    @Test
    void eachPersonAndFilterHasTheirOwn() {
        keep(manager, ofSite, 10);

        assertThat(counts.kept(worker, ofSite)).isEmpty();
        assertThat(counts.kept(manager, new DailyReports.Filter(site, null, null, ReportStatus.SUBMITTED, null)))
                .isEmpty();
    }

    @Test
    void zeroKeepsNothing() {
        RecentReportCounts off = new RecentReportCounts(new RecentReportCounts.Settings(Duration.ZERO), clock);
        off.keep(manager, ofSite, off.generations(ofSite), new LagTolerantReads.Read<>(10L, true));

        assertThat(off.kept(manager, ofSite)).isEmpty();
    }

    private void keep(Actor actor, DailyReports.Filter filter, long total) {
        counts.keep(actor, filter, counts.generations(filter), new LagTolerantReads.Read<>(total, true));
    }

    private ReportEvent created(UUID siteId) {
        return new ReportEvent.ReportCreated(worker, UUID.randomUUID(), siteId, Map.of());
    }
}
