package app.fieldbook.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Links committed audit events into a hash chain, and checks it. Link N stores
 * {@code SHA-256(hash of link N-1 | canonical fields of event N)}; changing, removing or reordering any
 * linked event breaks every later link. Linking runs shortly after events commit, in their own
 * transaction; when two nodes link at once, one loses on the position key and retries next round.
 */
@Component
class AuditChain {

    static final String GENESIS = "0".repeat(64);
    private static final int BATCH = 500;
    private static final Logger log = LoggerFactory.getLogger(AuditChain.class);

    /** Result of a check of the whole chain. */
    record Verification(boolean intact, long linkedEvents, long unlinkedEvents, Long firstBrokenPosition,
            String problem) {
    }

    private record Link(long position, String hash) {
    }

    private final JdbcClient jdbc;
    private final NamedParameterJdbcTemplate batches;
    private final TransactionTemplate transactions;
    private final Clock clock;

    AuditChain(JdbcClient jdbc, NamedParameterJdbcTemplate batches, TransactionTemplate transactions, Clock clock) {
        this.jdbc = jdbc;
        this.batches = batches;
        this.transactions = transactions;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${fieldbook.audit.link-interval:PT1S}")
    void linkPending() {
        try {
            // until the queue is empty: the job has a thread of its own, so catching up holds back no other job
            while (linkBatch() == BATCH) {
                log.trace("linked a full batch of audit events");
            }
        } catch (DataIntegrityViolationException e) {
            log.debug("Another node linked audit events at the same time; retrying next round");
        }
    }

    /** Links up to one batch of unlinked events; returns how many. */
    int linkBatch() {
        Integer linked = transactions.execute(status -> {
            List<AuditEvent> pending = jdbc.sql("""
                    SELECT e.* FROM audit_unlinked u JOIN audit_events e ON e.id = u.event_id
                     ORDER BY u.occurred_at, u.event_id
                     LIMIT :batch
                    """).param("batch", BATCH).query(AuditEvents::row).list();
            if (pending.isEmpty()) {
                return 0;
            }
            Link last = head().orElse(new Link(0, GENESIS));
            OffsetDateTime now = OffsetDateTime.now(clock);
            long position = last.position();
            String hash = last.hash();
            SqlParameterSource[] links = new SqlParameterSource[pending.size()];
            SqlParameterSource[] dequeued = new SqlParameterSource[pending.size()];
            for (int i = 0; i < pending.size(); i++) {
                AuditEvent event = pending.get(i);
                position++;
                String next = hash(hash, event);
                links[i] = new MapSqlParameterSource().addValue("position", position).addValue("eventId", event.id())
                        .addValue("previousHash", hash).addValue("hash", next).addValue("linkedAt", now);
                dequeued[i] = new MapSqlParameterSource().addValue("occurredAt", event.occurredAt())
                        .addValue("eventId", event.id());
                hash = next;
            }
            batches.batchUpdate("""
                    INSERT INTO audit_chain (position, event_id, previous_hash, hash, linked_at)
                    VALUES (:position, :eventId, :previousHash, :hash, :linkedAt)""", links);
            batches.batchUpdate("""
                    DELETE FROM audit_unlinked WHERE occurred_at = :occurredAt AND event_id = :eventId""", dequeued);
            return pending.size();
        });
        return linked == null ? 0 : linked;
    }

    /** Recomputes every link from the events as stored now. */
    Verification verify() {
        long unlinked = jdbc.sql("SELECT COUNT(*) FROM audit_unlinked").query(Long.class).single();
        String expectedPrevious = GENESIS;
        long checked = 0;
        long from = 0;
        while (true) {
            List<Object[]> links = jdbc.sql("""
                    SELECT c.position, c.previous_hash, c.hash, c.event_id FROM audit_chain c
                     WHERE c.position > :from ORDER BY c.position LIMIT 1000
                    """).param("from", from)
                    .query((rs, n) -> new Object[] {rs.getLong(1), rs.getString(2), rs.getString(3),
                            rs.getObject(4, UUID.class)})
                    .list();
            if (links.isEmpty()) {
                long astray = jdbc.sql("""
                        SELECT (SELECT COUNT(*) FROM audit_events) - (SELECT COUNT(*) FROM audit_unlinked)
                             - (SELECT COUNT(*) FROM audit_chain)
                        """).query(Long.class).single();
                if (astray != 0) {
                    return broken(checked, unlinked, checked + 1, "the number of events does not match the chain "
                            + "and the queue: events or links were removed");
                }
                return new Verification(true, checked, unlinked, null, null);
            }
            for (Object[] link : links) {
                long position = (Long) link[0];
                if (position != checked + 1) {
                    return broken(checked, unlinked, checked + 1, "link " + (checked + 1) + " is missing");
                }
                if (!expectedPrevious.equals(link[1])) {
                    return broken(checked, unlinked, position, "link " + position + " does not follow link " + (position - 1));
                }
                Optional<AuditEvent> event = jdbc.sql("""
                        SELECT * FROM audit_events WHERE id = :id""")
                        .param("id", link[3]).query(AuditEvents::row).optional();
                if (event.isEmpty()) {
                    return broken(checked, unlinked, position, "the event of link " + position + " is missing");
                }
                String recomputed = hash(expectedPrevious, event.get());
                if (!recomputed.equals(link[2])) {
                    return broken(checked, unlinked, position, "the event of link " + position + " was changed");
                }
                expectedPrevious = recomputed;
                checked++;
                from = position;
            }
        }
    }

    private static Verification broken(long checked, long unlinked, long position, String problem) {
        return new Verification(false, checked, unlinked, position, problem);
    }

    private Optional<Link> head() {
        return jdbc.sql("SELECT position, hash FROM audit_chain ORDER BY position DESC LIMIT 1")
                .query((rs, n) -> new Link(rs.getLong(1), rs.getString(2))).optional();
    }

    static String hash(String previous, AuditEvent event) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(previous.getBytes(StandardCharsets.US_ASCII));
            digest.update((byte) '|');
            digest.update(event.canonical().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
