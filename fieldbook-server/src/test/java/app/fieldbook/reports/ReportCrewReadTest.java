package app.fieldbook.reports;

import static app.fieldbook.Fixtures.created;
import static org.assertj.core.api.Assertions.assertThat;

import app.fieldbook.Fixtures;
import app.fieldbook.Fixtures.Person;
import app.fieldbook.FullStackTest;
import app.fieldbook.identity.Actor;
import app.fieldbook.identity.Role;
import app.fieldbook.protocol.CrewRow;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Every way of reading reports gives each its own crew rows, all of them and in their order, whatever the crews of
 * the reports beside it: the list of one site, the list of several (walked by date and sorted apart), on every page
 * of a size that splits them, a report by its id and reports by their ids. The reads join the crew rows in one
 * statement, so a page counts reports, not rows, and a report without crew rows is read with none.
 */
@FullStackTest
class ReportCrewReadTest {

    @LocalServerPort
    int port;

    @Autowired
    DailyReports reports;

    @Test
    void eachReportIsReadWithItsOwnCrewInOrder() {
        Fixtures world = new Fixtures(port);
        String north = world.site();
        String south = world.site();
        Person worker = world.worker(north, south);
        Actor actor = new Actor(UUID.fromString(worker.id()), worker.login(), worker.login(), Role.WORKER);
        LocalDate day = LocalDate.of(2024, 5, 6);
        Map<UUID, List<CrewRow>> filed = new LinkedHashMap<>();
        for (int i = 0; i < 7; i++) {
            List<CrewRow> crew = new ArrayList<>();
            for (int row = 0; row < i % 4; row++) {
                crew.add(new CrewRow("Trade " + i + "." + row, row == 1 ? null : "Company " + i,
                        i * 10 + row, new BigDecimal(i + "." + row + "5")));
            }
            String site = i % 3 == 0 ? south : north;
            filed.put(UUID.fromString(file(worker, site, day.plusDays(i), crew)), crew);
        }

        Map<UUID, List<CrewRow>> read = new HashMap<>();
        for (DailyReports.Filter filter : List.of(new DailyReports.Filter(UUID.fromString(north), null, null, null, null),
                new DailyReports.Filter(UUID.fromString(south), null, null, null, null),
                new DailyReports.Filter(null, null, null, null, null))) {
            for (long sortedApartUpTo : List.of(0L, Long.MAX_VALUE)) {
                int listed = 0;
                for (int page = 0; page <= 4; page++) {
                    List<DailyReport> found = reports.list(filter, actor, page, 2, sortedApartUpTo).page();
                    assertThat(found).hasSizeLessThanOrEqualTo(2);
                    listed += found.size();
                    found.forEach(report -> read.put(report.id(), report.content().crew()));
                    found.forEach(report -> assertCrew(report, filed));
                }
                assertThat(listed).as("%s, sorted apart up to %d", filter, sortedApartUpTo)
                        .isEqualTo(filter.siteId() == null ? 7 : filter.siteId().toString().equals(north) ? 4 : 3);
            }
        }
        assertThat(read.keySet()).isEqualTo(filed.keySet());

        filed.keySet().forEach(id -> assertCrew(reports.findVisible(id, actor).orElseThrow(), filed));
        List<DailyReport> byIds = reports.findVisible(filed.keySet(), actor);
        assertThat(byIds).extracting(DailyReport::id).containsExactlyInAnyOrderElementsOf(filed.keySet());
        byIds.forEach(report -> assertCrew(report, filed));
    }

    private static void assertCrew(DailyReport report, Map<UUID, List<CrewRow>> filed) {
        List<CrewRow> expected = filed.get(report.id());
        List<CrewRow> crew = report.content().crew();
        assertThat(DailyReports.sameCrew(crew, expected)).as("crew of %s: %s, filed %s", report.id(), crew, expected)
                .isTrue();
    }

    private static String file(Person worker, String site, LocalDate date, List<CrewRow> crew) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (CrewRow row : crew) {
            Map<String, Object> fields = new HashMap<>();
            fields.put("trade", row.trade());
            fields.put("company", row.company());
            fields.put("headcount", row.headcount());
            fields.put("hours", row.hours());
            rows.add(fields);
        }
        return created(worker.api().post("/api/v1/reports", Map.of("siteId", site, "date", date.toString(),
                "content", Map.of("workPerformed", "Work", "crew", rows))));
    }
}
