package app.fieldbook.insights;

import static org.assertj.core.api.Assertions.assertThat;

import app.fieldbook.LagTolerantReads;
import app.fieldbook.MovingClock;
import app.fieldbook.identity.Actor;
import app.fieldbook.identity.Role;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * When a month-end computed a moment ago is given again, and when it is computed anew: a change committed on this
 * server forgets it at once (also one committed while it was computed), another server's change is seen once the
 * time it is kept has passed, one read on a replica is not kept, and each person's scope, sites and month have
 * their own.
 */
class RecentMonthEndsTest {

    private static final YearMonth MONTH = YearMonth.of(2026, 11);
    private static final Coverage PORTFOLIO = new Coverage(null, UUID.randomUUID());

    private final MovingClock clock = new MovingClock(Instant.parse("2026-12-01T09:00:00Z"));
    private final RecentMonthEnds recent = new RecentMonthEnds(new RecentMonthEnds.Settings(Duration.ofSeconds(30)),
            clock);
    private final Actor manager = new Actor(UUID.randomUUID(), "manager", "Manager", Role.MANAGER);
    private final AtomicInteger computed = new AtomicInteger();

    @Test
    void theCsvAndPdfRightAfterTheMonthEndReuseItsFigures() {
        MonthEnd first = recent.of(manager, PORTFOLIO, MONTH, counting());
        clock.moveOn(Duration.ofSeconds(29));

        assertThat(recent.of(manager, PORTFOLIO, MONTH, counting())).isSameAs(first);
        assertThat(recent.of(manager, PORTFOLIO, MONTH, counting())).isSameAs(first);
        assertThat(computed).hasValue(1);
    }

    @Test
    void aChangeCommittedHereForgetsItAtOnce() {
        MonthEnd first = recent.of(manager, PORTFOLIO, MONTH, counting());

        recent.forgetAll();

        assertThat(recent.of(manager, PORTFOLIO, MONTH, counting())).isNotSameAs(first);
        assertThat(computed).hasValue(2);
    }

    @Test
    void aMonthEndComputedWhileAChangeCommittedIsNotKept() {
        recent.of(manager, PORTFOLIO, MONTH, () -> {
            recent.forgetAll();
            return counting().get();
        });

        recent.of(manager, PORTFOLIO, MONTH, counting());

        assertThat(computed).hasValue(2);
    }

    @Test
    void anotherServersChangeIsSeenOnceTheTimeKeptHasPassed() {
        recent.of(manager, PORTFOLIO, MONTH, counting());
        clock.moveOn(Duration.ofSeconds(30));

        recent.of(manager, PORTFOLIO, MONTH, counting());

        assertThat(computed).hasValue(2);
    }

    @Test
    void eachScopeSitesAndMonthHaveTheirOwn() {
        Actor sameIdOtherRole = new Actor(manager.id(), manager.login(), manager.name(), Role.EXECUTIVE);
        Actor otherManager = new Actor(UUID.randomUUID(), "other", "Other", Role.MANAGER);
        recent.of(manager, PORTFOLIO, MONTH, counting());

        recent.of(sameIdOtherRole, PORTFOLIO, MONTH, counting());
        recent.of(otherManager, PORTFOLIO, MONTH, counting());
        recent.of(manager, new Coverage(UUID.randomUUID(), null), MONTH, counting());
        recent.of(manager, new Coverage(null, null), MONTH, counting());
        recent.of(manager, PORTFOLIO, MONTH.minusMonths(1), counting());

        assertThat(computed).hasValue(6);
    }

    @Test
    void keptForZeroComputesEveryTime() {
        RecentMonthEnds never = new RecentMonthEnds(new RecentMonthEnds.Settings(Duration.ZERO), clock);

        never.of(manager, PORTFOLIO, MONTH, counting());
        never.of(manager, PORTFOLIO, MONTH, counting());

        assertThat(computed).hasValue(2);
    }

    @Test
    void atMostMaxKeptAreKeptAndOutdatedOnesMakeRoom() {
        for (int i = 0; i < RecentMonthEnds.MAX_KEPT + 5; i++) {
            recent.of(new Actor(UUID.randomUUID(), "m" + i, "M", Role.MANAGER), PORTFOLIO, MONTH, counting());
        }
        recent.of(manager, PORTFOLIO, MONTH, counting());
        recent.of(manager, PORTFOLIO, MONTH, counting());
        assertThat(computed).as("full: the newest is not kept").hasValue(RecentMonthEnds.MAX_KEPT + 7);

        clock.moveOn(Duration.ofSeconds(30));
        recent.of(manager, PORTFOLIO, MONTH, counting());
        recent.of(manager, PORTFOLIO, MONTH, counting());
        assertThat(computed).as("the outdated ones gone, it is kept").hasValue(RecentMonthEnds.MAX_KEPT + 8);
    }

    @Test
    void aMonthEndReadOnAReplicaIsNotKept() {
        recent.of(manager, PORTFOLIO, MONTH, counting(false));

        recent.of(manager, PORTFOLIO, MONTH, counting());
        recent.of(manager, PORTFOLIO, MONTH, counting());

        assertThat(computed).as("the replica's, then the primary's, kept").hasValue(2);
    }

    private Supplier<LagTolerantReads.Read<MonthEnd>> counting() {
        return counting(true);
    }

    private Supplier<LagTolerantReads.Read<MonthEnd>> counting(boolean onPrimary) {
        return () -> {
            int n = computed.incrementAndGet();
            return new LagTolerantReads.Read<>(new MonthEnd(MONTH.toString(), MONTH.minusMonths(1).toString(), null,
                    null, "run " + n, ReportFigures.FILED, List.of(), null, List.of(), List.of(), List.of(),
                    List.of()), onPrimary);
        };
    }
}
