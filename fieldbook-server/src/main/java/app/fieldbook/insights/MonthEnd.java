package app.fieldbook.insights;

import app.fieldbook.protocol.ReportStatus;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The month-end of a month for the sites it covers, as answered by the API and written by the exports. Only
 * filed reports ({@link #filedStatuses}: submitted or approved) count in the figures; the reports by status
 * count every report, drafts and returned ones too. A day is reported at a site when a filed report of the
 * site is dated that day; the days that count are those of the month up to today in the site's time zone
 * (every day of a past month, none of a future one), every calendar day alike.
 *
 * @param month the month, {@code 2026-11}
 * @param previousMonth the month the changes are measured against
 * @param siteId the one site covered, or null
 * @param portfolioId the portfolio whose sites are covered, or null (neither: every site the caller may see)
 * @param portfolioName that portfolio's name, or null
 * @param sites each covered site, by code
 * @param totals the figures of all covered sites, each with the previous month's and the change
 * @param byTrade the crews' hours and headcount by trade, by name; names equal but for case and spaces are one
 *     trade, shown in the spelling most of its rows use ({@link CrewNames})
 * @param byCompany the same by company, by name, the rows that name none last (name null)
 * @param delays the filed reports of the month that tell of a delay (not those that answer "None" and the like:
 *     {@link ReportFigures#NOTHING_TOLD}), by date and site code
 * @param safetyIncidents those that tell of a safety incident
 */
record MonthEnd(
        String month,
        String previousMonth,
        UUID siteId,
        UUID portfolioId,
        String portfolioName,
        List<ReportStatus> filedStatuses,
        List<SiteMonth> sites,
        Totals totals,
        List<CrewTotal> byTrade,
        List<CrewTotal> byCompany,
        List<Occurrence> delays,
        List<Occurrence> safetyIncidents) {

    /**
     * One site's month.
     *
     * @param daysElapsed the days of the month up to today in the site's time zone
     * @param daysReported of those, the days with a filed report
     * @param daysMissing of those, the days without one
     * @param reports the site's reports of the month by status, every status named
     * @param filed the filed reports
     * @param delays filed reports that tell of a delay
     * @param safetyIncidents filed reports that tell of a safety incident
     * @param photos the stored photos of the filed reports
     */
    record SiteMonth(UUID siteId, String code, String name, String timezone, int daysElapsed, int daysReported,
            int daysMissing, Map<ReportStatus, Long> reports, long filed, long delays, long safetyIncidents,
            long photos) {
    }

    /**
     * The figures of all covered sites. Days are site-days (two sites reporting on the same day are two);
     * headcount is the sum of the crews' daily headcounts (person-days).
     */
    record Totals(Compared reportsFiled, Compared daysReported, Compared daysMissing, Compared hours,
            Compared headcount, Compared delays, Compared safetyIncidents, Compared photos) {
    }

    /** A figure of the month, the same figure of the previous month, and the change (this month's minus that). */
    record Compared(BigDecimal value, BigDecimal previous, BigDecimal change) {

        static Compared of(BigDecimal value, BigDecimal previous) {
            return new Compared(value, previous, value.subtract(previous));
        }

        static Compared of(long value, long previous) {
            return of(BigDecimal.valueOf(value), BigDecimal.valueOf(previous));
        }
    }

    /** The hours and headcount of one trade or company (name null: crew rows that name no company). */
    record CrewTotal(String name, Compared hours, Compared headcount) {
    }

    /** A delay or a safety incident, as the filed report of that site and day tells it. */
    record Occurrence(LocalDate date, UUID siteId, String siteCode, UUID reportId, String text) {
    }
}
