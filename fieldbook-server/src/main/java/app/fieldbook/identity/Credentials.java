package app.fieldbook.identity;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Web sessions and bearer tokens, in table {@code credentials}, found by the SHA-256 of their secret. A
 * credential that ended (expired or revoked) is deleted a week later; the audit trail keeps the sign-ins
 * and sign-outs.
 */
@Repository
class Credentials {

    enum Kind { SESSION, TOKEN }

    /**
     * A live credential together with the active account it belongs to, and whether that account must change
     * its password before anything else.
     */
    record Live(UUID id, Kind kind, OffsetDateTime lastUsedAt, Actor actor, boolean passwordChangeRequired) {
    }

    /** A credential of a person that has not ended by revocation or expiry, as its owner sees it (no secret). */
    record Open(UUID id, Kind kind, String label, String userAgent, OffsetDateTime createdAt,
            OffsetDateTime lastUsedAt, OffsetDateTime expiresAt) {
    }

    private static final Duration KEPT_AFTER_END = Duration.ofDays(7);
    private static final int USER_AGENT_LENGTH = 200;

    private final JdbcClient jdbc;
    private final Clock clock;

    Credentials(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    void insert(UUID id, UUID userId, Kind kind, String secretHash, String label, String userAgent,
            OffsetDateTime now, OffsetDateTime expiresAt) {
        jdbc.sql("""
                INSERT INTO credentials (id, user_id, kind, secret_hash, label, user_agent, created_at, last_used_at,
                                         expires_at)
                VALUES (:id, :userId, :kind, :secretHash, :label, :userAgent, :now, :now, :expiresAt)
                """)
                .param("id", id).param("userId", userId).param("kind", kind.name()).param("secretHash", secretHash)
                .param("label", label).param("userAgent", userAgent).param("now", now).param("expiresAt", expiresAt)
                .update();
    }

    /** The {@code User-Agent} of the request being answered, cut to the column's length; null outside a request. */
    static String requestUserAgent() {
        if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes servlet) {
            String agent = servlet.getRequest().getHeader("User-Agent");
            return agent == null || agent.isBlank() ? null
                    : agent.length() <= USER_AGENT_LENGTH ? agent : agent.substring(0, USER_AGENT_LENGTH);
        }
        return null;
    }

    /** The credential with this secret hash if it is neither revoked nor expired and its account is active. */
    Optional<Live> findLive(String secretHash, OffsetDateTime now) {
        return jdbc.sql("""
                SELECT c.id, c.kind, c.last_used_at, u.id AS user_id, u.login, u.name, u.role,
                       u.password_change_required
                  FROM credentials c JOIN users u ON u.id = c.user_id
                 WHERE c.secret_hash = :secretHash AND c.revoked_at IS NULL AND c.expires_at > :now
                   AND u.active = TRUE
                """)
                .param("secretHash", secretHash).param("now", now)
                .query((rs, n) -> new Live(
                        rs.getObject("id", UUID.class),
                        Kind.valueOf(rs.getString("kind")),
                        rs.getObject("last_used_at", OffsetDateTime.class),
                        new Actor(rs.getObject("user_id", UUID.class), rs.getString("login"), rs.getString("name"),
                                Role.valueOf(rs.getString("role"))),
                        rs.getBoolean("password_change_required")))
                .optional();
    }

    /**
     * Why a presented secret authenticates nobody, for the audit trail: {@code unknown} (no such credential,
     * or deleted a week after it ended), {@code revoked}, {@code expired} or {@code account disabled}.
     */
    CredentialRefused refusal(String secretHash, OffsetDateTime now) {
        return jdbc.sql("""
                SELECT c.kind, c.revoked_at, c.expires_at, u.id AS user_id, u.login, u.active
                  FROM credentials c JOIN users u ON u.id = c.user_id
                 WHERE c.secret_hash = :secretHash
                """)
                .param("secretHash", secretHash)
                .query((rs, n) -> new CredentialRefused(rs.getString("kind"),
                        rs.getObject("revoked_at", OffsetDateTime.class) != null ? "revoked"
                                : !rs.getObject("expires_at", OffsetDateTime.class).isAfter(now) ? "expired"
                                : !rs.getBoolean("active") ? "account disabled" : "idle",
                        rs.getObject("user_id", UUID.class), rs.getString("login")))
                .optional()
                .orElse(new CredentialRefused(null, "unknown", null, null));
    }

    void touch(UUID id, OffsetDateTime now) {
        jdbc.sql("""
                UPDATE credentials SET last_used_at = :now WHERE id = :id""")
                .param("now", now).param("id", id).update();
    }

    boolean revoke(UUID id, OffsetDateTime now) {
        return jdbc.sql("""
                UPDATE credentials SET revoked_at = :now WHERE id = :id AND revoked_at IS NULL""")
                .param("now", now).param("id", id).update() == 1;
    }

    /**
     * The person's credentials that are neither revoked nor expired, the most recently used first (a web session
     * idle too long is among them until it expires: the caller leaves it out).
     */
    List<Open> openOf(UUID userId, OffsetDateTime now) {
        return jdbc.sql("""
                SELECT id, kind, label, user_agent, created_at, last_used_at, expires_at FROM credentials
                 WHERE user_id = :userId AND revoked_at IS NULL AND expires_at > :now
                 ORDER BY last_used_at DESC, id""")
                .param("userId", userId).param("now", now)
                .query((rs, n) -> new Open(rs.getObject("id", UUID.class), Kind.valueOf(rs.getString("kind")),
                        rs.getString("label"), rs.getString("user_agent"),
                        rs.getObject("created_at", OffsetDateTime.class),
                        rs.getObject("last_used_at", OffsetDateTime.class),
                        rs.getObject("expires_at", OffsetDateTime.class)))
                .list();
    }

    /** Revokes this credential if it is the person's and has not ended yet; false otherwise. */
    boolean revokeOf(UUID id, UUID userId, OffsetDateTime now) {
        return jdbc.sql("""
                UPDATE credentials SET revoked_at = :now
                 WHERE id = :id AND user_id = :userId AND revoked_at IS NULL AND expires_at > :now""")
                .param("now", now).param("id", id).param("userId", userId).update() == 1;
    }

    /**
     * Revokes every credential of the person that has not ended, but {@code kept} (the one the request came with);
     * answers how many.
     */
    int revokeAllOtherThan(UUID userId, UUID kept, OffsetDateTime now) {
        return jdbc.sql("""
                UPDATE credentials SET revoked_at = :now
                 WHERE user_id = :userId AND id <> :kept AND revoked_at IS NULL AND expires_at > :now""")
                .param("now", now).param("userId", userId).param("kept", kept).update();
    }

    int revokeAllOf(UUID userId, OffsetDateTime now) {
        return jdbc.sql("""
                UPDATE credentials SET revoked_at = :now WHERE user_id = :userId AND revoked_at IS NULL""")
                .param("now", now).param("userId", userId).update();
    }

    /** Deletes the credentials that ended a week ago or earlier; answers how many. */
    int forgetEnded() {
        OffsetDateTime ended = OffsetDateTime.now(clock).minus(KEPT_AFTER_END);
        return jdbc.sql("""
                DELETE FROM credentials WHERE expires_at < :ended OR revoked_at < :ended""")
                .param("ended", ended).update();
    }
}
