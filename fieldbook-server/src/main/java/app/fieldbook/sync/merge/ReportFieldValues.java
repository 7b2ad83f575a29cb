package app.fieldbook.sync.merge;

import app.fieldbook.protocol.CrewRow;
import app.fieldbook.protocol.Report;
import app.fieldbook.protocol.ReportContent;
import app.fieldbook.protocol.ReportField;
import app.fieldbook.protocol.ReportStatus;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * The fields of a daily report as sync sees them ({@link ReportField}s an operation may carry): one
 * canonical value per field, so that two equal values are {@code equals} whatever JSON shape they arrived
 * in ({@code 14.50} and {@code 14.5}, an empty string and null).
 */
public final class ReportFieldValues {

    private static final List<ReportField> SYNCED = Arrays.stream(ReportField.values())
            .filter(ReportField::isSynced).toList();

    private ReportFieldValues() {
    }

    /** Every field of the report, canonical. */
    public static Map<String, Object> of(Report report) {
        Map<String, Object> fields = new HashMap<>();
        for (ReportField field : SYNCED) {
            fields.put(field.wireName(), canonicalOf(field, field.valueIn(report)));
        }
        return fields;
    }

    /**
     * The canonical form of a value that arrived as JSON for this field.
     *
     * @throws IllegalArgumentException if the field is unknown or the value has the wrong shape
     */
    public static Object canonical(String name, Object value) {
        ReportField field = ReportField.named(name).filter(ReportField::isSynced)
                .orElseThrow(() -> new IllegalArgumentException("unknown field " + name));
        if (value == null) {
            return null;
        }
        return switch (field.kind()) {
            case ID -> parsed(name, string(name, value), UUID::fromString, "a UUID").toString();
            case DATE -> parsed(name, string(name, value), LocalDate::parse, "a date (YYYY-MM-DD)").toString();
            case STATUS -> parsed(name, string(name, value), ReportStatus::valueOf, "a report status").name();
            case NUMBER -> number(decimal(name, value));
            case CREW -> crewOf(value);
            case TEXT -> text(string(name, value));
        };
    }

    /** The content of {@code current} with the given canonical field values written over it. */
    public static ReportContent content(Map<String, Object> current, Map<String, Object> writes) {
        Map<String, Object> fields = new HashMap<>(current);
        fields.putAll(writes);
        return ReportField.contentOf(field -> {
            Object value = fields.get(field.wireName());
            return field.kind() == ReportField.Kind.CREW ? rows(value) : value;
        });
    }

    /** The fields of an empty report, canonical. */
    public static Map<String, Object> empty() {
        Map<String, Object> fields = new HashMap<>();
        for (ReportField field : SYNCED) {
            fields.put(field.wireName(), field.kind() == ReportField.Kind.CREW ? List.of() : null);
        }
        return fields;
    }

    /** The canonical form of a field's value as a {@link Report} holds it. */
    @SuppressWarnings("unchecked")
    private static Object canonicalOf(ReportField field, Object value) {
        if (value == null) {
            return null;
        }
        return switch (field.kind()) {
            case ID, DATE -> value.toString();
            case STATUS -> ((ReportStatus) value).name();
            case TEXT -> text((String) value);
            case NUMBER -> number((BigDecimal) value);
            case CREW -> crew((List<CrewRow>) value);
        };
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
