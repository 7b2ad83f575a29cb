package app.fieldbook.insights;

import static app.fieldbook.Fixtures.created;
import static app.fieldbook.Fixtures.expect;

import app.fieldbook.Fixtures.Person;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reports filed for a month-end through the API, as their authors write and submit them. */
public final class FiledReports {

    private FiledReports() {
    }

    /**
     * Writes a report of {@code site} on {@code date} with this crew, delays and incidents, and submits it;
     * answers its id.
     */
    public static String file(Person author, String site, String date, List<Map<String, Object>> crew,
            String delays, String incidents) {
        String id = draft(author, site, date, crew, delays, incidents);
        expect(author.api().post("/api/v1/reports/" + id + "/submit"), 200);
        return id;
    }

    /** Writes a report of {@code site} on {@code date} with this crew, delays and incidents; answers its id. */
    public static String draft(Person author, String site, String date, List<Map<String, Object>> crew,
            String delays, String incidents) {
        Map<String, Object> content = new HashMap<>();
        content.put("crew", new ArrayList<>(crew));
        content.put("workPerformed", "Work");
        content.put("delays", delays);
        content.put("safetyIncidents", incidents);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("siteId", site);
        body.put("date", date);
        body.put("content", content);
        return created(author.api().post("/api/v1/reports", body));
    }

    /** A crew row: a trade, a company, how many people and their hours (a decimal). */
    public static Map<String, Object> crew(String trade, String company, int headcount, String hours) {
        Map<String, Object> row = new HashMap<>();
        row.put("trade", trade);
        row.put("company", company);
        row.put("headcount", headcount);
        row.put("hours", new BigDecimal(hours));
        return row;
    }
}
