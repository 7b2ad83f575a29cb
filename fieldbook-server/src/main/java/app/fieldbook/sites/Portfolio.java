package app.fieldbook.sites;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A named group of sites that managers are assigned to. */
record Portfolio(UUID id, String name, List<UUID> siteIds, long version, OffsetDateTime createdAt,
        OffsetDateTime updatedAt) {

    Portfolio {
        siteIds = siteIds.stream().sorted().toList();
    }

    Map<String, Object> auditedFields() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("name", name);
        fields.put("siteIds", siteIds.stream().map(UUID::toString).toList());
        return fields;
    }
}
