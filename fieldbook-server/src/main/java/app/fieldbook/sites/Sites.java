package app.fieldbook.sites;

import app.fieldbook.identity.Actor;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The sites, in table {@code sites}. Reads that answer a person are scoped by {@link DataScope}. */
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
        DataScope scope = DataScope.of(actor);
        return jdbc.sql("SELECT * FROM sites s WHERE s.id = :id AND " + scope.sitePredicate("s.id"))
                .param("id", id).params(scope.parameters())
                .query(ROW).optional();
    }

    /** The sites the person may see, ordered by code. */
    public List<Site> listVisible(Actor actor, int page, int size) {
        DataScope scope = DataScope.of(actor);
        return jdbc.sql("SELECT * FROM sites s WHERE " + scope.sitePredicate("s.id")
                        + " ORDER BY s.code LIMIT :limit OFFSET :offset")
                .params(scope.parameters()).param("limit", size).param("offset", (long) page * size)
                .query(ROW).list();
    }

    public long countVisible(Actor actor) {
        DataScope scope = DataScope.of(actor);
        return jdbc.sql("SELECT COUNT(*) FROM sites s WHERE " + scope.sitePredicate("s.id"))
                .params(scope.parameters()).query(Long.class).single();
    }

    /** Whether a site with this id exists at all; for telling 404 "not in scope" from "no such site" in audit. */
    public boolean exists(UUID id) {
        return jdbc.sql("SELECT COUNT(*) FROM sites WHERE id = ?").param(id).query(Long.class).single() > 0;
    }

    Optional<Site> findById(UUID id) {
        return jdbc.sql("SELECT * FROM sites WHERE id = ?").param(id).query(ROW).optional();
    }

    Optional<Site> findByCode(String code) {
        return jdbc.sql("SELECT * FROM sites WHERE code = ?").param(code).query(ROW).optional();
    }

    List<UUID> existingIds(List<UUID> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("SELECT id FROM sites WHERE id IN (:ids)").param("ids", ids).query(UUID.class).list();
    }

    void insert(Site site) {
        jdbc.sql("""
                INSERT INTO sites (id, code, name, timezone, address, latitude, longitude, version, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
                .params(site.id(), site.code(), site.name(), site.timezone(), site.address(), site.latitude(),
                        site.longitude(), site.version(), site.createdAt(), site.updatedAt())
                .update();
    }

    boolean update(Site site, long expectedVersion) {
        return jdbc.sql("""
                UPDATE sites SET code = ?, name = ?, timezone = ?, address = ?, latitude = ?, longitude = ?,
                       version = ?, updated_at = ?
                 WHERE id = ? AND version = ?
                """)
                .params(site.code(), site.name(), site.timezone(), site.address(), site.latitude(), site.longitude(),
                        site.version(), site.updatedAt(), site.id(), expectedVersion)
                .update() == 1;
    }
}
