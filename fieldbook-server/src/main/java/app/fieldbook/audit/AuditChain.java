package app.fieldbook.audit;

import app.fieldbook.BackgroundJobs;
import app.fieldbook.RecurringJobs;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Links committed audit events into a chain keyed with a secret the database does not hold, and checks
 * it (ADR 0005, ADR 0013). Link N stores {@code HMAC-SHA-256(key, N | hash of link N-1 | time | fields of
 * event N)}: changing, removing or reordering any linked event or link breaks the chain from there on, and
 * nobody without the key can recompute it. Links made before the chain had a key stay plain
 * {@code SHA-256(hash of link N-1 | event N)}, up to the position {@code audit_keying} records. Only events
 * sealed by the server are linked. The head of the chain is written to a file outside the database
 * ({@link AuditHeads}), so that removing the last links is found too. Linking runs shortly after events
 * commit, in its own transaction, on every node (ADR 0023): when two nodes link at once, the keys on a link's
 * position and on its event let only one of them commit a link for a position or an event; the other's
 * transaction rolls back whole, and it tries again next round.
 */
@Component
class AuditChain {

    static final String GENESIS = "0".repeat(64);
    /** The background jobs' names ({@link BackgroundJobs}). */
    static final String LINKING = "audit-linking";
    static final String HEAD = "audit-head";
    static final String VERIFICATION = "audit-verification";
    private static final int BATCH = 500;
    /** The longest problem text {@code audit_verifications} keeps. */
    private static final int PROBLEM_LENGTH = 4000;
    private static final Logger log = LoggerFactory.getLogger(AuditChain.class);

    /**
     * Result of a check of the whole chain.
     *
     * @param firstBrokenPosition the first link that is missing, changed or out of place; null when the
     *     chain is intact or the problem is an event outside it
     * @param problem what is wrong there, for a person
     * @param eventId the event concerned when the problem is an event outside the chain (written into the
     *     database directly, or taken out of the queue before it was linked)
     */
    record Verification(boolean intact, long linkedEvents, long unlinkedEvents, Long firstBrokenPosition,
            String problem, UUID eventId) {
    }

    /**
     * The latest verification's result as recorded in {@code audit_verifications}: when, on which node, and
     * whether it found the chain intact. {@code signed} is false when the row does not hold the signature the
     * server gives it (it was inserted or changed in the database): such a result is taken as a broken chain.
     */
    record Verified(Instant at, String node, boolean intact, boolean signed) {
    }

    private record Link(long position, String hash) {
    }

    /** Every link after {@code keyedAfter} is keyed with the key named {@code keyId}. */
    private record Keying(long keyedAfter, String keyId, Instant recordedAt, String mac) {
    }

    private record Stored(long position, String previousHash, String hash, Instant linkedAt, AuditEvent event,
            String seal) {
    }

    /** A row of the queue of events to link, by which the linker goes through it in order. */
    private record Queued(OffsetDateTime occurredAt, UUID eventId) {

        static final Queued START = new Queued(OffsetDateTime.of(1, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC), new UUID(0, 0));
    }

    /** What one batch of the linker did: how many queue rows it read, up to which, and which of them were forged. */
    private record Batch(int read, Queued last, List<UUID> forged) {
    }

    /** The forged events the linker last reported: the first of them, and how many. */
    private record Forged(UUID first, int count) {
    }

    private final JdbcClient jdbc;
    private final NamedParameterJdbcTemplate batches;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final AuditKey key;
    private final AuditHeads heads;
    private final ReadIndex reads;
    private final BackgroundJobs jobs;
    private final String node;
    private final AtomicReference<UUID> reportedUnsigned = new AtomicReference<>();
    private final AtomicReference<Forged> reportedForged = new AtomicReference<>(new Forged(null, 0));
    private final DataSource dataSource;
    private volatile Boolean postgres;

    AuditChain(JdbcClient jdbc, NamedParameterJdbcTemplate batches, TransactionTemplate transactions, Clock clock,
            AuditKey key, AuditHeads heads, ReadIndex reads, BackgroundJobs jobs, RecurringJobs.Settings node,
            DataSource dataSource) {
        this.dataSource = dataSource;
        this.node = node.nodeName();
        this.reads = reads;
        this.jobs = jobs;
        this.jdbc = jdbc;
        this.batches = batches;
        this.transactions = transactions;
        this.clock = clock;
        this.key = key;
        this.heads = heads;
    }

    @Scheduled(fixedDelayString = "${fieldbook.audit.link-interval:PT1S}")
    void linkInBackground() {
        jobs.runScheduled(LINKING, () -> {
            linkAll();
            return null;
        });
    }

    /** Links every event waiting now, at once (before a verification), as a run of the linker. */
    void linkPending() {
        jobs.run(LINKING, () -> {
            linkAll();
            return null;
        });
    }

    private void linkAll() {
        try {
            // through the whole queue: the job has a thread of its own, so catching up holds back no other job. Forged
            // events stay in the queue, so it is walked in order rather than until it is empty.
            Batch batch = linkBatch(Queued.START);
            UUID firstForged = batch.forged().isEmpty() ? null : batch.forged().getFirst();
            int forged = batch.forged().size();
            while (batch.read() == BATCH) {
                log.trace("linked a full batch of audit events");
                batch = linkBatch(batch.last());
                firstForged = firstForged == null && !batch.forged().isEmpty() ? batch.forged().getFirst() : firstForged;
                forged += batch.forged().size();
            }
            reportForged(new Forged(firstForged, forged));
        } catch (DuplicateKeyException e) {
            // only a link's position or event taken by another node's link; any other error fails the job's run
            log.debug("Another node linked audit events at the same time; retrying next round");
        }
        if (!heads.any()) {
            recordHead();
        }
    }

    /**
     * Verifies the whole chain: the job {@link #VERIFICATION}, every night at
     * {@code fieldbook.audit.verification-cron} on one node of the cluster ({@link AuditSchedule}); a broken
     * chain is logged, and, the result being recorded in the database, every node's
     * {@code fieldbook_audit_chain_intact} turns 0 until a verification finds it intact again.
     */
    void verifyInBackground() {
        Verification verification = verify();
        if (!verification.intact()) {
            log.error("The audit chain fails its verification: {} (link {}, event {})", verification.problem(),
                    verification.firstBrokenPosition(), verification.eventId());
        }
    }

    /**
     * The verification recorded last by any node of the cluster (nightly or asked for); empty before the first.
     * A row whose signature does not hold is answered as a broken chain, and logged once.
     */
    Optional<Verified> lastVerification() {
        return jdbc.sql("""
                SELECT id, verified_at, node, intact, linked_events, unlinked_events, first_broken_position, event_id,
                       problem, mac
                  FROM audit_verifications ORDER BY recorded DESC LIMIT 1""")
                .query((rs, n) -> {
                    UUID id = rs.getObject("id", UUID.class);
                    Instant at = rs.getObject("verified_at", OffsetDateTime.class).toInstant();
                    String by = rs.getString("node");
                    boolean intact = rs.getBoolean("intact");
                    Long firstBroken = rs.getObject("first_broken_position", Long.class);
                    String mac = key.verification(id, at, by, intact, rs.getLong("linked_events"),
                            rs.getLong("unlinked_events"), firstBroken, rs.getObject("event_id", UUID.class),
                            rs.getString("problem"));
                    boolean signed = AuditKey.same(mac, rs.getString("mac"));
                    if (!signed && !id.equals(reportedUnsigned.getAndSet(id))) {
                        log.error("The latest result of the audit chain's verification (audit_verifications, id {}) does"
                                + " not hold its signature: it was inserted or changed in the database. It is taken as"
                                + " a broken chain.", id);
                    }
                    return new Verified(at, by, intact && signed, signed);
                }).optional();
    }

    /**
     * Writes the head of the chain to the head file when the chain is keyed and has grown since, as a run of
     * the job {@link #HEAD}: when asked for a verification, and on a node's first linking. A chain that no
     * longer extends the head written last (links removed or rewritten) is not written down as if it were
     * good: that is logged, and the verifier names the break.
     */
    void recordHead() {
        jobs.run(HEAD, () -> {
            recordHeadNow();
            return null;
        });
    }

    /**
     * {@link #recordHead()} without its meters: the job {@link #HEAD}, every {@code fieldbook.audit.head-interval}
     * on one node of the cluster ({@link AuditSchedule}), which meters its runs itself.
     */
    void recordHeadNow() {
        if (keying().isEmpty()) {
            return;
        }
        Link head = head().orElse(new Link(0, GENESIS));
        Optional<AuditHeads.Head> last = heads.latest();
        if (last.isPresent()) {
            String now = last.get().position() == 0 ? GENESIS : jdbc.sql("SELECT hash FROM audit_chain WHERE position = ?")
                    .param(last.get().position()).query(String.class).optional().orElse(null);
            if (!last.get().hash().equals(now)) {
                log.error("The audit chain no longer extends the head written at {} (link {}): links were removed or"
                        + " rewritten in the database. Its head is not written; the chain's verification names the"
                        + " break.", last.get().recordedAt(), last.get().position());
                return;
            }
        }
        heads.record(head.position(), head.hash());
    }

    /**
     * Links up to one batch of the events queued after {@code after}, and takes those linked out of the queue.
     * An event without a valid seal was not written by the server: it is not linked and stays in the queue,
     * where the verifier names it.
     */
    private Batch linkBatch(Queued after) {
        Batch done = transactions.execute(status -> {
            Optional<Keying> keying = keying().or(this::keyFromHere);
            if (keying.isEmpty()) {
                return new Batch(0, after, List.of());
            }
            List<Queued> queued = new ArrayList<>();
            List<Stored> pending = jdbc.sql("""
                    SELECT e.*, c.position, u.occurred_at AS queued_at, u.event_id AS queued_id
                      FROM audit_unlinked u JOIN audit_events e ON e.id = u.event_id
                      LEFT JOIN audit_chain c ON c.event_id = e.id
                     WHERE u.occurred_at > :afterTime OR (u.occurred_at = :afterTime AND u.event_id > :afterId)
                     ORDER BY u.occurred_at, u.event_id
                     LIMIT :batch
                    """).param("afterTime", after.occurredAt()).param("afterId", after.eventId()).param("batch", BATCH)
                    .query((rs, n) -> {
                        queued.add(new Queued(rs.getObject("queued_at", OffsetDateTime.class),
                                rs.getObject("queued_id", UUID.class)));
                        return new Stored(rs.getLong("position"), null, null, null, AuditEvents.row(rs, n),
                                rs.getString("seal"));
                    }).list();
            if (pending.isEmpty()) {
                return new Batch(0, after, List.of());
            }
            Link last = head().orElse(new Link(0, GENESIS));
            OffsetDateTime now = OffsetDateTime.now(clock).truncatedTo(ChronoUnit.MICROS);
            long position = last.position();
            String hash = last.hash();
            List<SqlParameterSource> links = new ArrayList<>();
            List<UUID> forged = new ArrayList<>();
            for (int i = 0; i < pending.size(); i++) {
                AuditEvent event = pending.get(i).event();
                if (pending.get(i).position() > 0) {
                    continue;
                }
                if (!AuditKey.same(key.seal(event), pending.get(i).seal())) {
                    forged.add(event.id());
                    continue;
                }
                position++;
                String next = key.link(position, hash, now.toInstant(), event);
                links.add(new MapSqlParameterSource().addValue("position", position).addValue("eventId", event.id())
                        .addValue("previousHash", hash).addValue("hash", next).addValue("linkedAt", now));
                hash = next;
            }
            batches.batchUpdate("""
                    INSERT INTO audit_chain (position, event_id, previous_hash, hash, linked_at)
                    VALUES (:position, :eventId, :previousHash, :hash, :linkedAt)""",
                    links.toArray(SqlParameterSource[]::new));
            dequeueLinked(queued);
            return new Batch(pending.size(), queued.getLast(), forged);
        });
        return done == null ? new Batch(0, after, List.of()) : done;
    }

    /**
     * Takes out of the queue those of the given queued events that are linked by now, in the linker's
     * transaction; events not linked (forged ones, or those another node is linking) stay. Each is found by the
     * queue's primary key, its event's id, so that the cost follows the batch and not the chain's length, and no
     * queued time, however odd, is passed back to the database. On PostgreSQL through the procedure
     * {@code audit_dequeue_linked}, which runs with its owner's rights (migrations V19 and V21): the application's
     * role has no DELETE on the queue, so it cannot take out an event that waits to be linked. On H2, which has no
     * roles to keep apart, the same rows are deleted with plain SQL.
     */
    private void dequeueLinked(List<Queued> queued) {
        UUID[] ids = queued.stream().map(Queued::eventId).toArray(UUID[]::new);
        if (postgres()) {
            batches.getJdbcOperations().execute((ConnectionCallback<Void>) (Connection connection) -> {
                try (PreparedStatement call = connection.prepareStatement("CALL audit_dequeue_linked(?)")) {
                    call.setArray(1, connection.createArrayOf("uuid", ids));
                    call.execute();
                }
                return null;
            });
        } else {
            batches.batchUpdate("""
                    DELETE FROM audit_unlinked u
                     WHERE u.event_id = :eventId
                       AND EXISTS (SELECT 1 FROM audit_chain c WHERE c.event_id = u.event_id)""",
                    queued.stream().map(entry -> new MapSqlParameterSource("eventId", entry.eventId()))
                            .toArray(SqlParameterSource[]::new));
        }
    }

    private boolean postgres() {
        if (postgres == null) {
            try {
                postgres = JdbcUtils.extractDatabaseMetaData(dataSource, DatabaseMetaData::getDatabaseProductName)
                        .equals("PostgreSQL");
            } catch (MetaDataAccessException e) {
                throw new IllegalStateException("Cannot tell which database the audit chain is in", e);
            }
        }
        return postgres;
    }

    /**
     * Logs the events of the queue that have no valid seal once, not on every round of the linker: again only
     * when the first of them or their number changes.
     */
    private void reportForged(Forged now) {
        if (!now.equals(reportedForged.getAndSet(now)) && now.count() > 0) {
            log.error("{} audit event(s) in the queue, {} first, have no valid seal: they were not written by the"
                    + " server but into the database directly. They are not linked and stay in the queue; the chain's"
                    + " verification names them.", now.count(), now.first());
        }
    }

    /**
     * The first linking with a key: the events still queued from before (written without a seal) are linked
     * the old way, and the chain records, signed, that every later link is keyed. Refused when the chain has
     * links and the head file shows it was keyed before: then the record was removed from the database, and
     * recording it anew would let the removed links pass as unkeyed ones. An empty chain (a new database, or
     * tables emptied, which the heads already show) is keyed from its start.
     */
    private Optional<Keying> keyFromHere() {
        if (heads.any() && head().isPresent()) {
            log.error("The record of where the audit chain's keyed links begin (audit_keying) is gone, though the"
                    + " head file {} shows the chain was keyed: the database was tampered with. No event is linked"
                    + " until it is restored; the chain's verification reports it.", heads.file());
            return Optional.empty();
        }
        List<Queued> queued = new ArrayList<>();
        List<AuditEvent> unsealed = jdbc.sql("""
                SELECT e.*, u.occurred_at AS queued_at FROM audit_unlinked u JOIN audit_events e ON e.id = u.event_id
                 WHERE e.seal IS NULL AND NOT EXISTS (SELECT 1 FROM audit_chain c WHERE c.event_id = e.id)
                 ORDER BY u.occurred_at, u.event_id
                """).query((rs, n) -> {
                    AuditEvent event = AuditEvents.row(rs, n);
                    queued.add(new Queued(rs.getObject("queued_at", OffsetDateTime.class), event.id()));
                    return event;
                }).list();
        Link last = head().orElse(new Link(0, GENESIS));
        OffsetDateTime now = OffsetDateTime.now(clock).truncatedTo(ChronoUnit.MICROS);
        long position = last.position();
        String hash = last.hash();
        for (AuditEvent event : unsealed) {
            position++;
            String next = hash(hash, event);
            jdbc.sql("""
                    INSERT INTO audit_chain (position, event_id, previous_hash, hash, linked_at)
                    VALUES (:position, :eventId, :previousHash, :hash, :linkedAt)""")
                    .param("position", position).param("eventId", event.id()).param("previousHash", hash)
                    .param("hash", next).param("linkedAt", now).update();
            hash = next;
        }
        if (!queued.isEmpty()) {
            dequeueLinked(queued);
        }
        Keying keying = new Keying(position, key.id(), now.toInstant(), key.keying(position));
        jdbc.sql("""
                INSERT INTO audit_keying (id, keyed_after, key_id, recorded_at, mac)
                VALUES (1, :keyedAfter, :keyId, :recordedAt, :mac)""")
                .param("keyedAfter", keying.keyedAfter()).param("keyId", keying.keyId()).param("recordedAt", now)
                .param("mac", keying.mac()).update();
        log.info("The audit chain is keyed from link {} on (key {}); the {} links before stay SHA-256", position + 1,
                key.id(), position);
        return Optional.of(keying);
    }

    /**
     * Recomputes every link from the events as stored now, checks it against the heads written outside the
     * database, looks for events outside the chain, and checks the index of records read against the ids
     * sealed in the read events. Names the first problem found.
     */
    Verification verify() {
        Verification verification = verifyNow();
        record(verification);
        return verification;
    }

    /**
     * Records a verification's result, signed, in {@code audit_verifications}, where every node's metrics read
     * the latest (ADR 0025). When it cannot be written, the verification fails (a failed run of the job, or an
     * error answer): a result that no node shows must not pass for a verification.
     */
    private void record(Verification verification) {
        UUID id = UUID.randomUUID();
        OffsetDateTime at = OffsetDateTime.now(clock).truncatedTo(ChronoUnit.MICROS);
        String problem = verification.problem() == null || verification.problem().length() <= PROBLEM_LENGTH
                ? verification.problem() : verification.problem().substring(0, PROBLEM_LENGTH);
        jdbc.sql("""
                INSERT INTO audit_verifications (id, verified_at, node, intact, linked_events, unlinked_events,
                                                 first_broken_position, event_id, problem, mac)
                VALUES (:id, :verifiedAt, :node, :intact, :linked, :unlinked, :firstBroken, :eventId, :problem, :mac)""")
                .param("id", id).param("verifiedAt", at).param("node", node).param("intact", verification.intact())
                .param("linked", verification.linkedEvents()).param("unlinked", verification.unlinkedEvents())
                .param("firstBroken", verification.firstBrokenPosition()).param("eventId", verification.eventId())
                .param("problem", problem)
                .param("mac", key.verification(id, at.toInstant(), node, verification.intact(),
                        verification.linkedEvents(), verification.unlinkedEvents(), verification.firstBrokenPosition(),
                        verification.eventId(), problem))
                .update();
    }

    private Verification verifyNow() {
        long unlinked = jdbc.sql("SELECT COUNT(*) FROM audit_unlinked").query(Long.class).single();
        Checker check = new Checker(unlinked);
        List<AuditHeads.Head> written = heads.read();
        for (AuditHeads.Head head : written) {
            if (!head.signed()) {
                return check.broken(head.position() < 0 ? null : head.position(), "line " + head.line()
                        + " of the head file " + heads.file() + " is not signed with the chain's key: the file was"
                        + " edited");
            }
        }
        Map<Long, List<AuditHeads.Head>> headsAt = written.stream()
                .collect(Collectors.groupingBy(AuditHeads.Head::position));
        Optional<AuditHeads.Head> longest = written.stream().max(Comparator.comparingLong(AuditHeads.Head::position));
        Optional<Link> head = head();
        if (head.isEmpty() && longest.isPresent() && longest.get().position() > 0) {
            return check.broken(1L, "the chain is empty, but the head file recorded " + longest.get().position()
                    + " links at " + longest.get().recordedAt() + ": the audit tables were emptied");
        }
        Optional<Keying> keying = keying();
        if (keying.isEmpty()) {
            if (head.isPresent() || !written.isEmpty()) {
                return check.broken(1L, "the record of where the keyed links begin (audit_keying) is missing: it was"
                        + " deleted in the database");
            }
            return check.intact();
        }
        long keyedAfter = keying.get().keyedAfter();
        if (!keying.get().keyId().equals(key.id())) {
            return check.broken(keyedAfter + 1, "the chain is keyed with key " + keying.get().keyId()
                    + ", but this server holds key " + key.id());
        }
        if (!AuditKey.same(key.keying(keyedAfter), keying.get().mac())) {
            return check.broken(keyedAfter + 1, "the record of where the keyed links begin (audit_keying) was"
                    + " changed: its signature does not hold");
        }
        long from = 0;
        while (true) {
            List<Stored> links = jdbc.sql("""
                    SELECT c.position, c.previous_hash, c.hash, c.linked_at, c.event_id, e.*
                      FROM audit_chain c LEFT JOIN audit_events e ON e.id = c.event_id
                     WHERE c.position > :from ORDER BY c.position LIMIT 1000
                    """).param("from", from).query(AuditChain::stored).list();
            if (links.isEmpty()) {
                break;
            }
            for (Stored link : links) {
                Verification broken = check.link(link, keyedAfter, headsAt.getOrDefault(link.position(), List.of()));
                if (broken != null) {
                    return broken;
                }
                from = link.position();
            }
        }
        if (longest.isPresent() && longest.get().position() > check.checked) {
            return check.broken(check.checked + 1, "the chain ends at link " + check.checked + ", but the head file"
                    + " recorded link " + longest.get().position() + " at " + longest.get().recordedAt()
                    + ": the last events and their links were removed");
        }
        if (keyedAfter > check.checked) {
            return check.broken(check.checked + 1, "the chain ends at link " + check.checked
                    + ", before link " + keyedAfter + " where the keyed links begin: the last links were removed");
        }
        return outside(check);
    }

    /** Events that are not in the chain and not honestly waiting for it. */
    private Verification outside(Checker check) {
        Optional<UUID> vanished = jdbc.sql("""
                SELECT u.event_id FROM audit_unlinked u
                 WHERE NOT EXISTS (SELECT 1 FROM audit_events e WHERE e.id = u.event_id)
                 ORDER BY u.occurred_at, u.event_id LIMIT 1""").query(UUID.class).optional();
        if (vanished.isPresent()) {
            return check.outside(vanished.get(), "event " + vanished.get() + " was removed while it waited to be"
                    + " linked (its place in the queue is left)");
        }
        for (Stored queued : jdbc.sql("""
                SELECT e.* FROM audit_unlinked u JOIN audit_events e ON e.id = u.event_id
                 WHERE NOT EXISTS (SELECT 1 FROM audit_chain c WHERE c.event_id = e.id)
                 ORDER BY u.occurred_at, u.event_id""").query(AuditChain::unlinked).list()) {
            if (!AuditKey.same(key.seal(queued.event()), queued.seal())) {
                return check.outside(queued.event().id(), forged(queued.event(), "waits in the queue"));
            }
        }
        Optional<Stored> astray = jdbc.sql("""
                SELECT e.* FROM audit_events e
                 WHERE NOT EXISTS (SELECT 1 FROM audit_chain c WHERE c.event_id = e.id)
                   AND NOT EXISTS (SELECT 1 FROM audit_unlinked u WHERE u.event_id = e.id)
                 ORDER BY e.occurred_at, e.id LIMIT 1""").query(AuditChain::unlinked).optional();
        if (astray.isPresent()) {
            AuditEvent event = astray.get().event();
            if (AuditKey.same(key.seal(event), astray.get().seal())) {
                return check.outside(event.id(), "event " + event.id() + " is neither linked nor waiting to be"
                        + " linked: it was taken out of the queue before it was linked");
            }
            return check.outside(event.id(), forged(event, "is neither linked nor waiting to be linked"));
        }
        ReadIndex.Check index = reads.check();
        if (!index.matches()) {
            return check.broken(null, "the index of records read (audit_reads) does not match the ids sealed in the"
                    + " read events (" + index.indexed() + " entries against " + index.sealed() + "): entries were"
                    + " removed, added or changed in the database");
        }
        return check.intact();
    }

    private static String forged(AuditEvent event, String where) {
        return "event " + event.id() + " (" + event.action() + " at " + event.occurredAt().toInstant() + ") " + where
                + " and has no valid seal: it was not written by the server but inserted into the database directly"
                + " (forged)";
    }

    /** Walks the chain link by link and knows how far it got. */
    private final class Checker {

        private final long unlinked;
        private long checked;
        private String expectedPrevious = GENESIS;

        Checker(long unlinked) {
            this.unlinked = unlinked;
        }

        /** Checks the next link; answers the problem, or null when it holds. */
        Verification link(Stored link, long keyedAfter, List<AuditHeads.Head> headsHere) {
            long position = link.position();
            if (position != checked + 1) {
                return broken(checked + 1, "link " + (checked + 1) + " is missing");
            }
            if (!expectedPrevious.equals(link.previousHash())) {
                return broken(position, "link " + position + " does not follow link " + (position - 1)
                        + ": links were removed, reordered or rewritten");
            }
            AuditEvent event = link.event();
            if (event == null) {
                return broken(position, "the event of link " + position + " is missing");
            }
            String legacy = hash(expectedPrevious, event);
            if (position <= keyedAfter) {
                if (!legacy.equals(link.hash())) {
                    return broken(position, "the event of link " + position + " was changed");
                }
            } else {
                if (!AuditKey.same(key.seal(event), link.seal())) {
                    return broken(position, "the event of link " + position + " was changed: "
                            + (link.seal() == null ? "it has no seal" : "its seal does not hold"));
                }
                if (!AuditKey.same(key.link(position, expectedPrevious, link.linkedAt(), event), link.hash())) {
                    return broken(position, legacy.equals(link.hash())
                            ? "link " + position + " is not keyed, though every link after " + keyedAfter
                                    + " must be: the chain was recomputed without the key"
                            : "link " + position + " was changed: its hash does not hold under the key");
                }
            }
            for (AuditHeads.Head head : headsHere) {
                if (!head.hash().equals(link.hash())) {
                    return broken(position, "link " + position + " differs from the head recorded at "
                            + head.recordedAt() + ": the chain was rewritten from here");
                }
            }
            expectedPrevious = link.hash();
            checked++;
            return null;
        }

        Verification broken(Long position, String problem) {
            return new Verification(false, checked, unlinked, position, problem, null);
        }

        Verification outside(UUID event, String problem) {
            return new Verification(false, checked, unlinked, null, problem, event);
        }

        Verification intact() {
            return new Verification(true, checked, unlinked, null, null, null);
        }
    }

    private static Stored stored(ResultSet rs, int n) throws SQLException {
        return new Stored(rs.getLong("position"), rs.getString("previous_hash"), rs.getString("hash"),
                rs.getObject("linked_at", OffsetDateTime.class).toInstant(),
                rs.getObject("id", UUID.class) == null ? null : AuditEvents.row(rs, n), rs.getString("seal"));
    }

    private static Stored unlinked(ResultSet rs, int n) throws SQLException {
        return new Stored(0, null, null, null, AuditEvents.row(rs, n), rs.getString("seal"));
    }

    private Optional<Keying> keying() {
        return jdbc.sql("SELECT keyed_after, key_id, recorded_at, mac FROM audit_keying WHERE id = 1")
                .query((rs, n) -> new Keying(rs.getLong(1), rs.getString(2),
                        rs.getObject(3, OffsetDateTime.class).toInstant(), rs.getString(4)))
                .optional();
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
