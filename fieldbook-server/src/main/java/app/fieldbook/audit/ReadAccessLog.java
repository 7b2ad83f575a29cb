package app.fieldbook.audit;

import app.fieldbook.AppendedIds;
import app.fieldbook.identity.RecordsRead;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The read-access log (ADR 0017): when it is on ({@code fieldbook.audit.read-access}, or the regulated
 * compliance mode), every {@link RecordsRead} becomes audit events, one per site of the records read, sealed
 * and linked into the keyed chain like every other event; the ids read are in the sealed {@code changes}
 * ({@code {"ids": [...]}}) and indexed in {@code audit_reads}. A read is written after the read's own
 * transaction committed, in a transaction of its own, in three round trips whatever the number of records:
 * the index rows as one JDBC batch, the events at commit, the commit. When the log is off, a read costs a
 * look at one field.
 */
@Component
class ReadAccessLog {

    /** The actions of read events: the names of {@link RecordsRead.Access}. */
    static final List<String> ACTIONS = Arrays.stream(RecordsRead.Access.values()).map(Enum::name).toList();

    private static final Logger log = LoggerFactory.getLogger(ReadAccessLog.class);

    private final AuditEvents events;
    private final JdbcTemplate batches;
    private final TransactionTemplate ownTransaction;
    private final JsonMapper json;
    private final Clock clock;
    private final boolean on;

    ReadAccessLog(AuditEvents events, JdbcTemplate batches, PlatformTransactionManager transactions,
            JsonMapper json, Clock clock, AuditSettings settings, ComplianceSettings compliance) {
        this.events = events;
        this.batches = batches;
        this.ownTransaction = new TransactionTemplate(transactions);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.json = json;
        this.clock = clock;
        this.on = settings.logsReads(compliance);
        log.info("Read-access logging is {} (compliance mode {})", on ? "on" : "off",
                compliance.mode().name().toLowerCase());
    }

    /** Whether reads are logged. */
    boolean on() {
        return on;
    }

    /**
     * Writes the read after the transaction it was published in commits (at once when published outside
     * one), in a transaction of its own; a read whose transaction rolls back is not written.
     */
    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    void recordInOwnTransaction(RecordsRead read) {
        if (!on || read.records().isEmpty()) {
            return;
        }
        ownTransaction.executeWithoutResult(status -> record(read));
    }

    private void record(RecordsRead read) {
        RequestOrigin.Origin origin = RequestOrigin.current().orElse(new RequestOrigin.Origin(null, null));
        OffsetDateTime now = OffsetDateTime.now(clock);
        Map<UUID, Set<String>> bySite = new LinkedHashMap<>();
        for (RecordsRead.Item item : read.records()) {
            bySite.computeIfAbsent(item.siteId(), site -> new LinkedHashSet<>()).add(item.id());
        }
        List<Object[]> index = new ArrayList<>(read.records().size());
        for (Map.Entry<UUID, Set<String>> site : bySite.entrySet()) {
            List<String> ids = List.copyOf(site.getValue());
            UUID eventId = AppendedIds.next();
            events.insert(new AuditEvent(eventId, now, read.actor() == null ? null : read.actor().id(),
                    read.actor() == null ? null : read.actor().login(), read.access().name(), read.entityType(),
                    ids.size() == 1 ? ids.getFirst() : null, site.getKey(),
                    json.writeValueAsString(Map.of("ids", ids)), origin.requestId(), origin.clientAddress()));
            for (String id : ids) {
                index.add(new Object[] {id, eventId});
            }
        }
        batches.batchUpdate("INSERT INTO audit_reads (entity_id, event_id) VALUES (?, ?)", index);
    }
}
