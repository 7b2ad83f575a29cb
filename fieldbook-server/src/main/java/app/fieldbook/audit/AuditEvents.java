package app.fieldbook.audit;

import app.fieldbook.InsertsAtCommit;
import app.fieldbook.identity.Actor;
import app.fieldbook.sites.DataScope;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

    AuditEvents(JdbcClient jdbc, InsertsAtCommit inserts) {
        this.jdbc = jdbc;
        this.inserts = inserts;
    }

    /** Queues the event and its place in the queue of events to link; both are written at commit. */
    void insert(AuditEvent event) {
        inserts.add("""
                INSERT INTO audit_events (id, occurred_at, actor_id, actor_login, action, entity_type, entity_id,
                    site_id, changes, request_id, client_address)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                event.id(), event.occurredAt(), event.actorId(), event.actorLogin(), event.action(),
                event.entityType(), event.entityId(), event.siteId(), event.changes(), event.requestId(),
                event.clientAddress());
        inserts.add("INSERT INTO audit_unlinked (event_id, occurred_at) VALUES (?, ?)", event.id(),
                event.occurredAt());
    }

    /**
     * Events the person may see, newest first. Executives and administrators see every event; managers
     * the events of their sites (events tied to no site are not theirs to see).
     */
    List<AuditEvent> page(Filter filter, Actor actor, int page, int size) {
        Query query = query(filter, actor);
        return jdbc.sql("SELECT * FROM audit_events e WHERE " + query.where
                        + " ORDER BY e.occurred_at DESC, e.id LIMIT :limit OFFSET :offset")
                .params(query.parameters).param("limit", size).param("offset", (long) page * size)
                .query(AuditEvents::row).list();
    }

    long count(Filter filter, Actor actor) {
        Query query = query(filter, actor);
        return jdbc.sql("SELECT COUNT(*) FROM audit_events e WHERE " + query.where)
                .params(query.parameters).query(Long.class).single();
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

    private record Query(String where, Map<String, Object> parameters) {
    }

    private static Query query(Filter filter, Actor actor) {
        DataScope scope = DataScope.of(actor);
        StringBuilder where = new StringBuilder(scope.seesEverySite() ? "1 = 1"
                : "e.site_id IS NOT NULL AND " + scope.sitePredicate("e.site_id"));
        Map<String, Object> parameters = new HashMap<>(scope.parameters());
        if (filter.entityType() != null) {
            where.append(" AND e.entity_type = :entityType");
            parameters.put("entityType", filter.entityType());
        }
        if (filter.entityId() != null) {
            where.append(" AND e.entity_id = :entityId");
            parameters.put("entityId", filter.entityId());
        }
        if (filter.actorId() != null) {
            where.append(" AND e.actor_id = :actorId");
            parameters.put("actorId", filter.actorId());
        }
        if (filter.siteId() != null) {
            where.append(" AND e.site_id = :siteId");
            parameters.put("siteId", filter.siteId());
        }
        if (filter.from() != null) {
            where.append(" AND e.occurred_at >= :from");
            parameters.put("from", filter.from());
        }
        if (filter.to() != null) {
            where.append(" AND e.occurred_at < :to");
            parameters.put("to", filter.to());
        }
        return new Query(where.toString(), parameters);
    }
}
