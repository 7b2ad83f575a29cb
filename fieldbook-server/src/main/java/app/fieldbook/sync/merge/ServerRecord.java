package app.fieldbook.sync.merge;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * A record as the server has it now, its fields in canonical form (equal values are {@code equals}).
 * An absent record ({@link #absent()}) never existed or was deleted.
 *
 * @param locked the record may no longer be edited by its author (a submitted or approved report); an
 *     edit made before it was locked conflicts rather than being refused
 */
public record ServerRecord(boolean exists, long version, Map<String, Object> fields, boolean locked) {

    public ServerRecord {
        fields = Collections.unmodifiableMap(new HashMap<>(fields));
    }

    public static ServerRecord absent() {
        return new ServerRecord(false, 0, Map.of(), false);
    }

    public static ServerRecord of(long version, Map<String, Object> fields, boolean locked) {
        return new ServerRecord(true, version, fields, locked);
    }

    Object value(String field) {
        return fields.get(field);
    }
}
