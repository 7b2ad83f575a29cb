package app.fieldbook.sync.merge;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * A record as the server has it now, its fields in canonical form (equal values are {@code equals}).
 * An absent record ({@link #absent()}) never existed or was deleted.
 *
 * @param locked the record may no longer be edited by its author (a submitted or approved report); an
 *     edit of its {@code lockedFields} conflicts rather than being refused
 * @param lockedFields the fields frozen while the record is locked
 */
public record ServerRecord(boolean exists, long version, Map<String, Object> fields, boolean locked,
        Set<String> lockedFields) {

    public ServerRecord {
        fields = Collections.unmodifiableMap(new HashMap<>(fields));
        lockedFields = Set.copyOf(lockedFields);
    }

    public static ServerRecord absent() {
        return new ServerRecord(false, 0, Map.of(), false, Set.of());
    }

    /** A record whose every field is frozen while it is locked. */
    public static ServerRecord of(long version, Map<String, Object> fields, boolean locked) {
        return new ServerRecord(true, version, fields, locked, fields.keySet());
    }

    /** A record of which only {@code lockedFields} are frozen while it is locked (a report's content, not its status). */
    public static ServerRecord of(long version, Map<String, Object> fields, boolean locked, Set<String> lockedFields) {
        return new ServerRecord(true, version, fields, locked, lockedFields);
    }

    Object value(String field) {
        return fields.get(field);
    }
}
