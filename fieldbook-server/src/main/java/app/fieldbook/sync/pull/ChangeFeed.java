package app.fieldbook.sync.pull;

import app.fieldbook.AppendedIds;
import app.fieldbook.BackgroundJobs;
import app.fieldbook.InsertsAtCommit;
import app.fieldbook.PerTransaction;
import app.fieldbook.attachments.PhotoEvent;
import app.fieldbook.attachments.PhotoEvent.PhotoAttached;
import app.fieldbook.attachments.PhotoEvent.PhotoRecaptioned;
import app.fieldbook.attachments.PhotoEvent.PhotoRemoved;
import app.fieldbook.attachments.PhotoEvent.PhotoStored;
import app.fieldbook.attachments.ThumbnailMade;
import app.fieldbook.identity.Actor;
import app.fieldbook.protocol.SyncProtocol;
import app.fieldbook.reports.ReportEvent;
import app.fieldbook.sync.ConflictEvent;
import app.fieldbook.reports.ReportEvent.ReportApproved;
import app.fieldbook.reports.ReportEvent.ReportCreated;
import app.fieldbook.reports.ReportEvent.ReportDeleted;
import app.fieldbook.reports.ReportEvent.ReportEdited;
import app.fieldbook.reports.ReportEvent.ReportReopened;
import app.fieldbook.reports.ReportEvent.ReportReturned;
import app.fieldbook.reports.ReportEvent.ReportSubmitted;
import app.fieldbook.sites.DataScope;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The change feed devices pull from. Every change of a synced record adds a row to {@code sync_changes}
 * in the transaction of the change, without a position. The sequencer later moves committed changes into
 * {@code sync_feed}, each with the next position, one sequencer at a time (a row lock), in the order it
 * finds them. A transaction that commits late therefore gets a position after everything already handed
 * out, and a pull that remembered the last position it saw never skips a change, however transactions
 * interleave.
 */
@Component
public class ChangeFeed {

    /** A positioned row of the feed. */
    record Entry(long position, String entity, UUID entityId, UUID siteId, boolean deleted) {
    }

    /** The sequencer's name as a background job ({@link BackgroundJobs}). */
    static final String SEQUENCING = "feed-sequencing";
    private static final int SEQUENCE_BATCH = 5000;
    private static final RowMapper<Entry> ENTRY = (rs, n) -> new Entry(rs.getLong(1), rs.getString(2),
            rs.getObject(3, UUID.class), rs.getObject(4, UUID.class), rs.getBoolean(5));

    private final JdbcClient jdbc;
    private final JdbcTemplate batches;
    private final InsertsAtCommit inserts;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final BackgroundJobs jobs;

    ChangeFeed(JdbcClient jdbc, JdbcTemplate batches, InsertsAtCommit inserts, TransactionTemplate transactions,
            Clock clock, BackgroundJobs jobs) {
        this.jobs = jobs;
        this.jdbc = jdbc;
        this.batches = batches;
        this.inserts = inserts;
        this.transactions = transactions;
        this.clock = clock;
    }

    @EventListener
    @Transactional(propagation = Propagation.MANDATORY)
    void recordInSameTransaction(ReportEvent event) {
        boolean deleted = switch (event) {
            case ReportDeleted gone -> true;
            case ReportCreated created -> false;
            case ReportEdited edited -> false;
            case ReportSubmitted submitted -> false;
            case ReportReturned returned -> false;
            case ReportApproved approved -> false;
            case ReportReopened reopened -> false;
        };
        record(SyncProtocol.REPORT, event.reportId(), event.siteId(), deleted);
    }

    @EventListener
    @Transactional(propagation = Propagation.MANDATORY)
    void recordInSameTransaction(PhotoEvent event) {
        boolean deleted = switch (event) {
            case PhotoRemoved gone -> true;
            case PhotoAttached attached -> false;
            case PhotoStored stored -> false;
            case PhotoRecaptioned recaptioned -> false;
        };
        record(SyncProtocol.PHOTO, event.photoId(), event.siteId(), deleted);
    }

    /** A thumbnail made later is no edit, but devices that pulled the photo without it need it again. */
    @EventListener
    @Transactional(propagation = Propagation.MANDATORY)
    void recordInSameTransaction(ThumbnailMade made) {
        record(SyncProtocol.PHOTO, made.photoId(), made.siteId(), false);
    }

    /** A conflict is never deleted: a resolved one stays, resolved, for every device of its site. */
    @EventListener
    @Transactional(propagation = Propagation.MANDATORY)
    void recordInSameTransaction(ConflictEvent event) {
        record(SyncProtocol.CONFLICT, event.conflictId(), event.siteId(), false);
    }

    /**
     * Queues the change for the sequencer, and a deletion also as a tombstone; both are written when the
     * transaction commits. A change the transaction recorded last for the same record already (a report created
     * and edited, or edited and submitted, by one operation) adds nothing: a pull reads the record as it is then,
     * so one row of the feed tells every device of both.
     */
    public void record(String entity, UUID entityId, UUID siteId, boolean deleted) {
        Change change = new Change(entity, entityId, siteId, deleted);
        boolean told = PerTransaction.state(Recorded.class, recorded -> recorded.owner() == this, Recorded::new)
                .map(recorded -> change.equals(recorded.last.put(entityId, change)))
                .orElse(false);
        if (told) {
            return;
        }
        OffsetDateTime now = OffsetDateTime.now(clock);
        inserts.add("INSERT INTO sync_changes (id, entity, entity_id, site_id, deleted, recorded_at) "
                + "VALUES (?, ?, ?, ?, ?, ?)", AppendedIds.next(), entity, entityId, siteId, deleted, now);
        if (deleted) {
            inserts.add("INSERT INTO sync_tombstones (id, entity_id, entity, site_id, deleted_at) "
                    + "VALUES (?, ?, ?, ?, ?)", AppendedIds.next(), entityId, entity, siteId, now);
        }
    }

    /** A change as the feed records it. */
    private record Change(String entity, UUID entityId, UUID siteId, boolean deleted) {
    }

    /**
     * The change this transaction recorded last for each record. A repeat keeps the first row's place in the feed,
     * which is right while no transaction inside this one ({@code REQUIRES_NEW}) records another change of the same
     * record in between: none does (only the audit trail starts such transactions).
     */
    private final class Recorded implements TransactionSynchronization {

        private final Map<UUID, Change> last = new HashMap<>();

        ChangeFeed owner() {
            return ChangeFeed.this;
        }
    }

    /** The site a record was on when it was last deleted, if it was deleted. */
    public Optional<UUID> siteOfDeleted(UUID entityId) {
        return jdbc.sql("SELECT site_id FROM sync_tombstones WHERE entity_id = ? ORDER BY deleted_at DESC, id DESC "
                        + "LIMIT 1")
                .param(entityId).query(UUID.class).optional();
    }

    /**
     * The sequencer's run when nobody pulls, every {@code fieldbook.sync.sequence-interval} on every node: a
     * background job. Nodes sequencing at once take turns on the sequencer's row lock (ADR 0023), and each
     * moves only the changes still waiting when it has the lock, so no change gets two positions.
     */
    @Scheduled(fixedDelayString = "${fieldbook.sync.sequence-interval:500ms}")
    void sequenceInBackground() {
        jobs.runScheduled(SEQUENCING, this::sequence);
    }

    /** Gives every committed change waiting for a position the next positions; returns how many. */
    int sequence() {
        int total = 0;
        int batch;
        do {
            Integer done = transactions.execute(status -> sequenceBatch());
            batch = done == null ? 0 : done;
            total += batch;
        } while (batch == SEQUENCE_BATCH);
        return total;
    }

    /** Moves up to one batch of committed changes into the feed, oldest first (their ids are time-ordered). */
    private int sequenceBatch() {
        long last = jdbc.sql("SELECT last_position FROM sync_sequencer WHERE id = 1 FOR UPDATE")
                .query(Long.class).single();
        List<Object[]> waiting = jdbc.sql("SELECT id, entity, entity_id, site_id, deleted, recorded_at "
                        + "FROM sync_changes ORDER BY id LIMIT ?")
                .param(SEQUENCE_BATCH)
                .query((rs, n) -> new Object[] {rs.getObject(1, UUID.class), rs.getString(2),
                        rs.getObject(3, UUID.class), rs.getObject(4, UUID.class), rs.getBoolean(5),
                        rs.getObject(6, OffsetDateTime.class)})
                .list();
        if (waiting.isEmpty()) {
            return 0;
        }
        List<Object[]> positioned = new java.util.ArrayList<>(waiting.size());
        List<Object[]> moved = new java.util.ArrayList<>(waiting.size());
        for (Object[] change : waiting) {
            positioned.add(new Object[] {++last, change[1], change[2], change[3], change[4], change[5]});
            moved.add(new Object[] {change[0]});
        }
        batches.batchUpdate("INSERT INTO sync_feed (position, entity, entity_id, site_id, deleted, recorded_at) "
                + "VALUES (?, ?, ?, ?, ?, ?)", positioned);
        batches.batchUpdate("DELETE FROM sync_changes WHERE id = ?", moved);
        jdbc.sql("UPDATE sync_sequencer SET last_position = ? WHERE id = 1").param(last).update();
        return waiting.size();
    }

    /** Up to {@code limit} rows after {@code cursor} whose site the person may see, in position order. */
    List<Entry> after(long cursor, int limit, Actor actor) {
        DataScope scope = DataScope.of(actor);
        return jdbc.sql("SELECT position, entity, entity_id, site_id, deleted FROM sync_feed f "
                        + "WHERE f.position > :cursor AND " + scope.sitePredicate("f.site_id")
                        + " ORDER BY f.position LIMIT :limit")
                .param("cursor", cursor).param("limit", limit).params(scope.parameters())
                .query(ENTRY)
                .list();
    }

    /**
     * Up to {@code limit} rows of one site with positions in ({@code after}, {@code upTo}], in position
     * order, if the person may see the site: the history of a site a device has just been given.
     */
    List<Entry> ofSite(UUID siteId, long after, long upTo, int limit, Actor actor) {
        DataScope scope = DataScope.of(actor);
        return jdbc.sql("SELECT position, entity, entity_id, site_id, deleted FROM sync_feed f "
                        + "WHERE f.site_id = :site AND f.position > :after AND f.position <= :upTo AND "
                        + scope.sitePredicate("f.site_id") + " ORDER BY f.position LIMIT :limit")
                .param("site", siteId).param("after", after).param("upTo", upTo).param("limit", limit)
                .params(scope.parameters())
                .query(ENTRY)
                .list();
    }
}
