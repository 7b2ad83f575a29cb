package app.fieldbook.sites;

import app.fieldbook.identity.Actor;
import java.util.Map;
import java.util.UUID;

/**
 * Something an administrator did to a site, published inside the transaction that did it: who, which
 * site, and the site's audited fields before and after.
 */
public sealed interface SiteEvent {

    Actor actor();

    UUID siteId();

    /** The site's audited fields before the change; empty for a new site. */
    Map<String, Object> before();

    /** The site's audited fields after the change. */
    Map<String, Object> after();

    /** A site was created. */
    record SiteCreated(Actor actor, UUID siteId, Map<String, Object> after) implements SiteEvent {

        @Override
        public Map<String, Object> before() {
            return Map.of();
        }
    }

    /** A site's code, name, time zone, address or position was changed. */
    record SiteEdited(Actor actor, UUID siteId, Map<String, Object> before, Map<String, Object> after)
            implements SiteEvent {
    }
}
