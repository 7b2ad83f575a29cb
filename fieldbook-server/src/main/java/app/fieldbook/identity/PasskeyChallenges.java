package app.fieldbook.identity;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The challenges handed out for passkey ceremonies, in table {@code passkey_challenges}, kept on the server
 * (in the database, so that any node behind a load balancer can finish a ceremony another began). A
 * challenge answers one attempt: it is taken out when the answer arrives, whatever comes of it, and only
 * within its lifetime.
 */
@Repository
class PasskeyChallenges {

    enum Purpose { REGISTRATION, SIGN_IN }

    /** A challenge that was handed out: for whom (registration) and for which relying party id. */
    record Pending(String challenge, Purpose purpose, UUID userId, String rpId) {
    }

    private final JdbcClient jdbc;
    private final PasskeySettings settings;
    private final Clock clock;

    PasskeyChallenges(JdbcClient jdbc, PasskeySettings settings, Clock clock) {
        this.jdbc = jdbc;
        this.settings = settings;
        this.clock = clock;
    }

    void insert(Pending pending) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        jdbc.sql("""
                INSERT INTO passkey_challenges (id, challenge, purpose, user_id, rp_id, created_at, expires_at)
                VALUES (:id, :challenge, :purpose, :userId, :rpId, :now, :expiresAt)""")
                .param("id", UUID.randomUUID()).param("challenge", pending.challenge())
                .param("purpose", pending.purpose().name()).param("userId", pending.userId())
                .param("rpId", pending.rpId()).param("now", now)
                .param("expiresAt", now.plus(settings.challengeLifetime()))
                .update();
    }

    /**
     * Takes the challenge out, if it was handed out for this purpose; answers it only if it had not yet
     * expired. Of two requests taking the same challenge at once, one gets it.
     */
    Optional<Pending> take(String challenge, Purpose purpose) {
        Optional<Pending> pending = jdbc.sql("""
                SELECT challenge, purpose, user_id, rp_id, expires_at FROM passkey_challenges
                 WHERE challenge = :challenge AND purpose = :purpose""")
                .param("challenge", challenge).param("purpose", purpose.name())
                .query((rs, n) -> rs.getObject("expires_at", OffsetDateTime.class).isAfter(OffsetDateTime.now(clock))
                        ? Optional.of(new Pending(rs.getString("challenge"), Purpose.valueOf(rs.getString("purpose")),
                                rs.getObject("user_id", UUID.class), rs.getString("rp_id")))
                        : Optional.<Pending>empty())
                .optional().flatMap(found -> found);
        boolean taken = jdbc.sql("DELETE FROM passkey_challenges WHERE challenge = :challenge AND purpose = :purpose")
                .param("challenge", challenge).param("purpose", purpose.name()).update() == 1;
        return taken ? pending : Optional.empty();
    }

    /** Deletes the challenges that expired unanswered; answers how many. */
    int forgetExpired() {
        return jdbc.sql("""
                DELETE FROM passkey_challenges WHERE expires_at < :now""")
                .param("now", OffsetDateTime.now(clock)).update();
    }
}
