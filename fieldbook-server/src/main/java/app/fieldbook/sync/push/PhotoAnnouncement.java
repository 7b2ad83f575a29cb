package app.fieldbook.sync.push;

import app.fieldbook.protocol.FieldChange;
import java.time.DateTimeException;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;

/**
 * The fields of an operation that announces a photo, read from its changes: the report it belongs to, the
 * SHA-256 and size of the content that follows by upload, and what the device knows of it.
 *
 * @throws IllegalArgumentException (from {@link #of}) naming a field that is missing or has the wrong form
 */
record PhotoAnnouncement(UUID reportId, String sha256, long size, String caption, OffsetDateTime takenAt,
        Double latitude, Double longitude) {

    /** @throws IllegalArgumentException naming the first field that is missing or has the wrong form */
    static PhotoAnnouncement of(Map<String, FieldChange> fields) {
        return new PhotoAnnouncement(reportIdOf(fields), text(fields, "sha256", true), sizeOf(fields),
                text(fields, "caption", false), takenAtOf(fields), degrees(fields, "latitude", 90),
                degrees(fields, "longitude", 180));
    }

    /** A position's {@code field} in degrees, from {@code -limit} to {@code limit} (as the REST upload takes it). */
    private static Double degrees(Map<String, FieldChange> fields, String field, int limit) {
        Double degrees = number(fields, field);
        if (degrees != null && !(Math.abs(degrees) <= limit)) {
            throw new IllegalArgumentException(field + " must be from -" + limit + " to " + limit + " degrees, not "
                    + degrees);
        }
        return degrees;
    }

    private static String text(Map<String, FieldChange> fields, String field, boolean required) {
        FieldChange change = fields.get(field);
        Object value = change == null ? null : change.value();
        if (value == null) {
            if (required) {
                throw new IllegalArgumentException("a photo needs " + field);
            }
            return null;
        }
        return value.toString();
    }

    private static UUID reportIdOf(Map<String, FieldChange> fields) {
        String reportId = text(fields, "reportId", true);
        try {
            return UUID.fromString(reportId);
        } catch (IllegalArgumentException notAnId) {
            throw new IllegalArgumentException("reportId must be a UUID, not '" + reportId + "'");
        }
    }

    private static long sizeOf(Map<String, FieldChange> fields) {
        Object size = fields.get("size") == null ? null : fields.get("size").value();
        if (size instanceof Number number && number.doubleValue() == Math.rint(number.doubleValue())) {
            return number.longValue();
        }
        String text = text(fields, "size", true);
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException notANumber) {
            throw new IllegalArgumentException("size must be a whole number of bytes, not '" + text + "'");
        }
    }

    private static OffsetDateTime takenAtOf(Map<String, FieldChange> fields) {
        String takenAt = text(fields, "takenAt", false);
        try {
            return takenAt == null ? null : OffsetDateTime.parse(takenAt);
        } catch (DateTimeException notATime) {
            throw new IllegalArgumentException("takenAt must be a date and time with offset (ISO 8601), not '"
                    + takenAt + "'");
        }
    }

    private static Double number(Map<String, FieldChange> fields, String field) {
        FieldChange change = fields.get(field);
        if (change == null || change.value() == null) {
            return null;
        }
        if (change.value() instanceof Number value) {
            return value.doubleValue();
        }
        throw new IllegalArgumentException(field + " must be a number");
    }
}
