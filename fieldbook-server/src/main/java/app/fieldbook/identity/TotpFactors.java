package app.fieldbook.identity;

import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The people's authenticator keys, in table {@code totp_factors}, encrypted ({@link SecondFactorKey}). */
@Repository
class TotpFactors {

    /** A person's authenticator key as stored; {@code confirmedAt} is null while enrolment waits for a code. */
    record TotpFactor(UUID userId, String sealedKey, OffsetDateTime confirmedAt, long lastUsedStep) {

        boolean confirmed() {
            return confirmedAt != null;
        }
    }

    private final JdbcClient jdbc;

    TotpFactors(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<TotpFactor> find(UUID userId) {
        return jdbc.sql("""
                SELECT user_id, sealed_key, confirmed_at, last_used_step FROM totp_factors WHERE user_id = :userId""")
                .param("userId", userId)
                .query((rs, n) -> new TotpFactor(rs.getObject("user_id", UUID.class), rs.getString("sealed_key"),
                        rs.getObject("confirmed_at", OffsetDateTime.class), rs.getLong("last_used_step")))
                .optional();
    }

    boolean confirmed(UUID userId) {
        return jdbc.sql("SELECT COUNT(*) FROM totp_factors WHERE user_id = :userId AND confirmed_at IS NOT NULL")
                .param("userId", userId).query(Long.class).single() > 0;
    }

    /** Starts an enrolment, replacing one that was never confirmed. */
    void startEnrolment(UUID userId, String sealedKey, OffsetDateTime now) {
        jdbc.sql("DELETE FROM totp_factors WHERE user_id = :userId AND confirmed_at IS NULL")
                .param("userId", userId).update();
        jdbc.sql("""
                INSERT INTO totp_factors (user_id, sealed_key, created_at, confirmed_at, last_used_step)
                VALUES (:userId, :sealedKey, :now, NULL, 0)""")
                .param("userId", userId).param("sealedKey", sealedKey).param("now", now).update();
    }

    /**
     * Records that the code of {@code step} was used, if no code of that step or a later one was before:
     * false when it was (a replay, or the same code sent twice at once).
     */
    boolean use(UUID userId, long step) {
        return jdbc.sql("""
                UPDATE totp_factors SET last_used_step = :step WHERE user_id = :userId AND last_used_step < :step""")
                .param("step", step).param("userId", userId).update() == 1;
    }

    boolean confirm(UUID userId, OffsetDateTime now) {
        return jdbc.sql("""
                UPDATE totp_factors SET confirmed_at = :now WHERE user_id = :userId AND confirmed_at IS NULL""")
                .param("now", now).param("userId", userId).update() == 1;
    }

    boolean remove(UUID userId) {
        return jdbc.sql("DELETE FROM totp_factors WHERE user_id = :userId").param("userId", userId).update() == 1;
    }
}
