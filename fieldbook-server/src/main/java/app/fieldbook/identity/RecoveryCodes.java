package app.fieldbook.identity;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The people's one-time recovery codes, in table {@code recovery_codes}, only as hashes. */
@Repository
class RecoveryCodes {

    private final JdbcClient jdbc;

    RecoveryCodes(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Replaces every code of the person, used or not, by these. */
    void replace(UUID userId, List<String> codeHashes, OffsetDateTime now) {
        remove(userId);
        for (String hash : codeHashes) {
            jdbc.sql("""
                    INSERT INTO recovery_codes (id, user_id, code_hash, created_at, used_at)
                    VALUES (:id, :userId, :hash, :now, NULL)""")
                    .param("id", UUID.randomUUID()).param("userId", userId).param("hash", hash).param("now", now)
                    .update();
        }
    }

    /** Marks the unused code with this hash as used; false when there is none (wrong, or used before). */
    boolean use(UUID userId, String codeHash, OffsetDateTime now) {
        return jdbc.sql("""
                UPDATE recovery_codes SET used_at = :now
                 WHERE user_id = :userId AND code_hash = :hash AND used_at IS NULL""")
                .param("now", now).param("userId", userId).param("hash", codeHash).update() == 1;
    }

    int unused(UUID userId) {
        return jdbc.sql("SELECT COUNT(*) FROM recovery_codes WHERE user_id = :userId AND used_at IS NULL")
                .param("userId", userId).query(Long.class).single().intValue();
    }

    void remove(UUID userId) {
        jdbc.sql("DELETE FROM recovery_codes WHERE user_id = :userId").param("userId", userId).update();
    }
}
