package app.fieldbook.audit;

import app.fieldbook.InsertsAtCommit;
import app.fieldbook.identity.Actor;
import app.fieldbook.sites.ScopedQuery;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The audit trail, in table {@code audit_events}. Insert and read only: there is no update and no delete. */
@Repository
class AuditEvents {

    /** Optional filters of the audit query. */
    record Filter(String entityType, String entityId, UUID actorId, UUID siteId, OffsetDateTime from,
            OffsetDateTime to) {
    }

    private final JdbcClient jdbc;
    private final InsertsAtCommit inserts;
    private final AuditKey key;

    AuditEvents(JdbcClient jdbc, InsertsAtCommit inserts, AuditKey key) {
        this.jdbc = jdbc;
        this.inserts = inserts;
        this.key = key;
    }

    /**
     * Queues the event, sealed with the chain's key, and its place in the queue of events to link; both are
     * written at commit. The linker links only events whose seal holds.
     */
    void insert(AuditEvent event) {
        inserts.add("""
                INSERT INTO audit_events (id, occurred_at, actor_id, actor_login, action, entity_type, entity_id,
                    site_id, changes, request_id, client_address, seal)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                event.id(), event.occurredAt(), event.actorId(), event.actorLogin(), event.action(),
                event.entityType(), event.entityId(), event.siteId(), event.changes(), event.requestId(),
                event.clientAddress(), key.seal(event));
        inserts.add("INSERT INTO audit_unlinked (event_id, occurred_at) VALUES (?, ?)", event.id(),
                event.occurredAt());
    }

    /**
     * Events of {@code log} the person may see, newest first. Executives and administrators see every event;
     * managers the events of their sites (events tied to no site are not theirs to see).
     */
    List<AuditEvent> page(Log log, Filter filter, Actor actor, int page, int size) {
        return query(log, filter, actor)
                .statement(jdbc, """
                        SELECT * FROM audit_events e""", """
                         ORDER BY e.occurred_at DESC, e.id
                         LIMIT :limit OFFSET :offset""")
                .param("limit", size).param("offset", (long) page * size)
                .query(AuditEvents::row).list();
    }

    long count(Log log, Filter filter, Actor actor) {
        return query(log, filter, actor)
                .statement(jdbc, """
                        SELECT COUNT(*) FROM audit_events e""")
                .query(Long.class).single();
    }

    static AuditEvent row(ResultSet rs, int n) throws SQLException {
        return new AuditEvent(
                rs.getObject("id", UUID.class),
                rs.getObject("occurred_at", OffsetDateTime.class),
                rs.getObject("actor_id", UUID.class),
                rs.getString("actor_login"),
                rs.getString("action"),
                rs.getString("entity_type"),
                rs.getString("entity_id"),
                rs.getObject("site_id", UUID.class),
                rs.getString("changes"),
                rs.getString("request_id"),
                rs.getString("client_address"));
    }

    /**
     * The two logs kept in the audit trail: the changes (and every other event), and the reads (the
     * read-access log), whose entity filter finds the reads that named a record.
     */
    enum Log {
        CHANGES, READS
    }

    /** Events tied to no site match no site scope, so only those who see every site see them. */
    private static ScopedQuery query(Log log, Filter filter, Actor actor) {
        ScopedQuery query = ScopedQuery.ofSite(actor, "e.site_id", filter.siteId());
        query = switch (log) {
            case CHANGES -> query.where("e.action NOT IN (:readActions)", ReadAccessLog.ACTIONS)
                    .filter("e.entity_id = :entityId", filter.entityId());
            case READS -> query.where("e.action IN (:readActions)", ReadAccessLog.ACTIONS)
                    .filter("EXISTS (SELECT 1 FROM audit_reads r WHERE r.entity_id = :entityId AND r.event_id = e.id)",
                            filter.entityId());
        };
        return query
                .filter("e.entity_type = :entityType", filter.entityType())
                .filter("e.actor_id = :actorId", filter.actorId())
                .filter("e.occurred_at >= :from", filter.from())
                .filter("e.occurred_at < :to", filter.to());
    }
}
