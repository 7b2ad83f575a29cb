package app.fieldbook.audit;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The index of the ids read ({@code audit_reads}) beside the read events of the audit trail, whose sealed
 * {@code changes} hold those ids ({@code {"ids": [...]}}): the events are the record, the index only finds
 * them by record. The chain's verification checks that the two hold exactly the same (id, event) pairs.
 */
@Component
class ReadIndex {

    private static final int PAGE = 10_000;

    /** What the check of the index against the sealed ids found. */
    record Check(boolean matches, long sealed, long indexed) {
    }

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final TransactionTemplate snapshot;

    ReadIndex(JdbcClient jdbc, JsonMapper json, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.json = json;
        // both scans in one snapshot, so that a read committed between them does not look like tampering
        this.snapshot = new TransactionTemplate(transactions);
        this.snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        this.snapshot.setReadOnly(true);
    }

    /** The ids a read event's sealed changes name. */
    List<String> idsOf(AuditEvent event) {
        if (event.changes() == null) {
            return List.of();
        }
        JsonNode ids = json.readTree(event.changes()).path("ids");
        return ids.valueStream().map(JsonNode::asString).toList();
    }

    /**
     * Compares the index of ids read ({@code audit_reads}) with the ids sealed in the read events, as two
     * multisets, by an order-free digest of their pairs, in one snapshot: a row removed, added or changed in
     * the index shows.
     */
    Check check() {
        return snapshot.execute(status -> compare());
    }

    private Check compare() {
        Digest sealed = new Digest();
        UUID after = new UUID(0, 0);
        while (true) {
            List<AuditEvent> page = jdbc.sql("""
                    SELECT * FROM audit_events e WHERE e.action IN (:actions) AND e.id > :after
                     ORDER BY e.id LIMIT 1000""")
                    .param("actions", ReadAccessLog.ACTIONS).param("after", after).query(AuditEvents::row).list();
            if (page.isEmpty()) {
                break;
            }
            for (AuditEvent event : page) {
                idsOf(event).forEach(id -> sealed.add(id, event.id()));
                after = event.id();
            }
        }
        Digest indexed = new Digest();
        String afterId = "";
        UUID afterEvent = new UUID(0, 0);
        while (true) {
            List<Object[]> page = jdbc.sql("""
                    SELECT entity_id, event_id FROM audit_reads
                     WHERE entity_id > :afterId OR (entity_id = :afterId AND event_id > :afterEvent)
                     ORDER BY entity_id, event_id LIMIT :limit""")
                    .param("afterId", afterId).param("afterEvent", afterEvent).param("limit", PAGE)
                    .query((rs, n) -> new Object[] {rs.getString(1), rs.getObject(2, UUID.class)}).list();
            if (page.isEmpty()) {
                break;
            }
            for (Object[] row : page) {
                indexed.add((String) row[0], (UUID) row[1]);
            }
            afterId = (String) page.getLast()[0];
            afterEvent = (UUID) page.getLast()[1];
        }
        return new Check(sealed.sameAs(indexed), sealed.count, indexed.count);
    }

    /** A digest of a multiset of (id, event) pairs that does not depend on their order. */
    private static final class Digest {

        private long count;
        private long sum;
        private long xor;

        void add(String id, UUID event) {
            try {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                sha.update((id + "|" + event).getBytes(StandardCharsets.UTF_8));
                ByteBuffer bytes = ByteBuffer.wrap(sha.digest());
                count++;
                sum += bytes.getLong();
                xor ^= bytes.getLong();
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        boolean sameAs(Digest other) {
            return other.count == count && other.sum == sum && other.xor == xor;
        }
    }
}
