package app.fieldbook.insights;

import static app.fieldbook.Fixtures.expect;

import app.fieldbook.Api;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/**
 * The month-end figures counted again in plain Java, one report at a time, from the reports and photos read
 * back through the reports API, for a month long past (every day of it elapsed). Shares no code with the
 * module: the month-end must come out the same.
 */
final class RecountedMonth {

    /** One site's figures of one month. */
    record SiteFigures(Map<String, Long> reports, long filed, int daysReported, long delays, long safetyIncidents,
            long photos) {
    }

    /** Hours and headcount of a trade or company, this month and the one before. */
    record Crew(BigDecimal hours, long headcount, BigDecimal previousHours, long previousHeadcount) {
    }

    /** What a person writes for "nothing happened". */
    private static final Set<String> NOTHING = Set.of("", "none", "no", "nil", "nothing", "n/a", "na", "n.a",
            "not applicable", "no delay", "no delays", "no incident", "no incidents", "nothing to report", "0");

    private final YearMonth month;
    private final List<JsonNode> reports = new ArrayList<>();
    private final Map<String, Long> photosOf = new HashMap<>();

    /** Reads every report of these sites in the month and the one before, and the photos of the filed ones. */
    RecountedMonth(Api reader, YearMonth month, List<String> sites) {
        this.month = month;
        for (String site : sites) {
            int page = 0;
            JsonNode answer;
            do {
                answer = expect(reader.get("/api/v1/reports?siteId=" + site + "&from=" + month.minusMonths(1).atDay(1)
                        + "&to=" + month.atEndOfMonth() + "&size=500&page=" + page++), 200).body();
                answer.path("items").forEach(reports::add);
            } while (answer.path("items").size() == 500);
        }
        for (JsonNode report : reports) {
            if (isFiled(report)) {
                String id = report.path("id").asString();
                photosOf.put(id, expect(reader.get("/api/v1/reports/" + id + "/photos"), 200).body().valueStream()
                        .filter(photo -> !photo.path("pending").asBoolean()).count());
            }
        }
    }

    int reportsRead() {
        return reports.size();
    }

    SiteFigures site(String site, YearMonth which) {
        Map<String, Long> byStatus = new TreeMap<>(Map.of("DRAFT", 0L, "SUBMITTED", 0L, "RETURNED", 0L, "APPROVED", 0L));
        long filed = 0;
        Set<LocalDate> days = new HashSet<>();
        long delays = 0;
        long incidents = 0;
        long photos = 0;
        for (JsonNode report : reports) {
            if (!report.path("siteId").asString().equals(site) || !in(report, which)) {
                continue;
            }
            byStatus.merge(report.path("status").asString(), 1L, Long::sum);
            if (isFiled(report)) {
                filed++;
                days.add(LocalDate.parse(report.path("date").asString()));
                delays += tells(report, "delays") ? 1 : 0;
                incidents += tells(report, "safetyIncidents") ? 1 : 0;
                photos += photosOf.get(report.path("id").asString());
            }
        }
        return new SiteFigures(byStatus, filed, days.size(), delays, incidents, photos);
    }

    /** The crews of the filed reports of these sites by trade (or company) as {@link #key}, both months. */
    Map<String, Crew> crewBy(String field, List<String> sites) {
        Map<String, Crew> totals = new TreeMap<>(Comparator.nullsLast(Comparator.naturalOrder()));
        for (JsonNode report : reports) {
            if (!sites.contains(report.path("siteId").asString()) || !isFiled(report)) {
                continue;
            }
            boolean thisMonth = in(report, month);
            for (JsonNode row : report.path("content").path("crew")) {
                String name = key(row.path(field).isNull() ? null : row.path(field).asString());
                BigDecimal hours = row.path("hours").decimalValue();
                long headcount = row.path("headcount").asLong();
                Crew before = totals.getOrDefault(name, new Crew(BigDecimal.ZERO, 0, BigDecimal.ZERO, 0));
                totals.put(name, thisMonth
                        ? new Crew(before.hours().add(hours), before.headcount() + headcount, before.previousHours(),
                                before.previousHeadcount())
                        : new Crew(before.hours(), before.headcount(), before.previousHours().add(hours),
                                before.previousHeadcount() + headcount));
            }
        }
        return totals;
    }

    /** The filed reports of the month at these sites that tell of it: "reportId text", sorted. */
    List<String> told(String field, List<String> sites) {
        return reports.stream()
                .filter(report -> sites.contains(report.path("siteId").asString()) && isFiled(report)
                        && in(report, month) && tells(report, field))
                .map(report -> report.path("id").asString() + " " + report.path("content").path(field).asString())
                .sorted().toList();
    }

    private static boolean isFiled(JsonNode report) {
        String status = report.path("status").asString();
        return status.equals("SUBMITTED") || status.equals("APPROVED");
    }

    private static boolean in(JsonNode report, YearMonth which) {
        return YearMonth.from(LocalDate.parse(report.path("date").asString())).equals(which);
    }

    /**
     * Whether the text tells of something: not blank, and not one of the answers that say nothing happened
     * ("None", "n/a", "-", ...), whatever their case and the spaces and punctuation around them.
     */
    private static boolean tells(JsonNode report, String field) {
        JsonNode text = report.path("content").path(field);
        if (text.isNull() || text.isMissingNode()) {
            return false;
        }
        String said = text.asString().toLowerCase(Locale.ROOT).replaceAll("^[\\s.,;:!_*\\-\u2013\u2014]+", "")
                .replaceAll("[\\s.,;:!_*\\-\u2013\u2014]+$", "");
        return !NOTHING.contains(said);
    }

    /** A trade's or company's name as it is grouped: trimmed, inner spaces single, in lower case; blank is none. */
    static String key(String name) {
        if (name == null || name.isBlank()) {
            return null;
        }
        return name.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    }
}
