package app.fieldbook.sites;

import java.util.Map;
import java.util.UUID;

/** A site was created or changed; published inside the transaction of the change. */
public record SiteChanged(String action, UUID siteId, Map<String, Object> before, Map<String, Object> after) {
}
