package app.fieldbook.identity;

import java.util.UUID;

/**
 * Published whenever a request is refused: a wrong role (403), or a record outside the caller's
 * scope (answered 404 so that its existence is not revealed).
 *
 * @param actor the refused caller, null when not authenticated
 * @param resource what was asked for, such as the request path or an entity type
 * @param resourceId the id asked for, if any
 * @param siteId the site of the record, if known
 */
public record AccessDenied(Actor actor, String resource, String resourceId, UUID siteId, String reason) {
}
