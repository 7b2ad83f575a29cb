package app.fieldbook.sites;

import app.fieldbook.identity.Actor;
import app.fieldbook.identity.Role;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The portfolios and their sites, in tables {@code portfolios} and {@code portfolio_sites}. Other modules may
 * ask whether a person may see a portfolio; the rest is this module's.
 */
@Repository
public class Portfolios {

    private record Row(UUID id, String name, long version, OffsetDateTime createdAt, OffsetDateTime updatedAt) {
    }

    private final JdbcClient jdbc;

    Portfolios(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<Portfolio> findById(UUID id) {
        return jdbc.sql("""
                SELECT * FROM portfolios WHERE id = :id""")
                .param("id", id).query(this::row).optional()
                .map(this::withSites);
    }

    /** Executives and administrators see every portfolio, managers their own, field workers none. */
    List<Portfolio> listVisible(Actor actor) {
        String where = visibleTo(actor);
        var query = jdbc.sql("""
                SELECT * FROM portfolios p
                 WHERE %s
                 ORDER BY p.name""".formatted(where));
        if (actor.role() == Role.MANAGER) {
            query = query.param("userId", actor.id());
        }
        return query.query(this::row).list().stream().map(this::withSites).toList();
    }

    /**
     * Whether the person may see the portfolio: executives and administrators every one, a manager those
     * they are assigned to, a field worker none. False also when there is no such portfolio.
     */
    public boolean isVisible(UUID id, Actor actor) {
        String where = visibleTo(actor);
        var query = jdbc.sql("""
                SELECT COUNT(*) FROM portfolios p
                 WHERE p.id = :id AND %s""".formatted(where))
                .param("id", id);
        if (actor.role() == Role.MANAGER) {
            query = query.param("userId", actor.id());
        }
        return query.query(Long.class).single() > 0;
    }

    /**
     * The portfolio's name if the person may see it ({@link #isVisible}); empty also when there is no such
     * portfolio.
     */
    public Optional<String> visibleName(UUID id, Actor actor) {
        String where = visibleTo(actor);
        var query = jdbc.sql("""
                SELECT p.name FROM portfolios p
                 WHERE p.id = :id AND %s""".formatted(where))
                .param("id", id);
        if (actor.role() == Role.MANAGER) {
            query = query.param("userId", actor.id());
        }
        return query.query(String.class).optional();
    }

    /** Whether a portfolio with this id exists at all; for telling "not visible" from "no such portfolio" in audit. */
    public boolean exists(UUID id) {
        return !existingIds(List.of(id)).isEmpty();
    }

    List<UUID> existingIds(List<UUID> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("""
                SELECT id FROM portfolios WHERE id IN (:ids)""")
                .param("ids", ids).query(UUID.class).list();
    }

    void insert(Portfolio portfolio) {
        jdbc.sql("""
                INSERT INTO portfolios (id, name, version, created_at, updated_at)
                VALUES (:id, :name, :version, :createdAt, :updatedAt)""")
                .param("id", portfolio.id()).param("name", portfolio.name()).param("version", portfolio.version())
                .param("createdAt", portfolio.createdAt()).param("updatedAt", portfolio.updatedAt())
                .update();
        writeSites(portfolio);
    }

    boolean update(Portfolio portfolio, long expectedVersion) {
        boolean updated = jdbc.sql("""
                UPDATE portfolios SET name = :name, version = :version, updated_at = :updatedAt
                 WHERE id = :id AND version = :expectedVersion""")
                .param("name", portfolio.name()).param("version", portfolio.version())
                .param("updatedAt", portfolio.updatedAt()).param("id", portfolio.id())
                .param("expectedVersion", expectedVersion)
                .update() == 1;
        if (updated) {
            jdbc.sql("""
                    DELETE FROM portfolio_sites WHERE portfolio_id = :portfolioId""")
                    .param("portfolioId", portfolio.id()).update();
            writeSites(portfolio);
        }
        return updated;
    }

    private void writeSites(Portfolio portfolio) {
        for (UUID siteId : portfolio.siteIds()) {
            jdbc.sql("""
                    INSERT INTO portfolio_sites (portfolio_id, site_id) VALUES (:portfolioId, :siteId)""")
                    .param("portfolioId", portfolio.id()).param("siteId", siteId).update();
        }
    }

    /** The condition on {@code p.id} of the portfolios the person may see; binds {@code :userId} for a manager. */
    private static String visibleTo(Actor actor) {
        return switch (actor.role()) {
            case EXECUTIVE, ADMINISTRATOR -> "1 = 1";
            case MANAGER -> "p.id IN (SELECT portfolio_id FROM portfolio_assignments WHERE user_id = :userId)";
            case WORKER -> "1 = 0";
        };
    }

    private Row row(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        return new Row(rs.getObject("id", UUID.class), rs.getString("name"), rs.getLong("version"),
                rs.getObject("created_at", OffsetDateTime.class), rs.getObject("updated_at", OffsetDateTime.class));
    }

    private Portfolio withSites(Row row) {
        List<UUID> siteIds = jdbc.sql("""
                SELECT site_id FROM portfolio_sites WHERE portfolio_id = :portfolioId""")
                .param("portfolioId", row.id()).query(UUID.class).list();
        return new Portfolio(row.id(), row.name(), siteIds, row.version(), row.createdAt(), row.updatedAt());
    }
}
