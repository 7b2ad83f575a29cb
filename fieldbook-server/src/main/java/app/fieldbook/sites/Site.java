package app.fieldbook.sites;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** A place where work happens and daily reports are filed. */
public record Site(
        UUID id,
        String code,
        String name,
        String timezone,
        String address,
        Double latitude,
        Double longitude,
        long version,
        OffsetDateTime createdAt,
        OffsetDateTime updatedAt) {

    Map<String, Object> auditedFields() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("code", code);
        fields.put("name", name);
        fields.put("timezone", timezone);
        fields.put("address", address);
        fields.put("latitude", latitude);
        fields.put("longitude", longitude);
        return fields;
    }
}
