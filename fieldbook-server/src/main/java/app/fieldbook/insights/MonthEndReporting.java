package app.fieldbook.insights;

import app.fieldbook.LagTolerantReads;
import app.fieldbook.RejectedRequest;
import app.fieldbook.identity.Actor;
import app.fieldbook.insights.MonthEnd.Compared;
import app.fieldbook.insights.MonthEnd.CrewTotal;
import app.fieldbook.insights.MonthEnd.Occurrence;
import app.fieldbook.insights.MonthEnd.SiteMonth;
import app.fieldbook.insights.MonthEnd.Totals;
import app.fieldbook.insights.ReportFigures.CoveredSite;
import app.fieldbook.insights.ReportFigures.CrewSum;
import app.fieldbook.insights.ReportFigures.DayCount;
import app.fieldbook.insights.ReportFigures.PhotoCount;
import app.fieldbook.insights.ReportFigures.Remarked;
import app.fieldbook.sites.SitesSeen;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;
import org.springframework.stereotype.Service;

/**
 * Closing a month: the month-end of the sites a person asks for, within the sites they may see. All its
 * queries read one snapshot of the database (repeatable read), so that its figures agree with each other
 * while reports change meanwhile; a read that tolerates a little lag ({@link LagTolerantReads}): from the replica
 * when one may be used. A site or portfolio outside the person's scope answers 404, as one that does
 * not exist, and the refusal is recorded. The month-end's CSV and PDF asked for right after it reuse its figures
 * ({@link RecentMonthEnds}).
 */
@Service
class MonthEndReporting {

    private final ReportFigures figures;
    private final CoverageCheck check;
    private final Clock clock;
    private final LagTolerantReads reads;
    private final RecentMonthEnds recent;

    MonthEndReporting(ReportFigures figures, CoverageCheck check, Clock clock, LagTolerantReads reads,
            RecentMonthEnds recent) {
        this.figures = figures;
        this.check = check;
        this.clock = clock;
        this.reads = reads;
        this.recent = recent;
    }

    /**
     * The month-end of {@code month} for the sites {@code coverage} names that the person may see.
     *
     * @throws RejectedRequest 404 {@code not-found} for a site or portfolio the person may not see (or that
     *     does not exist)
     */
    MonthEnd monthEnd(YearMonth month, Coverage coverage, Actor actor) {
        String portfolioName = check.requireVisible(coverage, actor, "month-end");
        return recent.of(actor, coverage, month, () -> reads.readSnapshotSaying(jdbc -> {
            SitesSeen<CoveredSite> covered = figures.sites(jdbc, coverage, actor);
            Map<UUID, List<DayCount>> days = figures.days(jdbc, covered, month).stream()
                    .collect(Collectors.groupingBy(DayCount::siteId));
            Map<UUID, PhotoCount> photos = figures.photos(jdbc, covered, month).stream()
                    .collect(Collectors.toMap(PhotoCount::siteId, Function.identity()));
            List<CrewSum> crew = figures.crew(jdbc, covered, month);
            List<Remarked> remarked = figures.remarked(jdbc, covered, month);
            return monthEnd(month, coverage, portfolioName, covered.rows(), days, photos, crew, remarked);
        }));
    }

    private MonthEnd monthEnd(YearMonth month, Coverage coverage, String portfolioName, List<CoveredSite> covered,
            Map<UUID, List<DayCount>> days, Map<UUID, PhotoCount> photos, List<CrewSum> crew,
            List<Remarked> remarked) {
        YearMonth previous = month.minusMonths(1);
        List<SiteMonth> siteMonths = new ArrayList<>();
        List<SiteDays> before = new ArrayList<>();
        for (CoveredSite site : covered) {
            List<DayCount> ofSite = days.getOrDefault(site.id(), List.of());
            LocalDate today = SiteDays.todayAt(site.timezone(), clock);
            SiteDays now = new SiteDays(month, ofSite, today);
            before.add(new SiteDays(previous, ofSite, today));
            PhotoCount photo = photos.get(site.id());
            siteMonths.add(new SiteMonth(site.id(), site.code(), site.name(), site.timezone(), now.daysElapsed(),
                    now.daysReported(), now.daysMissing(), now.reports(), now.filed(), now.delays(),
                    now.safetyIncidents(), photo == null ? 0 : photo.photos()));
        }
        long previousPhotos = photos.values().stream().mapToLong(PhotoCount::previousPhotos).sum();
        Totals totals = new Totals(
                compared(siteMonths, SiteMonth::filed, before, SiteDays::filed),
                compared(siteMonths, SiteMonth::daysReported, before, SiteDays::daysReported),
                compared(siteMonths, SiteMonth::daysMissing, before, SiteDays::daysMissing),
                Compared.of(sum(crew, CrewSum::hours), sum(crew, CrewSum::previousHours)),
                Compared.of(crew.stream().mapToLong(CrewSum::headcount).sum(),
                        crew.stream().mapToLong(CrewSum::previousHeadcount).sum()),
                compared(siteMonths, SiteMonth::delays, before, SiteDays::delays),
                compared(siteMonths, SiteMonth::safetyIncidents, before, SiteDays::safetyIncidents),
                Compared.of(siteMonths.stream().mapToLong(SiteMonth::photos).sum(), previousPhotos));
        return new MonthEnd(month.toString(), previous.toString(), coverage.siteId(), coverage.portfolioId(),
                portfolioName, ReportFigures.FILED, siteMonths, totals, byName(crew, CrewSum::trade), byName(crew, CrewSum::company),
                occurrences(remarked, Remarked::delays), occurrences(remarked, Remarked::safetyIncidents));
    }

    private static Compared compared(List<SiteMonth> now, ToLongFunction<SiteMonth> value,
            List<SiteDays> before, ToLongFunction<SiteDays> previous) {
        return Compared.of(now.stream().mapToLong(value).sum(), before.stream().mapToLong(previous).sum());
    }

    private static BigDecimal sum(List<CrewSum> crew, Function<CrewSum, BigDecimal> amount) {
        return crew.stream().map(amount).filter(Objects::nonNull).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    /**
     * The crew sums added up by trade or by company, by name regardless of case and spaces ({@link CrewNames}),
     * in the order of those names; no name (no company) last.
     */
    private static List<CrewTotal> byName(List<CrewSum> crew, Function<CrewSum, String> name) {
        Map<String, List<CrewSum>> grouped = new TreeMap<>(Comparator.nullsLast(Comparator.naturalOrder()));
        for (CrewSum sum : crew) {
            grouped.computeIfAbsent(CrewNames.key(name.apply(sum)), key -> new ArrayList<>()).add(sum);
        }
        return grouped.entrySet().stream()
                .map(group -> new CrewTotal(CrewNames.shown(group.getValue(), name),
                        Compared.of(sum(group.getValue(), CrewSum::hours), sum(group.getValue(), CrewSum::previousHours)),
                        Compared.of(group.getValue().stream().mapToLong(CrewSum::headcount).sum(),
                                group.getValue().stream().mapToLong(CrewSum::previousHeadcount).sum())))
                .toList();
    }

    private static List<Occurrence> occurrences(List<Remarked> remarked, Function<Remarked, String> text) {
        return remarked.stream().filter(report -> text.apply(report) != null)
                .map(report -> new Occurrence(report.date(), report.siteId(), report.siteCode(), report.reportId(),
                        text.apply(report)))
                .toList();
    }
}
