package app.fieldbook.insights;

import app.fieldbook.insights.ReportFigures.DayCount;
import app.fieldbook.protocol.ReportStatus;
import java.time.Clock;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One site's reports of one month, from its counts by day and status: the reports by status, the filed ones
 * and what they tell, and the days reported among the days elapsed.
 */
final class SiteDays {

    private final Map<ReportStatus, Long> reports = new EnumMap<>(ReportStatus.class);
    private final Set<LocalDate> filedDays = new HashSet<>();
    private final int daysElapsed;
    private long filed;
    private long delays;
    private long safetyIncidents;

    /**
     * @param days the site's counts (of any months; those of other months are left out)
     * @param today today in the site's time zone
     */
    SiteDays(YearMonth month, List<DayCount> days, LocalDate today) {
        for (ReportStatus status : ReportStatus.values()) {
            reports.put(status, 0L);
        }
        daysElapsed = elapsed(month, today);
        LocalDate lastCounted = month.atDay(1).plusDays(daysElapsed - 1L);
        for (DayCount day : days) {
            if (!YearMonth.from(day.date()).equals(month)) {
                continue;
            }
            reports.merge(day.status(), day.reports(), Long::sum);
            if (ReportFigures.FILED.contains(day.status())) {
                filed += day.reports();
                delays += day.delays();
                safetyIncidents += day.safetyIncidents();
                if (!day.date().isAfter(lastCounted)) {
                    filedDays.add(day.date());
                }
            }
        }
    }

    /** Today at a site, in its time zone. */
    static LocalDate todayAt(String timezone, Clock clock) {
        return LocalDate.now(clock.withZone(ZoneId.of(timezone)));
    }

    /** The days of {@code month} up to {@code today}: all of a past month, none of a future one. */
    static int elapsed(YearMonth month, LocalDate today) {
        if (today.isBefore(month.atDay(1))) {
            return 0;
        }
        return today.isAfter(month.atEndOfMonth()) ? month.lengthOfMonth() : today.getDayOfMonth();
    }

    Map<ReportStatus, Long> reports() {
        return Collections.unmodifiableMap(reports);
    }

    int daysElapsed() {
        return daysElapsed;
    }

    int daysReported() {
        return filedDays.size();
    }

    int daysMissing() {
        return daysElapsed - filedDays.size();
    }

    long filed() {
        return filed;
    }

    long delays() {
        return delays;
    }

    long safetyIncidents() {
        return safetyIncidents;
    }
}
