package app.fieldbook.sync.merge;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a device did to a record offline, its field values in canonical form.
 *
 * @param baseVersion the version of the record the device edited (0 for a create)
 * @param fields each changed field with the value the device saw ({@link Edit#base()}) and the one it wrote
 */
public record Change(Kind kind, long baseVersion, Map<String, Edit> fields) {

    public enum Kind {
        CREATE,
        UPDATE,
        DELETE
    }

    /** One field: what the device saw and what it wrote. */
    public record Edit(Object base, Object value) {
    }

    public Change {
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }
}
