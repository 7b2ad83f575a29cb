package app.fieldbook.identity;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The sign-ins whose password was accepted and whose second step is awaited, in table
 * {@code sign_in_challenges}, found by the SHA-256 of their secret. Deleted when used; the expired ones by
 * a job.
 */
@Repository
class SignInChallenges {

    record Challenge(UUID id, UUID userId, OffsetDateTime expiresAt) {
    }

    private final JdbcClient jdbc;
    private final Clock clock;

    SignInChallenges(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    void insert(UUID id, UUID userId, String secretHash, OffsetDateTime now, OffsetDateTime expiresAt) {
        jdbc.sql("""
                INSERT INTO sign_in_challenges (id, user_id, secret_hash, created_at, expires_at)
                VALUES (:id, :userId, :secretHash, :now, :expiresAt)""")
                .param("id", id).param("userId", userId).param("secretHash", secretHash).param("now", now)
                .param("expiresAt", expiresAt).update();
    }

    /** The challenge with this secret hash, unless it was used or has expired. */
    Optional<Challenge> findLive(String secretHash, OffsetDateTime now) {
        return jdbc.sql("""
                SELECT id, user_id, expires_at FROM sign_in_challenges
                 WHERE secret_hash = :secretHash AND expires_at > :now""")
                .param("secretHash", secretHash).param("now", now)
                .query((rs, n) -> new Challenge(rs.getObject("id", UUID.class), rs.getObject("user_id", UUID.class),
                        rs.getObject("expires_at", OffsetDateTime.class)))
                .optional();
    }

    /** Uses the challenge up; false when another request did first. */
    boolean use(UUID id) {
        return jdbc.sql("DELETE FROM sign_in_challenges WHERE id = :id").param("id", id).update() == 1;
    }

    /** Deletes the challenges that expired unanswered; answers how many. */
    int forgetExpired() {
        return jdbc.sql("""
                DELETE FROM sign_in_challenges WHERE expires_at < :now""")
                .param("now", OffsetDateTime.now(clock)).update();
    }
}
