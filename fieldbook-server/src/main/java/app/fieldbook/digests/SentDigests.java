package app.fieldbook.digests;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The review digests sent, in table {@code review_digests}: one row per manager and day, its key
 * ({@code person_id}, {@code digest_day}) what makes the digest once a day (ADR 0032).
 */
@Repository
class SentDigests {

    private final JdbcClient jdbc;

    SentDigests(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Whether this person's digest of this day was sent (committed). */
    boolean sent(UUID person, LocalDate day) {
        return jdbc.sql("""
                SELECT COUNT(*) FROM review_digests WHERE person_id = :person AND digest_day = :day""")
                .param("person", person).param("day", day).query(Long.class).single() > 0;
    }

    /**
     * Records this person's digest of this day, in the caller's transaction, before it is sent: the row is the
     * claim on the send. A row of the same person and day, committed or not, refuses it: the insert waits for an
     * uncommitted one's transaction and then fails with a {@link org.springframework.dao.DuplicateKeyException}
     * if it committed.
     */
    void record(UUID person, LocalDate day, int reports, Instant sentAt, String node) {
        jdbc.sql("""
                INSERT INTO review_digests (person_id, digest_day, reports, sent_at, node)
                VALUES (:person, :day, :reports, :sentAt, :node)""")
                .param("person", person).param("day", day).param("reports", reports)
                .param("sentAt", sentAt.atOffset(ZoneOffset.UTC)).param("node", node)
                .update();
    }

    /** Deletes the rows of the days before {@code day}; answers how many. */
    int forgetBefore(LocalDate day) {
        return jdbc.sql("""
                DELETE FROM review_digests WHERE digest_day < :day""")
                .param("day", day).update();
    }
}
