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

    /**
     * What the dashboard's cell of a site and day must show: the status of its reports that needs attention first
     * (returned, draft, submitted, approved), with the least id among the reports in it; MISSING for none (a day
     * of a month long past).
     */
    String cell(String site, LocalDate date) {
        List<String> attention = List.of("RETURNED", "DRAFT", "SUBMITTED", "APPROVED");
        List<JsonNode> ofDay = reports.stream()
                .filter(report -> report.path("siteId").asString().equals(site)
                        && report.path("date").asString().equals(date.toString()))
                .toList();
        return ofDay.stream().map(report -> report.path("status").asString())
                .min(Comparator.comparingInt(attention::indexOf))
                .map(status -> status + " " + ofDay.stream().filter(r -> r.path("status").asString().equals(status))
                        .map(r -> r.path("id").asString()).sorted().findFirst().orElseThrow() + " " + ofDay.size())
                .orElse("MISSING");
    }

    /**
     * The hours and headcount of the filed reports' crews at these sites on each day of the month, by trade (or
     * company) as {@link #key}; with {@code field} null, of all crews under the key {@code "*"}.
     */
    Map<String, Map<LocalDate, Crew>> crewByDay(String field, List<String> sites) {
        Map<String, Map<LocalDate, Crew>> totals = new TreeMap<>(Comparator.nullsLast(Comparator.naturalOrder()));
        for (JsonNode report : reports) {
            if (!sites.contains(report.path("siteId").asString()) || !isFiled(report) || !in(report, month)) {
                continue;
            }
            LocalDate date = LocalDate.parse(report.path("date").asString());
            for (JsonNode row : report.path("content").path("crew")) {
                String name = field == null ? "*" : key(row.path(field).isNull() ? null : row.path(field).asString());
                Crew before = totals.computeIfAbsent(name, any -> new TreeMap<>())
                        .getOrDefault(date, new Crew(BigDecimal.ZERO, 0, BigDecimal.ZERO, 0));
                totals.get(name).put(date, new Crew(before.hours().add(row.path("hours").decimalValue()),
                        before.headcount() + row.path("headcount").asLong(), BigDecimal.ZERO, 0));
            }
        }
        return totals;
    }

    /**
     * Where a dashboard of the month for these sites (every day of it gone by) disagrees with the reports counted
     * again: its sites, each cell, and each day of the series in all, by trade and by company.
     */
    List<String> dashboardDisagreements(JsonNode dashboard, List<String> sites) {
        List<String> found = new ArrayList<>();
        List<String> shown = dashboard.path("sites").valueStream().map(site -> site.path("siteId").asString()).toList();
        if (!new HashSet<>(shown).equals(new HashSet<>(sites)) || shown.size() != sites.size()) {
            found.add("sites " + shown + ", not " + sites);
        }
        for (JsonNode site : dashboard.path("sites")) {
            JsonNode days = site.path("days");
            if (days.size() != month.lengthOfMonth()) {
                found.add("days of " + site.path("code").asString() + ": " + days.size());
            }
            for (JsonNode day : days) {
                LocalDate date = LocalDate.parse(day.path("date").asString());
                String cell = day.path("status").asString() + (day.path("reportId").isNull() ? ""
                        : " " + day.path("reportId").asString() + " " + day.path("reports").asLong());
                String expected = cell(site.path("siteId").asString(), date);
                if (!cell.equals(expected)) {
                    found.add(site.path("code").asString() + " " + date + ": " + cell + ", not " + expected);
                }
            }
        }
        found.addAll(seriesDisagreements("in all", crewByDay(null, sites).getOrDefault("*", Map.of()), dashboard));
        for (String field : List.of("trade", "company")) {
            Map<String, Map<LocalDate, Crew>> expected = crewByDay(field, sites);
            JsonNode rows = dashboard.path(field.equals("trade") ? "byTrade" : "byCompany");
            List<String> names = new ArrayList<>();
            for (JsonNode row : rows) {
                String name = key(row.path("name").isNull() ? null : row.path("name").asString());
                names.add(name);
                found.addAll(seriesDisagreements(field + " " + name, expected.getOrDefault(name, Map.of()), row));
            }
            if (!names.equals(new ArrayList<>(expected.keySet()))) {
                found.add("by " + field + ": " + names + ", not " + expected.keySet());
            }
        }
        return found;
    }

    private List<String> seriesDisagreements(String what, Map<LocalDate, Crew> expected, JsonNode series) {
        List<String> found = new ArrayList<>();
        if (series.path("hours").size() != month.lengthOfMonth()
                || series.path("headcount").size() != month.lengthOfMonth()) {
            found.add(what + ": series of " + series.path("hours").size() + " days");
            return found;
        }
        for (int day = 1; day <= month.lengthOfMonth(); day++) {
            Crew crew = expected.getOrDefault(month.atDay(day), new Crew(BigDecimal.ZERO, 0, BigDecimal.ZERO, 0));
            BigDecimal hours = series.path("hours").get(day - 1).decimalValue();
            long headcount = series.path("headcount").get(day - 1).asLong();
            if (hours.compareTo(crew.hours()) != 0 || headcount != crew.headcount()) {
                found.add(what + " on " + month.atDay(day) + ": " + hours + " h, " + headcount + " people, not "
                        + crew.hours() + " h, " + crew.headcount());
            }
        }
        return found;
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
