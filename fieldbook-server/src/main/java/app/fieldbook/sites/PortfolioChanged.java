package app.fieldbook.sites;

import java.util.Map;
import java.util.UUID;

/** A portfolio was created or changed (name or sites); published inside the transaction of the change. */
public record PortfolioChanged(String action, UUID portfolioId, Map<String, Object> before, Map<String, Object> after) {
}
