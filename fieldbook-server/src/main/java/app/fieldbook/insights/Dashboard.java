package app.fieldbook.insights;

import app.fieldbook.protocol.ReportStatus;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * The data of the managers' and executives' dashboards for a month and the sites it covers (scoped like the
 * month-end, {@link Coverage}): each site's days as the status grid shows them, and the hours and headcount of
 * the crews of filed reports ({@link #filedStatuses}) per day of the month, in all, by trade and by company.
 * Each series holds one figure per day of the month, the first for the 1st.
 *
 * @param asOf when the figures were read
 * @param sites each covered site, by code
 * @param hours the hours of all covered sites' crews, per day
 * @param headcount their headcount (people on site that day, summed over the crews), per day
 * @param byTrade the same by trade, by name; names equal but for case and spaces are one trade, shown in the
 *     spelling most of its rows use ({@link CrewNames})
 * @param byCompany the same by company, by name, the rows that name none last (name null)
 */
record Dashboard(
        String month,
        UUID siteId,
        UUID portfolioId,
        String portfolioName,
        Instant asOf,
        List<ReportStatus> filedStatuses,
        List<SiteRow> sites,
        List<BigDecimal> hours,
        List<Long> headcount,
        List<CrewSeries> byTrade,
        List<CrewSeries> byCompany) {

    /**
     * What a cell of the grid shows: the status of the day's report that needs attention first when a site has
     * several on a day (in this order), or {@code MISSING} for a day gone by without a report.
     */
    enum DayStatus {
        RETURNED, DRAFT, SUBMITTED, APPROVED, MISSING;

        static DayStatus of(ReportStatus status) {
            return valueOf(status.name());
        }
    }

    /**
     * One site's row of the grid.
     *
     * @param today today in the site's time zone
     * @param days one cell per day of the month
     */
    record SiteRow(UUID siteId, String code, String name, String timezone, LocalDate today, List<Day> days) {
    }

    /**
     * One site's day.
     *
     * @param status what the cell shows; null for a day without a report that is not over yet (today and later
     *     in the site's time zone)
     * @param reportId the report the cell opens (the first by id of those in that status), or null for none
     * @param reports the site's reports of the day, in every status
     */
    record Day(LocalDate date, DayStatus status, UUID reportId, long reports) {
    }

    /** The hours and headcount of one trade or company per day (name null: crew rows that name no company). */
    record CrewSeries(String name, List<BigDecimal> hours, List<Long> headcount) {
    }
}
