package app.fieldbook.audit;

import app.fieldbook.identity.Actor;
import app.fieldbook.protocol.Page;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reading the audit trail and the read-access log, scoped like the data: managers see the events of their
 * sites, executives and administrators all events. There is no endpoint that changes or deletes an event.
 */
@RestController
@RequestMapping("/api/v1/audit")
class AuditController {

    record EventView(UUID id, OffsetDateTime occurredAt, UUID actorId, String actorLogin, String action,
            String entityType, String entityId, UUID siteId, JsonNode changes, String requestId,
            String clientAddress) {
    }

    /** An entry of the read-access log: who was given which records of one site to read, how, when, from where. */
    record ReadView(UUID id, OffsetDateTime occurredAt, UUID actorId, String actorLogin, String action,
            String entityType, UUID siteId, List<String> ids, String requestId, String clientAddress) {
    }

    private final AuditEvents events;
    private final AuditChain chain;
    private final ReadIndex reads;

    private final JsonMapper json;

    AuditController(AuditEvents events, AuditChain chain, ReadIndex reads, JsonMapper json) {
        this.events = events;
        this.reads = reads;
        this.chain = chain;
        this.json = json;
    }

    @GetMapping("/events")
    @PreAuthorize("hasAnyRole('MANAGER', 'EXECUTIVE', 'ADMINISTRATOR')")
    Page<EventView> list(@AuthenticationPrincipal Actor actor,
            @RequestParam(required = false) @Size(max = 40) String entityType,
            @RequestParam(required = false) @Size(max = 64) String entityId,
            @RequestParam(required = false) UUID actorId,
            @RequestParam(required = false) UUID siteId,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) OffsetDateTime from,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) OffsetDateTime to,
            @RequestParam(defaultValue = "0") @Min(0) int page,
            @RequestParam(defaultValue = "50") @Min(1) @Max(500) int size) {
        var filter = new AuditEvents.Filter(entityType, entityId, actorId, siteId, from, to);
        return new Page<>(events.page(AuditEvents.Log.CHANGES, filter, actor, page, size).stream().map(this::view).toList(), page, size,
                events.count(AuditEvents.Log.CHANGES, filter, actor));
    }

    /**
     * The read-access log (when it is on: docs/security.md): who was given which reports and photos to read,
     * newest first, scoped like the audit trail. {@code entityId} finds the reads of one record.
     */
    @GetMapping("/reads")
    @PreAuthorize("hasAnyRole('MANAGER', 'EXECUTIVE', 'ADMINISTRATOR')")
    Page<ReadView> reads(@AuthenticationPrincipal Actor actor,
            @RequestParam(required = false) @Size(max = 40) String entityType,
            @RequestParam(required = false) @Size(max = 64) String entityId,
            @RequestParam(required = false) UUID actorId,
            @RequestParam(required = false) UUID siteId,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) OffsetDateTime from,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) OffsetDateTime to,
            @RequestParam(defaultValue = "0") @Min(0) int page,
            @RequestParam(defaultValue = "50") @Min(1) @Max(500) int size) {
        var filter = new AuditEvents.Filter(entityType, entityId, actorId, siteId, from, to);
        return new Page<>(events.page(AuditEvents.Log.READS, filter, actor, page, size).stream().map(this::readView).toList(), page,
                size, events.count(AuditEvents.Log.READS, filter, actor));
    }

    /**
     * Links what is pending and writes the head outside the database, then recomputes the whole chain and
     * checks it against every head written before.
     */
    @GetMapping("/verification")
    @PreAuthorize("hasRole('ADMINISTRATOR')")
    AuditChain.Verification verify() {
        chain.linkPending();
        chain.recordHead();
        return chain.verify();
    }

    private ReadView readView(AuditEvent event) {
        return new ReadView(event.id(), event.occurredAt(), event.actorId(), event.actorLogin(), event.action(),
                event.entityType(), event.siteId(), reads.idsOf(event), event.requestId(), event.clientAddress());
    }

    private EventView view(AuditEvent event) {
        return new EventView(event.id(), event.occurredAt(), event.actorId(), event.actorLogin(), event.action(),
                event.entityType(), event.entityId(), event.siteId(),
                event.changes() == null ? null : json.readTree(event.changes()), event.requestId(),
                event.clientAddress());
    }
}
