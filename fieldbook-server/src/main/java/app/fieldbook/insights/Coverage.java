package app.fieldbook.insights;

import app.fieldbook.identity.Actor;
import app.fieldbook.sites.ScopedQuery;
import java.util.UUID;

/**
 * Which sites a month-end covers: one site, the sites of one portfolio, or (neither given) every site the
 * person may see. Always within the person's data scope: the conditions here narrow the scope of
 * {@link ScopedQuery}, never widen it.
 *
 * @param siteId the one site, or null
 * @param portfolioId the portfolio whose sites, or null; never together with a site
 */
record Coverage(UUID siteId, UUID portfolioId) {

    Coverage {
        if (siteId != null && portfolioId != null) {
            throw new IllegalArgumentException("A month-end covers a site or a portfolio, not both");
        }
    }

    /** The covered sites among those in {@code sites s} the person may see. */
    ScopedQuery ofSites(Actor actor) {
        return ScopedQuery.ofSite(actor, "s.id", siteId)
                .filter("s.id IN (SELECT ps.site_id FROM portfolio_sites ps WHERE ps.portfolio_id = :portfolioId)",
                        portfolioId);
    }
}
