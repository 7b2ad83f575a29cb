package app.fieldbook.reports;

import static app.fieldbook.Fixtures.created;
import static app.fieldbook.Fixtures.expect;
import static org.assertj.core.api.Assertions.assertThat;

import app.fieldbook.Fixtures;
import app.fieldbook.Fixtures.Person;
import app.fieldbook.FullStackTest;
import app.fieldbook.identity.Actor;
import app.fieldbook.identity.Role;
import app.fieldbook.protocol.ReportStatus;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The report list of several sites answers the same pages whether its matching reports are sorted apart (few of
 * them) or walked by date (many): every filter, every page, to the last one and past it, for a field worker, a
 * manager and an executive; and a person whose sites have no report gets an empty first page and a total of 0.
 */
@FullStackTest
class ReportListSortedApartTest {

    @LocalServerPort
    int port;

    @Autowired
    DailyReports reports;

    @Test
    void bothWaysAnswerTheSamePages() {
        Fixtures world = new Fixtures(port);
        String north = world.site();
        String south = world.site();
        String empty = world.site();
        Person worker = world.worker(north, south);
        Person other = world.worker(north);
        Person manager = world.manager(world.portfolio(north, south, empty));
        Person nobodysManager = world.manager(world.portfolio(empty));
        LocalDate day = LocalDate.of(2024, 3, 1);
        for (int i = 0; i < 7; i++) {
            file(worker, i % 2 == 0 ? north : south, day.plusDays(i), i % 3 == 0);
            file(other, north, day.plusDays(i), i % 2 == 1);
        }

        for (Actor actor : List.of(actor(worker, Role.WORKER), actor(manager, Role.MANAGER),
                new Actor(UUID.randomUUID(), "executive", "Executive", Role.EXECUTIVE))) {
            for (DailyReports.Filter filter : List.of(
                    new DailyReports.Filter(null, null, null, null, null),
                    new DailyReports.Filter(null, day.plusDays(2), day.plusDays(5), null, null),
                    new DailyReports.Filter(null, null, null, ReportStatus.SUBMITTED, null),
                    new DailyReports.Filter(null, null, null, null, UUID.fromString(other.id())))) {
                for (int page = 0; page <= 5; page++) {
                    DailyReports.Listed walked = reports.list(filter, actor, page, 3, 0);
                    DailyReports.Listed apart = reports.list(filter, actor, page, 3, Long.MAX_VALUE);
                    assertThat(ids(apart)).as("%s, %s, page %d", actor.role(), filter, page).isEqualTo(ids(walked));
                    assertThat(apart.total()).isEqualTo(walked.total());
                }
            }
        }
        DailyReports.Listed all = reports.list(new DailyReports.Filter(null, null, null, null, null),
                actor(manager, Role.MANAGER), 0, 50);
        assertThat(all.total()).isEqualTo(14);
        assertThat(all.page()).extracting(DailyReport::date).isSortedAccordingTo((a, b) -> b.compareTo(a));

        DailyReports.Listed none = reports.list(new DailyReports.Filter(null, null, null, null, null),
                actor(nobodysManager, Role.MANAGER), 0, 50);
        assertThat(none.total()).isZero();
        assertThat(none.page()).isEmpty();
    }

    private static Actor actor(Person person, Role role) {
        return new Actor(UUID.fromString(person.id()), person.login(), person.login(), role);
    }

    private static List<UUID> ids(DailyReports.Listed listed) {
        List<UUID> ids = new ArrayList<>();
        listed.page().forEach(report -> ids.add(report.id()));
        return ids;
    }

    private static void file(Person worker, String site, LocalDate date, boolean submit) {
        String id = created(worker.api().post("/api/v1/reports", Map.of("siteId", site, "date", date.toString(),
                "content", Map.of("workPerformed", "Work"))));
        if (submit) {
            expect(worker.api().post("/api/v1/reports/" + id + "/submit"), 200);
        }
    }
}
