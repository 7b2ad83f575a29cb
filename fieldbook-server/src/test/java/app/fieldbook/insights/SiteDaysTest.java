package app.fieldbook.insights;

import static org.assertj.core.api.Assertions.assertThat;

import app.fieldbook.insights.ReportFigures.DayCount;
import app.fieldbook.protocol.ReportStatus;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A site's month from its counts by day and status: which days count, which reports are filed. */
class SiteDaysTest {

    private static final YearMonth NOVEMBER = YearMonth.of(2026, 11);
    private static final UUID SITE = UUID.randomUUID();

    @Test
    void everyDayOfAPastMonthHasElapsedAndNoneOfAFutureOne() {
        assertThat(SiteDays.elapsed(NOVEMBER, LocalDate.of(2026, 12, 1))).isEqualTo(30);
        assertThat(SiteDays.elapsed(YearMonth.of(2028, 2), LocalDate.of(2029, 1, 1))).isEqualTo(29);
        assertThat(SiteDays.elapsed(NOVEMBER, LocalDate.of(2026, 10, 31))).isZero();
        assertThat(SiteDays.elapsed(NOVEMBER, LocalDate.of(2026, 11, 1))).isEqualTo(1);
        assertThat(SiteDays.elapsed(NOVEMBER, LocalDate.of(2026, 11, 30))).isEqualTo(30);
    }

    @Test
    void todayIsTheDayInTheSitesTimeZone() {
        Clock lateEveningInLondon = Clock.fixed(Instant.parse("2026-11-15T23:30:00Z"), ZoneOffset.UTC);
        assertThat(SiteDays.todayAt("Europe/Berlin", lateEveningInLondon)).isEqualTo(LocalDate.of(2026, 11, 16));
        assertThat(SiteDays.todayAt("America/New_York", lateEveningInLondon)).isEqualTo(LocalDate.of(2026, 11, 15));
    }

    @Test
    void aDayIsReportedWhenAFiledReportIsDatedThatDay() {
        SiteDays days = new SiteDays(NOVEMBER, List.of(
                day(3, ReportStatus.SUBMITTED, 2), day(3, ReportStatus.APPROVED, 1), day(4, ReportStatus.APPROVED, 1),
                day(5, ReportStatus.DRAFT, 1), day(6, ReportStatus.RETURNED, 1)), LocalDate.of(2026, 12, 2));
        assertThat(days.daysElapsed()).isEqualTo(30);
        assertThat(days.daysReported()).isEqualTo(2);
        assertThat(days.daysMissing()).isEqualTo(28);
        assertThat(days.filed()).isEqualTo(4);
        assertThat(days.reports()).containsEntry(ReportStatus.DRAFT, 1L).containsEntry(ReportStatus.SUBMITTED, 2L)
                .containsEntry(ReportStatus.RETURNED, 1L).containsEntry(ReportStatus.APPROVED, 2L);
    }

    @Test
    void aReportDatedAfterTodayCountsInTheFiguresButReportsNoDay() {
        SiteDays days = new SiteDays(NOVEMBER, List.of(day(10, ReportStatus.SUBMITTED, 1),
                day(20, ReportStatus.SUBMITTED, 1)), LocalDate.of(2026, 11, 12));
        assertThat(days.daysElapsed()).isEqualTo(12);
        assertThat(days.daysReported()).isEqualTo(1);
        assertThat(days.daysMissing()).isEqualTo(11);
        assertThat(days.filed()).isEqualTo(2);
    }

    @Test
    void onlyFiledReportsCountTheirDelaysAndIncidentsAndOtherMonthsAreLeftOut() {
        SiteDays days = new SiteDays(NOVEMBER, List.of(
                new DayCount(SITE, LocalDate.of(2026, 11, 2), ReportStatus.SUBMITTED, 3, 2, 1, null),
                new DayCount(SITE, LocalDate.of(2026, 11, 2), ReportStatus.DRAFT, 4, 4, 4, null),
                new DayCount(SITE, LocalDate.of(2026, 10, 31), ReportStatus.APPROVED, 5, 5, 5, null)),
                LocalDate.of(2026, 12, 2));
        assertThat(days.delays()).isEqualTo(2);
        assertThat(days.safetyIncidents()).isEqualTo(1);
        assertThat(days.filed()).isEqualTo(3);
        assertThat(days.reports()).containsEntry(ReportStatus.APPROVED, 0L).containsEntry(ReportStatus.DRAFT, 4L);
    }

    private static DayCount day(int dayOfMonth, ReportStatus status, long reports) {
        return new DayCount(SITE, NOVEMBER.atDay(dayOfMonth), status, reports, 0, 0, null);
    }
}
