package app.fieldbook.identity;

import java.util.UUID;

/**
 * A request presented a session cookie or a bearer token that authenticates nobody, and was answered 401.
 * Never carries the secret.
 *
 * @param kind {@code SESSION} or {@code TOKEN}; null when no such credential exists
 * @param reason {@code unknown}, {@code revoked}, {@code expired}, {@code idle} (a web session unused for
 *     longer than the idle timeout) or {@code account disabled}
 * @param userId whose credential it was, if known
 * @param login that person's login, if known
 */
public record CredentialRefused(String kind, String reason, UUID userId, String login) {
}
