package app.fieldbook.insights;

import app.fieldbook.LagTolerantReads;
import app.fieldbook.RejectedRequest;
import app.fieldbook.identity.Actor;
import app.fieldbook.insights.Dashboard.CrewSeries;
import app.fieldbook.insights.Dashboard.Day;
import app.fieldbook.insights.Dashboard.DayStatus;
import app.fieldbook.insights.Dashboard.SiteRow;
import app.fieldbook.insights.ReportFigures.CoveredSite;
import app.fieldbook.insights.ReportFigures.CrewDay;
import app.fieldbook.insights.ReportFigures.DayCount;
import app.fieldbook.sites.SitesSeen;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Service;

/**
 * The dashboards' data: the status grid and the crews' series of a month for the sites a person asks for,
 * within the sites they may see. Built from the month-end's own queries ({@link ReportFigures#days} and
 * {@link ReportFigures#crewDays}) and scope ({@link Coverage}, {@link CoverageCheck}), on one snapshot; from the replica when one may be used
 * ({@link LagTolerantReads}).
 */
@Service
class DashboardReporting {

    private final ReportFigures figures;
    private final CoverageCheck check;
    private final Clock clock;
    private final LagTolerantReads reads;

    DashboardReporting(ReportFigures figures, CoverageCheck check, Clock clock,
            LagTolerantReads reads) {
        this.figures = figures;
        this.check = check;
        this.clock = clock;
        this.reads = reads;
    }

    /**
     * The dashboard of {@code month} for the sites {@code coverage} names that the person may see.
     *
     * @throws RejectedRequest 404 {@code not-found} for a site or portfolio the person may not see (or that
     *     does not exist)
     */
    Dashboard dashboard(YearMonth month, Coverage coverage, Actor actor) {
        String portfolioName = check.requireVisible(coverage, actor, "dashboard");
        LocalDate first = month.atDay(1);
        LocalDate last = month.atEndOfMonth();
        return reads.readSnapshot(jdbc -> {
            SitesSeen<CoveredSite> covered = figures.sites(jdbc, coverage, actor);
            Map<UUID, List<DayCount>> days = figures.days(jdbc, covered, first, last).stream()
                    .collect(Collectors.groupingBy(DayCount::siteId));
            List<CrewDay> crew = figures.crewDays(jdbc, covered, first, last);
            List<SiteRow> rows = covered.rows().stream()
                    .map(site -> row(month, site, days.getOrDefault(site.id(), List.of())))
                    .toList();
            List<CrewDay> all = crew.stream().map(day -> new CrewDay(day.date(), null, null, day.rows(), day.hours(),
                    day.headcount())).toList();
            CrewSeries total = series(month, null, all);
            return new Dashboard(month.toString(), coverage.siteId(), coverage.portfolioId(), portfolioName,
                    clock.instant(), ReportFigures.FILED, rows, total.hours(), total.headcount(),
                    byName(month, crew, CrewDay::trade), byName(month, crew, CrewDay::company));
        });
    }

    /**
     * A site's row: each day the status of the report that needs attention first ({@link DayStatus} order), a
     * day before today without a report missing, and today and later without one not yet due (null).
     */
    private SiteRow row(YearMonth month, CoveredSite site, List<DayCount> counts) {
        LocalDate today = SiteDays.todayAt(site.timezone(), clock);
        Map<LocalDate, List<DayCount>> byDate = counts.stream().collect(Collectors.groupingBy(DayCount::date));
        List<Day> days = new ArrayList<>();
        for (int day = 1; day <= month.lengthOfMonth(); day++) {
            LocalDate date = month.atDay(day);
            List<DayCount> ofDay = byDate.getOrDefault(date, List.of());
            if (ofDay.isEmpty()) {
                days.add(new Day(date, date.isBefore(today) ? DayStatus.MISSING : null, null, 0));
                continue;
            }
            DayCount shown = ofDay.stream()
                    .min(Comparator.comparing((DayCount count) -> DayStatus.of(count.status())))
                    .orElseThrow();
            days.add(new Day(date, DayStatus.of(shown.status()), shown.firstReport(),
                    ofDay.stream().mapToLong(DayCount::reports).sum()));
        }
        return new SiteRow(site.id(), site.code(), site.name(), site.timezone(), today, days);
    }

    /**
     * The crews by day added up by trade or by company, by name regardless of case and spaces ({@link CrewNames}),
     * in the order of those names; no name (no company) last.
     */
    private static List<CrewSeries> byName(YearMonth month, List<CrewDay> crew, Function<CrewDay, String> name) {
        Map<String, List<CrewDay>> grouped = new TreeMap<>(Comparator.nullsLast(Comparator.naturalOrder()));
        for (CrewDay day : crew) {
            grouped.computeIfAbsent(CrewNames.key(name.apply(day)), key -> new ArrayList<>()).add(day);
        }
        return grouped.values().stream()
                .map(group -> series(month, CrewNames.shown(group, name, CrewDay::rows), group))
                .toList();
    }

    /** The hours and headcount of these crews per day of the month. */
    private static CrewSeries series(YearMonth month, String name, List<CrewDay> crew) {
        BigDecimal[] hours = new BigDecimal[month.lengthOfMonth()];
        Arrays.fill(hours, BigDecimal.ZERO);
        Long[] headcount = new Long[month.lengthOfMonth()];
        Arrays.fill(headcount, 0L);
        for (CrewDay day : crew) {
            int index = day.date().getDayOfMonth() - 1;
            hours[index] = hours[index].add(day.hours());
            headcount[index] += day.headcount();
        }
        return new CrewSeries(name, List.of(hours), List.of(headcount));
    }
}
