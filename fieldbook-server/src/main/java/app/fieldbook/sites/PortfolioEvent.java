package app.fieldbook.sites;

import app.fieldbook.identity.Actor;
import java.util.Map;
import java.util.UUID;

/**
 * Something an administrator did to a portfolio, published inside the transaction that did it: who,
 * which portfolio, and its audited fields (name and sites) before and after.
 */
public sealed interface PortfolioEvent {

    Actor actor();

    UUID portfolioId();

    /** The portfolio's audited fields before the change; empty for a new portfolio. */
    Map<String, Object> before();

    /** The portfolio's audited fields after the change. */
    Map<String, Object> after();

    /** A portfolio was created. */
    record PortfolioCreated(Actor actor, UUID portfolioId, Map<String, Object> after) implements PortfolioEvent {

        @Override
        public Map<String, Object> before() {
            return Map.of();
        }
    }

    /** A portfolio's name or sites were changed. */
    record PortfolioEdited(Actor actor, UUID portfolioId, Map<String, Object> before, Map<String, Object> after)
            implements PortfolioEvent {
    }
}
