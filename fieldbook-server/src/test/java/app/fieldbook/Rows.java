package app.fieldbook;

import app.fieldbook.identity.Actor;
import app.fieldbook.identity.Role;
import java.time.OffsetDateTime;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Writes the people, sites and portfolios a module test needs straight into the database, each with
 * unique names, for modules whose test does not start the module that administers them.
 */
public final class Rows {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final OffsetDateTime THEN = OffsetDateTime.parse("2026-01-05T08:00:00Z");

    private final JdbcClient jdbc;
    private final String run = Long.toString(System.nanoTime() % 1_000_000_000L, 36).toUpperCase();

    public Rows(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public UUID site() {
        UUID id = UUID.randomUUID();
        String code = "M" + run + "-" + SEQUENCE.incrementAndGet();
        jdbc.sql("""
                INSERT INTO sites (id, code, name, timezone, address, version, created_at, updated_at)
                VALUES (:id, :code, :name, 'Europe/Berlin', 'Teststrasse 1', 1, :at, :at)
                """).param("id", id).param("code", code).param("name", "Site " + code).param("at", THEN).update();
        return id;
    }

    /** A field worker assigned to these sites. */
    public Actor worker(UUID... siteIds) {
        Actor worker = person(Role.WORKER);
        for (UUID siteId : siteIds) {
            jdbc.sql("INSERT INTO site_assignments (user_id, site_id) VALUES (:user, :site)")
                    .param("user", worker.id()).param("site", siteId).update();
        }
        return worker;
    }

    /** A manager of one new portfolio of these sites. */
    public Actor manager(UUID... siteIds) {
        Actor manager = person(Role.MANAGER);
        UUID portfolio = UUID.randomUUID();
        jdbc.sql("""
                INSERT INTO portfolios (id, name, version, created_at, updated_at)
                VALUES (:id, :name, 1, :at, :at)
                """).param("id", portfolio).param("name", "Portfolio " + portfolio).param("at", THEN).update();
        for (UUID siteId : siteIds) {
            jdbc.sql("INSERT INTO portfolio_sites (portfolio_id, site_id) VALUES (:portfolio, :site)")
                    .param("portfolio", portfolio).param("site", siteId).update();
        }
        jdbc.sql("INSERT INTO portfolio_assignments (user_id, portfolio_id) VALUES (:user, :portfolio)")
                .param("user", manager.id()).param("portfolio", portfolio).update();
        return manager;
    }

    public Actor person(Role role) {
        UUID id = UUID.randomUUID();
        String login = role.name().toLowerCase() + "-" + run + "-" + SEQUENCE.incrementAndGet();
        jdbc.sql("""
                INSERT INTO users (id, login, name, email, role, active, version, created_at, updated_at)
                VALUES (:id, :login, :login, :email, :role, TRUE, 1, :at, :at)
                """).param("id", id).param("login", login).param("email", login + "@example.org")
                .param("role", role.name()).param("at", THEN).update();
        return new Actor(id, login, login, role);
    }
}
