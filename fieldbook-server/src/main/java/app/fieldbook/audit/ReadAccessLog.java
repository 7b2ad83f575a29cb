package app.fieldbook.audit;

import app.fieldbook.AppendedIds;
import app.fieldbook.RejectedRequest;
import app.fieldbook.identity.RecordsRead;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The read-access log (ADR 0017): when it is on ({@code fieldbook.audit.read-access}, or the regulated
 * compliance mode), every {@link RecordsRead} becomes audit events, one per site of the records read, sealed
 * and linked into the keyed chain like every other event; the ids read are in the sealed {@code changes}
 * ({@code {"ids": [...]}}) and indexed in {@code audit_reads}. When the log is off, a read costs a look at one
 * field.
 *
 * <p>Reads are written by group commit: the request hands its read, once the read's own transaction has
 * committed, to one writer and waits for it. The writer puts the reads that arrived while the previous batch
 * committed, or within {@code fieldbook.audit.read-access-window} of the first of them, into one transaction
 * (the events sent at commit, the index rows as one JDBC batch), in the order they arrived, and answers each
 * read when that transaction has committed or failed. A request whose read is not committed within
 * {@code fieldbook.audit.read-access-wait}, or whose batch fails, is refused 503 {@code server-busy} with
 * {@code Retry-After}: a read that is not logged is not served. A read given up on after the writer took it
 * may still be committed: then it is logged and not served, never the other way round.
 */
@Component
class ReadAccessLog {

    /** The actions of read events: the names of {@link RecordsRead.Access}. */
    static final List<String> ACTIONS = Arrays.stream(RecordsRead.Access.values()).map(Enum::name).toList();

    /** The most reads waiting for the writer; one more is refused at once. */
    private static final int MOST_WAITING = 4_096;
    /** A batch takes no more reads once it holds this many index rows (it holds at least one read). */
    private static final int MOST_ROWS_A_BATCH = 10_000;

    private static final Logger log = LoggerFactory.getLogger(ReadAccessLog.class);

    private final AuditEvents events;
    private final JdbcTemplate batches;
    private final TransactionTemplate ownTransaction;
    private final JsonMapper json;
    private final Clock clock;
    private final boolean on;
    private final Duration window;
    private final Duration wait;
    private final BlockingQueue<Pending> waiting = new ArrayBlockingQueue<>(MOST_WAITING);
    private final AtomicLong committedBatches = new AtomicLong();
    private final Thread writer;

    ReadAccessLog(AuditEvents events, JdbcTemplate batches, PlatformTransactionManager transactions,
            JsonMapper json, Clock clock, AuditSettings settings, ComplianceSettings compliance) {
        this.events = events;
        this.batches = batches;
        this.ownTransaction = new TransactionTemplate(transactions);
        this.json = json;
        this.clock = clock;
        this.on = settings.logsReads(compliance);
        this.window = settings.readAccessWindow();
        this.wait = settings.readAccessWait();
        log.info("Read-access logging is {} (compliance mode {})", on ? "on" : "off",
                compliance.mode().name().toLowerCase());
        this.writer = on ? Thread.ofPlatform().name("read-access-log").daemon().start(this::write) : null;
    }

    /** Whether reads are logged. */
    boolean on() {
        return on;
    }

    /** How many batches of reads the writer has committed since the start. */
    long committedBatches() {
        return committedBatches.get();
    }

    /**
     * Logs the read after the transaction it was published in commits (at once when published outside one)
     * and returns once it is committed; a read whose transaction rolls back is not written.
     *
     * @throws RejectedRequest 503 {@code server-busy} when the read could not be logged within
     *     {@code fieldbook.audit.read-access-wait}: the read is not to be served
     */
    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    void recordBeforeAnswering(RecordsRead read) {
        if (!on || read.records().isEmpty()) {
            return;
        }
        Pending pending = new Pending(entries(read), System.nanoTime());
        if (!waiting.offer(pending)) {
            throw notLogged("too many reads are waiting to be logged");
        }
        try {
            pending.outcome.get(wait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            pending.giveUp();
            throw notLogged("it was not logged within " + wait);
        } catch (ExecutionException e) {
            throw notLogged("its batch failed to commit: " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            pending.giveUp();
            Thread.currentThread().interrupt();
            throw notLogged("the request was interrupted");
        }
    }

    @PreDestroy
    void stop() throws InterruptedException {
        if (writer != null) {
            writer.interrupt();
            writer.join(Duration.ofSeconds(10));
        }
    }

    /** The events of a read, one per site, with their index rows; made in the request's thread. */
    private Entries entries(RecordsRead read) {
        RequestOrigin.Origin origin = RequestOrigin.current().orElse(new RequestOrigin.Origin(null, null));
        OffsetDateTime now = OffsetDateTime.now(clock);
        Map<UUID, Set<String>> bySite = new LinkedHashMap<>();
        for (RecordsRead.Item item : read.records()) {
            bySite.computeIfAbsent(item.siteId(), site -> new LinkedHashSet<>()).add(item.id());
        }
        List<AuditEvent> made = new ArrayList<>(bySite.size());
        List<Object[]> index = new ArrayList<>(read.records().size());
        for (Map.Entry<UUID, Set<String>> site : bySite.entrySet()) {
            List<String> ids = List.copyOf(site.getValue());
            UUID eventId = AppendedIds.next();
            made.add(new AuditEvent(eventId, now, read.actor() == null ? null : read.actor().id(),
                    read.actor() == null ? null : read.actor().login(), read.access().name(), read.entityType(),
                    ids.size() == 1 ? ids.getFirst() : null, site.getKey(),
                    json.writeValueAsString(Map.of("ids", ids)), origin.requestId(), origin.clientAddress()));
            for (String id : ids) {
                index.add(new Object[] {id, eventId});
            }
        }
        return new Entries(made, index);
    }

    /** The writer's loop: one batch after the other until the server stops. */
    private void write() {
        try {
            while (true) {
                List<Pending> batch = gather();
                if (!batch.isEmpty()) {
                    commit(batch);
                }
            }
        } catch (InterruptedException e) {
            List<Pending> left = new ArrayList<>();
            waiting.drainTo(left);
            left.forEach(pending -> pending.outcome.completeExceptionally(
                    new IllegalStateException("the server is stopping")));
        }
    }

    /**
     * The next batch: the first read waiting, every read that came while the previous batch committed, and
     * those that come until the first has waited {@code window}, up to {@link #MOST_ROWS_A_BATCH} index rows.
     * Reads given up on by their requests are left out.
     */
    private List<Pending> gather() throws InterruptedException {
        List<Pending> batch = new ArrayList<>();
        Pending first = waiting.take();
        long deadline = first.handedAt + window.toNanos();
        int rows = 0;
        for (Pending next = first; next != null; ) {
            if (next.take()) {
                batch.add(next);
                rows += next.entries.index().size();
            }
            if (rows >= MOST_ROWS_A_BATCH) {
                break;
            }
            next = waiting.poll();
            if (next == null) {
                long left = deadline - System.nanoTime();
                next = left > 0 ? waiting.poll(left, TimeUnit.NANOSECONDS) : null;
            }
        }
        return batch;
    }

    /** Writes the batch in one transaction and answers each of its reads with the outcome. */
    private void commit(List<Pending> batch) {
        try {
            ownTransaction.executeWithoutResult(status -> {
                List<Object[]> index = new ArrayList<>();
                for (Pending pending : batch) {
                    pending.entries.events().forEach(events::insert);
                    index.addAll(pending.entries.index());
                }
                batches.batchUpdate("INSERT INTO audit_reads (entity_id, event_id) VALUES (?, ?)", index);
            });
            committedBatches.incrementAndGet();
            batch.forEach(pending -> pending.outcome.complete(null));
        } catch (RuntimeException e) {
            log.error("A batch of {} reads could not be written to the read-access log; none of them is served",
                    batch.size(), e);
            batch.forEach(pending -> pending.outcome.completeExceptionally(e));
        }
    }

    private static RejectedRequest notLogged(String why) {
        return RejectedRequest.busy("The read could not be written to the read-access log (" + why + "), so it is"
                + " not served. Send it again after the seconds in the Retry-After header.");
    }

    /** The audit events of one read and its rows of the index of ids read. */
    private record Entries(List<AuditEvent> events, List<Object[]> index) {
    }

    /** A read handed to the writer: taken into a batch by the writer or given up on by its request, not both. */
    private static final class Pending {

        private final Entries entries;
        private final long handedAt;
        private final CompletableFuture<Void> outcome = new CompletableFuture<>();
        private final AtomicBoolean settled = new AtomicBoolean();

        Pending(Entries entries, long handedAt) {
            this.entries = entries;
            this.handedAt = handedAt;
        }

        /** The writer takes the read into a batch, unless its request gave up on it first. */
        boolean take() {
            return settled.compareAndSet(false, true);
        }

        /** The request gives up on it; a read the writer already took may still be committed. */
        void giveUp() {
            settled.compareAndSet(false, true);
        }
    }
}
