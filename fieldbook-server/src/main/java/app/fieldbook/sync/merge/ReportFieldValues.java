package app.fieldbook.sync.merge;

import static app.fieldbook.protocol.ReportFields.CREW;
import static app.fieldbook.protocol.ReportFields.DATE;
import static app.fieldbook.protocol.ReportFields.DELAYS;
import static app.fieldbook.protocol.ReportFields.MATERIALS;
import static app.fieldbook.protocol.ReportFields.NOTES;
import static app.fieldbook.protocol.ReportFields.RETURN_COMMENT;
import static app.fieldbook.protocol.ReportFields.SAFETY_INCIDENTS;
import static app.fieldbook.protocol.ReportFields.SITE_ID;
import static app.fieldbook.protocol.ReportFields.STATUS;
import static app.fieldbook.protocol.ReportFields.WEATHER_CONDITIONS;
import static app.fieldbook.protocol.ReportFields.WEATHER_TEMPERATURE;
import static app.fieldbook.protocol.ReportFields.WORK_PERFORMED;

import app.fieldbook.protocol.CrewRow;
import app.fieldbook.protocol.Report;
import app.fieldbook.protocol.ReportContent;
import app.fieldbook.protocol.ReportStatus;
import app.fieldbook.protocol.Weather;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * The fields of a daily report as sync sees them: one canonical value per field, so that two equal
 * values are {@code equals} whatever JSON shape they arrived in ({@code 14.50} and {@code 14.5}, an
 * empty string and null).
 */
public final class ReportFieldValues {

    private static final Set<String> TEXT = Set.of(WEATHER_CONDITIONS, WORK_PERFORMED, DELAYS, SAFETY_INCIDENTS, MATERIALS,
            NOTES, RETURN_COMMENT);
    private static final Set<String> KNOWN = Set.of(SITE_ID, DATE, STATUS, RETURN_COMMENT, WEATHER_CONDITIONS,
            WEATHER_TEMPERATURE, CREW, WORK_PERFORMED, DELAYS, SAFETY_INCIDENTS, MATERIALS, NOTES);

    private ReportFieldValues() {
    }

    /** Every field of the report, canonical. */
    public static Map<String, Object> of(Report report) {
        Map<String, Object> fields = new HashMap<>();
        ReportContent content = report.content();
        fields.put(SITE_ID, report.siteId().toString());
        fields.put(DATE, report.date().toString());
        fields.put(STATUS, report.status().name());
        fields.put(RETURN_COMMENT, text(report.returnComment()));
        fields.put(WEATHER_CONDITIONS, text(content.weather().conditions()));
        fields.put(WEATHER_TEMPERATURE, number(content.weather().temperatureCelsius()));
        fields.put(CREW, crew(content.crew()));
        fields.put(WORK_PERFORMED, text(content.workPerformed()));
        fields.put(DELAYS, text(content.delays()));
        fields.put(SAFETY_INCIDENTS, text(content.safetyIncidents()));
        fields.put(MATERIALS, text(content.materials()));
        fields.put(NOTES, text(content.notes()));
        return fields;
    }

    /**
     * The canonical form of a value that arrived as JSON for this field.
     *
     * @throws IllegalArgumentException if the field is unknown or the value has the wrong shape
     */
    public static Object canonical(String field, Object value) {
        if (!KNOWN.contains(field)) {
            throw new IllegalArgumentException("unknown field " + field);
        }
        if (value == null) {
            return null;
        }
        return switch (field) {
            case SITE_ID -> parsed(field, string(field, value), UUID::fromString, "a UUID").toString();
            case DATE -> parsed(field, string(field, value), LocalDate::parse, "a date (YYYY-MM-DD)").toString();
            case STATUS -> parsed(field, string(field, value), ReportStatus::valueOf, "a report status").name();
            case WEATHER_TEMPERATURE -> number(decimal(field, value));
            case CREW -> crewOf(value);
            default -> text(string(field, value));
        };
    }

    /** The content of {@code current} with the given canonical field values written over it. */
    public static ReportContent content(Map<String, Object> current, Map<String, Object> writes) {
        Map<String, Object> fields = new HashMap<>(current);
        fields.putAll(writes);
        return new ReportContent(
                new Weather((String) fields.get(WEATHER_CONDITIONS), (BigDecimal) fields.get(WEATHER_TEMPERATURE)),
                rows(fields.get(CREW)),
                (String) fields.get(WORK_PERFORMED),
                (String) fields.get(DELAYS),
                (String) fields.get(SAFETY_INCIDENTS),
                (String) fields.get(MATERIALS),
                (String) fields.get(NOTES));
    }

    /** The fields of an empty report, canonical. */
    public static Map<String, Object> empty() {
        Map<String, Object> fields = new HashMap<>();
        for (String field : KNOWN) {
            fields.put(field, null);
        }
        fields.put(CREW, List.of());
        return fields;
    }

    private static String text(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    private static BigDecimal number(BigDecimal value) {
        return value == null ? null : new BigDecimal(value.stripTrailingZeros().toPlainString());
    }

    /** The text read by {@code parse}, or an {@link IllegalArgumentException} naming the field. */
    private static <T> T parsed(String field, String text, Function<String, T> parse, String expected) {
        try {
            return parse.apply(text);
        } catch (IllegalArgumentException | DateTimeException unreadable) {
            throw new IllegalArgumentException(field + " must be " + expected + ", not '" + text + "'");
        }
    }

    private static String string(String field, Object value) {
        if (value instanceof String text) {
            return text;
        }
        throw new IllegalArgumentException(field + " must be text");
    }

    private static BigDecimal decimal(String field, Object value) {
        if (value instanceof Number || value instanceof String) {
            try {
                return new BigDecimal(value.toString());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(field + " must be a number");
            }
        }
        throw new IllegalArgumentException(field + " must be a number");
    }

    private static List<Map<String, Object>> crew(List<CrewRow> rows) {
        List<Map<String, Object>> crew = new ArrayList<>();
        for (CrewRow row : rows) {
            crew.add(row(row.trade(), row.company(), row.headcount(), row.hours()));
        }
        return List.copyOf(crew);
    }

    private static List<Map<String, Object>> crewOf(Object value) {
        if (!(value instanceof List<?> list)) {
            throw new IllegalArgumentException("crew must be a list of rows");
        }
        List<Map<String, Object>> crew = new ArrayList<>();
        for (Object item : list) {
            if (!(item instanceof Map<?, ?> row)) {
                throw new IllegalArgumentException("crew rows must be objects");
            }
            Object headcount = row.get("headcount");
            if (!(headcount instanceof Number number) || number.doubleValue() != Math.rint(number.doubleValue())) {
                throw new IllegalArgumentException("crew headcount must be a whole number");
            }
            Object trade = row.get("trade");
            Object company = row.get("company");
            crew.add(row(trade == null ? null : string("crew trade", trade),
                    company == null ? null : string("crew company", company), number.intValue(),
                    decimal("crew hours", row.get("hours") == null ? "x" : row.get("hours"))));
        }
        return List.copyOf(crew);
    }

    private static Map<String, Object> row(String trade, String company, Integer headcount, BigDecimal hours) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("trade", trade);
        row.put("company", text(company));
        row.put("headcount", headcount);
        row.put("hours", number(hours));
        return row;
    }

    @SuppressWarnings("unchecked")
    private static List<CrewRow> rows(Object crew) {
        if (crew == null) {
            return List.of();
        }
        List<CrewRow> rows = new ArrayList<>();
        for (Map<String, Object> row : (List<Map<String, Object>>) crew) {
            rows.add(new CrewRow((String) row.get("trade"), (String) row.get("company"), (Integer) row.get("headcount"),
                    (BigDecimal) row.get("hours")));
        }
        return rows;
    }
}
