package app.fieldbook.insights;

import app.fieldbook.RejectedRequest;
import app.fieldbook.identity.AccessDenied;
import app.fieldbook.identity.Actor;
import app.fieldbook.sites.Portfolios;
import app.fieldbook.sites.Sites;
import java.util.Optional;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * The check that a person may see the site or portfolio they ask the month-end or the dashboard of. One outside
 * their scope answers 404, as one that does not exist, and the refusal is recorded ({@link AccessDenied}).
 */
@Component
class CoverageCheck {

    private final Sites sites;
    private final Portfolios portfolios;
    private final ApplicationEventPublisher events;

    CoverageCheck(Sites sites, Portfolios portfolios, ApplicationEventPublisher events) {
        this.sites = sites;
        this.portfolios = portfolios;
        this.events = events;
    }

    /**
     * The covered portfolio's name (null when no portfolio is asked for), if the person may see what they ask for.
     *
     * @param what what is asked for, for the record of a refusal: {@code month-end}, {@code dashboard}
     * @throws RejectedRequest 404 {@code not-found} for a site or portfolio the person may not see (or that
     *     does not exist)
     */
    String requireVisible(Coverage coverage, Actor actor, String what) {
        UUID site = coverage.siteId();
        if (site != null && sites.findVisible(site, actor).isEmpty()) {
            if (sites.exists(site)) {
                events.publishEvent(new AccessDenied(actor, "Site", site.toString(), site,
                        what + " of a site outside the caller's sites"));
            }
            throw RejectedRequest.notFound("Site", site);
        }
        UUID portfolio = coverage.portfolioId();
        if (portfolio == null) {
            return null;
        }
        Optional<String> name = portfolios.visibleName(portfolio, actor);
        if (name.isEmpty()) {
            if (portfolios.exists(portfolio)) {
                events.publishEvent(new AccessDenied(actor, "Portfolio", portfolio.toString(), null,
                        what + " of a portfolio not the caller's"));
            }
            throw RejectedRequest.notFound("Portfolio", portfolio);
        }
        return name.get();
    }
}
