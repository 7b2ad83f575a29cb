package app.fieldbook.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import app.fieldbook.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * On PostgreSQL the schema's owner runs the migrations and the application connects as a role of its own
 * (docs/operations.md, PostgreSQL roles): even when that role was granted every change on every table, the
 * migrations leave it only INSERT and SELECT on the audit trail, the read-access log's index and the
 * verifications' results included (and DELETE on the queue of events to link).
 * Roles are PostgreSQL's; on H2 there is nothing to test.
 */
@Tag("database")
class AuditPrivilegesTest {

    private static final String APPLICATION = "fieldbook_app_" + ProcessHandle.current().pid();
    /** The insert-only tables, each with a column to try to update. */
    private static final Map<String, String> INSERT_ONLY = Map.of("audit_events", "actor_login", "audit_chain", "hash",
            "audit_keying", "key_id", "audit_reads", "entity_id", "audit_verifications", "intact");

    @Test
    void theApplicationsRoleMayOnlyInsertAndReadTheAuditTrail() throws SQLException {
        assumeTrue(TestDatabase.isPostgres(), "database roles are tested on PostgreSQL");
        Map<String, Object> database = TestDatabase.postgresForAnotherProcess();
        String url = (String) database.get("spring.datasource.url");
        String owner = (String) database.get("spring.datasource.username");
        String ownerPassword = (String) database.get("spring.datasource.password");
        Flyway flyway = Flyway.configure().dataSource(url, owner, ownerPassword)
                .locations("classpath:db/migration", "classpath:db/postgresql").load();
        flyway.migrate();
        try (Connection asOwner = DriverManager.getConnection(url, owner, ownerPassword);
                Statement statement = asOwner.createStatement()) {
            statement.execute("DROP ROLE IF EXISTS " + APPLICATION);
            statement.execute("CREATE ROLE " + APPLICATION + " LOGIN PASSWORD 'application'");
            statement.execute("GRANT USAGE ON SCHEMA public TO " + APPLICATION);
            // as generous as a careless set-up: every change on every table, the audit trail included
            statement.execute("GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA public TO "
                    + APPLICATION);
            try {
                flyway.migrate();
                try (Connection asApplication = DriverManager.getConnection(url, APPLICATION, "application")) {
                    asApplication.setAutoCommit(false);
                    try {
                        assertPrivileges(asApplication);
                    } finally {
                        asApplication.rollback();
                    }
                }
            } finally {
                statement.execute("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM " + APPLICATION);
                statement.execute("REVOKE USAGE ON SCHEMA public FROM " + APPLICATION);
                statement.execute("DROP ROLE " + APPLICATION);
            }
        }
    }

    private static void assertPrivileges(Connection application) throws SQLException {
        allowed(application, """
                INSERT INTO audit_events (id, occurred_at, action, entity_type)
                VALUES ('00000000-0000-0000-0000-00000000a0d1', CURRENT_TIMESTAMP, 'SIGNED_IN', 'User')""");
        allowed(application, """
                INSERT INTO audit_unlinked (event_id, occurred_at)
                VALUES ('00000000-0000-0000-0000-00000000a0d1', CURRENT_TIMESTAMP)""");
        allowed(application, "DELETE FROM audit_unlinked WHERE event_id = '00000000-0000-0000-0000-00000000a0d1'");
        allowed(application, """
                INSERT INTO audit_reads (entity_id, event_id)
                VALUES ('00000000-0000-0000-0000-00000000a0d2', '00000000-0000-0000-0000-00000000a0d1')""");
        allowed(application, """
                INSERT INTO audit_verifications (id, verified_at, node, intact, linked_events, unlinked_events, mac)
                VALUES ('00000000-0000-0000-0000-00000000a0d3', CURRENT_TIMESTAMP, 'a', TRUE, 0, 0, 'm')""");
        for (Map.Entry<String, String> insertOnly : INSERT_ONLY.entrySet()) {
            String table = insertOnly.getKey();
            allowed(application, "SELECT COUNT(*) FROM " + table);
            refused(application, "UPDATE " + table + " SET " + insertOnly.getValue() + " = " + insertOnly.getValue()
                    + " WHERE 1 = 0");
            refused(application, "DELETE FROM " + table + " WHERE 1 = 0");
            refused(application, "TRUNCATE " + table + " CASCADE");
        }
        refused(application, "UPDATE audit_unlinked SET occurred_at = occurred_at WHERE 1 = 0");
        refused(application, "TRUNCATE audit_unlinked");
        allowed(application, "UPDATE daily_reports SET version = version WHERE 1 = 0");
        allowed(application, "DELETE FROM sync_devices WHERE 1 = 0");
    }

    private static void allowed(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static void refused(Connection connection, String sql) throws SQLException {
        Savepoint before = connection.setSavepoint();
        try (Statement statement = connection.createStatement()) {
            assertThatThrownBy(() -> statement.execute(sql)).as(sql).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).as(sql + ": " + e.getMessage())
                            .isEqualTo("42501"));
        } finally {
            connection.rollback(before);
        }
    }
}
