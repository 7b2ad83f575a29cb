package app.fieldbook.identity;

import java.util.Map;
import java.util.UUID;

/**
 * A user account was created, changed or disabled; published inside the transaction of the change.
 *
 * @param before the account's fields before the change, empty when created
 * @param after the account's fields after the change
 */
public record UserChanged(String action, UUID userId, Map<String, Object> before, Map<String, Object> after) {
}
