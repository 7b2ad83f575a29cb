package app.fieldbook.sites;

import app.fieldbook.identity.Actor;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An administrator replaced what a person is assigned to, published inside the transaction that did it:
 * who, whose assignments, and the assigned ids before and after.
 */
public sealed interface AssignmentEvent {

    Actor actor();

    UUID userId();

    /** The assigned ids before, under the name of what is assigned ({@code siteIds}, {@code portfolioIds}). */
    Map<String, Object> before();

    /** The assigned ids after, under the same name as {@link #before()}. */
    Map<String, Object> after();

    /** The sites of a field worker were replaced. */
    record SitesAssigned(Actor actor, UUID userId, List<UUID> previousSiteIds, List<UUID> siteIds)
            implements AssignmentEvent {

        @Override
        public Map<String, Object> before() {
            return Map.of("siteIds", strings(previousSiteIds));
        }

        @Override
        public Map<String, Object> after() {
            return Map.of("siteIds", strings(siteIds));
        }
    }

    /** The portfolios of a manager were replaced. */
    record PortfoliosAssigned(Actor actor, UUID userId, List<UUID> previousPortfolioIds, List<UUID> portfolioIds)
            implements AssignmentEvent {

        @Override
        public Map<String, Object> before() {
            return Map.of("portfolioIds", strings(previousPortfolioIds));
        }

        @Override
        public Map<String, Object> after() {
            return Map.of("portfolioIds", strings(portfolioIds));
        }
    }

    private static List<String> strings(List<UUID> ids) {
        return ids.stream().map(UUID::toString).toList();
    }
}
