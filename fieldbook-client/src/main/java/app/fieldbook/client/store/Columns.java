package app.fieldbook.client.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * How values are written to and read from columns: ids, dates and JSON as text, instants used for
 * ordering as epoch milliseconds (text would not sort), flags as 0 and 1.
 */
final class Columns {

    private Columns() {
    }

    static Object value(Object value) {
        return switch (value) {
            case UUID id -> id.toString();
            case Enum<?> constant -> constant.name();
            case OffsetDateTime time -> time.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            case LocalDate date -> date.toString();
            case Instant instant -> instant.toEpochMilli();
            case Boolean flag -> flag ? 1 : 0;
            case JsonNode node -> node.toString();
            default -> value;
        };
    }

    static UUID uuid(ResultSet row, String column) throws SQLException {
        String text = row.getString(column);
        return text == null ? null : UUID.fromString(text);
    }

    static OffsetDateTime time(ResultSet row, String column) throws SQLException {
        String text = row.getString(column);
        return text == null ? null : OffsetDateTime.parse(text);
    }

    static Instant instant(ResultSet row, String column) throws SQLException {
        long millis = row.getLong(column);
        return row.wasNull() ? null : Instant.ofEpochMilli(millis);
    }

    static LocalDate date(ResultSet row, String column) throws SQLException {
        String text = row.getString(column);
        return text == null ? null : LocalDate.parse(text);
    }
}
