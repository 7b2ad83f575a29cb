package app.fieldbook.sync.conflicts;

import app.fieldbook.identity.Actor;
import app.fieldbook.protocol.Conflict;
import app.fieldbook.protocol.ConflictState;
import app.fieldbook.sites.ScopedQuery;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sync conflicts, in table {@code sync_conflicts}, values kept as JSON. A conflict is visible to the
 * author of its record and to the managers and executives who see its site.
 */
@Repository
public class Conflicts {

    /** A conflict as stored, with its values as JSON text. */
    public record Row(UUID id, String entity, UUID entityId, UUID siteId, UUID authorId, String field, String serverValue,
            UUID serverChangedBy, OffsetDateTime serverChangedAt, String clientValue, UUID clientChangedBy,
            UUID clientDeviceId, OffsetDateTime clientChangedAt, UUID operationId, ConflictState state,
            String resolvedValue, UUID resolvedBy, OffsetDateTime resolvedAt, long version, OffsetDateTime createdAt) {
    }

    private final JdbcClient jdbc;
    private final JsonMapper json;

    Conflicts(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    void insert(Row row) {
        jdbc.sql("""
                INSERT INTO sync_conflicts (id, entity, entity_id, site_id, author_id, field, server_value,
                    server_changed_by, server_changed_at, client_value, client_changed_by, client_device_id,
                    client_changed_at, operation_id, state, version, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
                .params(row.id(), row.entity(), row.entityId(), row.siteId(), row.authorId(), row.field(),
                        row.serverValue(), row.serverChangedBy(), row.serverChangedAt(), row.clientValue(),
                        row.clientChangedBy(), row.clientDeviceId(), row.clientChangedAt(), row.operationId(),
                        row.state().name(), row.version(), row.createdAt())
                .update();
    }

    boolean resolve(UUID id, long expectedVersion, String resolvedValue, UUID resolvedBy, OffsetDateTime now) {
        return jdbc.sql("""
                UPDATE sync_conflicts SET state = 'RESOLVED', resolved_value = ?, resolved_by = ?, resolved_at = ?,
                    version = version + 1
                 WHERE id = ? AND version = ? AND state = 'OPEN'
                """)
                .params(resolvedValue, resolvedBy, now, id, expectedVersion).update() == 1;
    }

    Optional<Row> findVisible(UUID id, Actor actor) {
        return visibleTo(actor)
                .where("c.id = :id", id)
                .statement(jdbc, """
                        SELECT * FROM sync_conflicts c""")
                .query(this::row).optional();
    }

    public List<Row> findVisible(Collection<UUID> ids, Actor actor) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return visibleTo(actor)
                .where("c.id IN (:ids)", List.copyOf(ids))
                .statement(jdbc, """
                        SELECT * FROM sync_conflicts c""")
                .query(this::row).list();
    }

    List<Row> open(Actor actor, int limit) {
        return visibleTo(actor)
                .where("c.state = 'OPEN'")
                .statement(jdbc, """
                        SELECT * FROM sync_conflicts c""", """
                         ORDER BY c.created_at, c.id
                         LIMIT :limit""")
                .param("limit", limit)
                .query(this::row).list();
    }

    List<Row> openOf(UUID entityId) {
        return jdbc.sql("""
                SELECT * FROM sync_conflicts WHERE entity_id = :entityId AND state = 'OPEN' ORDER BY created_at, id""")
                .param("entityId", entityId).query(this::row).list();
    }

    public Conflict toWire(Row row) {
        return new Conflict(row.id(), row.entity(), row.entityId(), row.siteId(), row.field(), value(row.serverValue()),
                row.serverChangedBy(), row.serverChangedAt(), value(row.clientValue()), row.clientChangedBy(),
                row.clientDeviceId(), row.clientChangedAt(), row.state(), value(row.resolvedValue()), row.resolvedBy(),
                row.resolvedAt(), row.version());
    }

    String write(Object value) {
        return json.writeValueAsString(value);
    }

    Object value(String stored) {
        return stored == null ? null : json.readValue(stored, Object.class);
    }

    /** A worker sees the conflicts of their own records, an administrator none. */
    private static ScopedQuery visibleTo(Actor actor) {
        ScopedQuery query = ScopedQuery.of(actor, "c.site_id");
        return switch (actor.role()) {
            case WORKER -> query.where("c.author_id = :me", actor.id());
            case ADMINISTRATOR -> query.where("1 = 0");
            case MANAGER, EXECUTIVE -> query;
        };
    }

    private Row row(ResultSet rs, int n) throws SQLException {
        return new Row(
                rs.getObject("id", UUID.class),
                rs.getString("entity"),
                rs.getObject("entity_id", UUID.class),
                rs.getObject("site_id", UUID.class),
                rs.getObject("author_id", UUID.class),
                rs.getString("field"),
                rs.getString("server_value"),
                rs.getObject("server_changed_by", UUID.class),
                rs.getObject("server_changed_at", OffsetDateTime.class),
                rs.getString("client_value"),
                rs.getObject("client_changed_by", UUID.class),
                rs.getObject("client_device_id", UUID.class),
                rs.getObject("client_changed_at", OffsetDateTime.class),
                rs.getObject("operation_id", UUID.class),
                ConflictState.valueOf(rs.getString("state")),
                rs.getString("resolved_value"),
                rs.getObject("resolved_by", UUID.class),
                rs.getObject("resolved_at", OffsetDateTime.class),
                rs.getLong("version"),
                rs.getObject("created_at", OffsetDateTime.class));
    }
}
