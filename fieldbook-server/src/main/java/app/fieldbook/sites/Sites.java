package app.fieldbook.sites;

import app.fieldbook.identity.Actor;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The sites, in table {@code sites}. Reads that answer a person are scoped by {@link ScopedQuery}. */
@Repository
public class Sites {

    private static final RowMapper<Site> ROW = (rs, n) -> new Site(
            rs.getObject("id", UUID.class),
            rs.getString("code"),
            rs.getString("name"),
            rs.getString("timezone"),
            rs.getString("address"),
            (Double) rs.getObject("latitude"),
            (Double) rs.getObject("longitude"),
            rs.getLong("version"),
            rs.getObject("created_at", OffsetDateTime.class),
            rs.getObject("updated_at", OffsetDateTime.class));

    private final JdbcClient jdbc;

    Sites(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The site, if it exists and the person may see it. */
    public Optional<Site> findVisible(UUID id, Actor actor) {
        return ScopedQuery.of(actor, "s.id")
                .where("s.id = :id", id)
                .statement(jdbc, """
                        SELECT * FROM sites s""")
                .query(ROW).optional();
    }

    /** The sites the person may see, ordered by code. */
    public List<Site> listVisible(Actor actor, int page, int size) {
        return ScopedQuery.of(actor, "s.id")
                .statement(jdbc, """
                        SELECT * FROM sites s""", """
                         ORDER BY s.code
                         LIMIT :limit OFFSET :offset""")
                .param("limit", size).param("offset", (long) page * size)
                .query(ROW).list();
    }

    public long countVisible(Actor actor) {
        return ScopedQuery.of(actor, "s.id")
                .statement(jdbc, """
                        SELECT COUNT(*) FROM sites s""")
                .query(Long.class).single();
    }

    /** Whether a site with this id exists at all; for telling 404 "not in scope" from "no such site" in audit. */
    public boolean exists(UUID id) {
        return jdbc.sql("""
                SELECT COUNT(*) FROM sites WHERE id = :id""")
                .param("id", id).query(Long.class).single() > 0;
    }

    Optional<Site> findById(UUID id) {
        return jdbc.sql("""
                SELECT * FROM sites WHERE id = :id""")
                .param("id", id).query(ROW).optional();
    }

    Optional<Site> findByCode(String code) {
        return jdbc.sql("""
                SELECT * FROM sites WHERE code = :code""")
                .param("code", code).query(ROW).optional();
    }

    List<UUID> existingIds(List<UUID> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("""
                SELECT id FROM sites WHERE id IN (:ids)""")
                .param("ids", ids).query(UUID.class).list();
    }

    void insert(Site site) {
        jdbc.sql("""
                INSERT INTO sites (id, code, name, timezone, address, latitude, longitude, version, created_at, updated_at)
                VALUES (:id, :code, :name, :timezone, :address, :latitude, :longitude, :version, :createdAt, :updatedAt)
                """)
                .params(columns(site))
                .update();
    }

    boolean update(Site site, long expectedVersion) {
        Map<String, Object> columns = columns(site);
        columns.put("expectedVersion", expectedVersion);
        return jdbc.sql("""
                UPDATE sites SET code = :code, name = :name, timezone = :timezone, address = :address,
                       latitude = :latitude, longitude = :longitude, version = :version, updated_at = :updatedAt
                 WHERE id = :id AND version = :expectedVersion
                """)
                .params(columns)
                .update() == 1;
    }

    private static Map<String, Object> columns(Site site) {
        Map<String, Object> columns = new HashMap<>();
        columns.put("id", site.id());
        columns.put("code", site.code());
        columns.put("name", site.name());
        columns.put("timezone", site.timezone());
        columns.put("address", site.address());
        columns.put("latitude", site.latitude());
        columns.put("longitude", site.longitude());
        columns.put("version", site.version());
        columns.put("createdAt", site.createdAt());
        columns.put("updatedAt", site.updatedAt());
        return columns;
    }
}
