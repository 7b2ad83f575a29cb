package app.fieldbook.protocol;

import java.util.List;

/**
 * Names of the fields of a daily report in sync operations and conflicts. Values travel as JSON: text
 * fields as strings or null, the temperature as a number, {@link #CREW} as the whole list of rows,
 * {@link #DATE} as an ISO date, ids as strings.
 */
public final class ReportFields {

    public static final String SITE_ID = "siteId";
    public static final String DATE = "date";
    public static final String STATUS = "status";
    public static final String RETURN_COMMENT = "returnComment";
    public static final String WEATHER_CONDITIONS = "weather.conditions";
    public static final String WEATHER_TEMPERATURE = "weather.temperatureCelsius";
    public static final String CREW = "crew";
    public static final String WORK_PERFORMED = "workPerformed";
    public static final String DELAYS = "delays";
    public static final String SAFETY_INCIDENTS = "safetyIncidents";
    public static final String MATERIALS = "materials";
    public static final String NOTES = "notes";

    /** The fields an author writes. */
    public static final List<String> CONTENT = List.of(WEATHER_CONDITIONS, WEATHER_TEMPERATURE, CREW, WORK_PERFORMED,
            DELAYS, SAFETY_INCIDENTS, MATERIALS, NOTES);

    private ReportFields() {
    }
}
