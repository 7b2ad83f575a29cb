package app.fieldbook.sites;

import java.util.Map;
import java.util.UUID;

/**
 * The sites of a field worker or the portfolios of a manager were replaced; published inside the
 * transaction of the change.
 */
public record AssignmentsChanged(UUID userId, Map<String, Object> before, Map<String, Object> after) {
}
