package app.fieldbook.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import app.fieldbook.Api;
import app.fieldbook.FieldbookApplication;
import app.fieldbook.Fixtures;
import app.fieldbook.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import tools.jackson.databind.JsonNode;

/**
 * On PostgreSQL the schema's owner runs the migrations and the application connects as a role of its own
 * (docs/operations.md, PostgreSQL roles): even when that role was granted every change on every table, the
 * migrations leave it only INSERT and SELECT on the audit trail, the queue of events to link, the read-access
 * log's index and the verifications' results included. The linker takes linked events out of its queue through
 * the owner's procedure {@code audit_dequeue_linked}, which takes out no event still waiting; and a server
 * connected as that role links and verifies the chain as it does with one role for everything.
 * Roles are PostgreSQL's; on H2 there is nothing to test.
 */
@Tag("database")
class AuditPrivilegesTest {

    private static final String APPLICATION = "fieldbook_app_" + ProcessHandle.current().pid();
    /** Every audit table, each with a column to try to update. */
    private static final Map<String, String> AUDIT_TABLES = Map.of("audit_events", "actor_login", "audit_chain",
            "hash", "audit_keying", "key_id", "audit_unlinked", "occurred_at", "audit_reads", "entity_id",
            "audit_verifications", "intact");
    private static final String WAITING = "00000000-0000-0000-0000-00000000a0d1";
    private static final String LINKED = "00000000-0000-0000-0000-00000000a0d4";

    private String url;
    private String owner;
    private String ownerPassword;
    private Map<String, Object> database;
    private ConfigurableApplicationContext server;

    /**
     * Migrates as the owner, makes the application's role as generous as a careless set-up (every change on every
     * table, the audit trail included), and migrates again, as every start of the server does.
     */
    @BeforeEach
    void twoRoles() throws SQLException {
        assumeTrue(TestDatabase.isPostgres(), "database roles are tested on PostgreSQL");
        database = TestDatabase.postgresForAnotherProcess();
        url = (String) database.get("spring.datasource.url");
        owner = (String) database.get("spring.datasource.username");
        ownerPassword = (String) database.get("spring.datasource.password");
        Flyway flyway = Flyway.configure().dataSource(url, owner, ownerPassword)
                .locations("classpath:db/migration", "classpath:db/postgresql").load();
        flyway.migrate();
        asOwner("DROP ROLE IF EXISTS " + APPLICATION,
                "CREATE ROLE " + APPLICATION + " LOGIN PASSWORD 'application'",
                "GRANT USAGE ON SCHEMA public TO " + APPLICATION,
                "GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA public TO " + APPLICATION,
                "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO " + APPLICATION);
        flyway.migrate();
    }

    @AfterEach
    void dropTheApplicationsRole() throws SQLException {
        if (!TestDatabase.isPostgres()) {
            return;
        }
        if (server != null) {
            server.close();
        }
        asOwner("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM " + APPLICATION,
                "REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM " + APPLICATION,
                "REVOKE USAGE ON SCHEMA public FROM " + APPLICATION,
                "DROP ROLE " + APPLICATION);
    }

    @Test
    void theApplicationsRoleMayOnlyInsertAndReadTheAuditTrail() throws SQLException {
        try (Connection application = DriverManager.getConnection(url, APPLICATION, "application")) {
            application.setAutoCommit(false);
            try {
                allowed(application, """
                        INSERT INTO audit_events (id, occurred_at, action, entity_type)
                        VALUES ('%s', CURRENT_TIMESTAMP, 'SIGNED_IN', 'User')""".formatted(WAITING));
                allowed(application, """
                        INSERT INTO audit_unlinked (event_id, occurred_at)
                        VALUES ('%s', CURRENT_TIMESTAMP)""".formatted(WAITING));
                allowed(application, """
                        INSERT INTO audit_reads (entity_id, event_id)
                        VALUES ('00000000-0000-0000-0000-00000000a0d2', '%s')""".formatted(WAITING));
                allowed(application, """
                        INSERT INTO audit_verifications (id, verified_at, node, intact, linked_events, unlinked_events,
                                                         mac)
                        VALUES ('00000000-0000-0000-0000-00000000a0d3', CURRENT_TIMESTAMP, 'a', TRUE, 0, 0, 'm')""");
                for (Map.Entry<String, String> table : AUDIT_TABLES.entrySet()) {
                    allowed(application, "SELECT COUNT(*) FROM " + table.getKey());
                    refused(application, "UPDATE " + table.getKey() + " SET " + table.getValue() + " = "
                            + table.getValue() + " WHERE 1 = 0");
                    refused(application, "DELETE FROM " + table.getKey() + " WHERE 1 = 0");
                    refused(application, "TRUNCATE " + table.getKey() + " CASCADE");
                }
                allowed(application, "UPDATE daily_reports SET version = version WHERE 1 = 0");
                allowed(application, "DELETE FROM sync_devices WHERE 1 = 0");
            } finally {
                application.rollback();
            }
        }
    }

    @Test
    void theQueueGivesUpOnlyEventsAlreadyLinkedAndOnlyThroughTheOwnersProcedure() throws SQLException {
        try (Connection application = DriverManager.getConnection(url, APPLICATION, "application")) {
            application.setAutoCommit(false);
            try {
                for (String event : List.of(WAITING, LINKED)) {
                    allowed(application, """
                            INSERT INTO audit_events (id, occurred_at, action, entity_type)
                            VALUES ('%s', CURRENT_TIMESTAMP, 'SIGNED_IN', 'User')""".formatted(event));
                    allowed(application, """
                            INSERT INTO audit_unlinked (event_id, occurred_at)
                            VALUES ('%s', CURRENT_TIMESTAMP)""".formatted(event));
                }
                allowed(application, """
                        INSERT INTO audit_chain (position, event_id, previous_hash, hash, linked_at)
                        VALUES (2147483647, '%s', 'p', 'h', CURRENT_TIMESTAMP)""".formatted(LINKED));
                refused(application, "DELETE FROM audit_unlinked WHERE event_id = '" + WAITING + "'");

                allowed(application, "CALL audit_dequeue_linked(ARRAY['"
                        + WAITING + "', '" + LINKED + "']::uuid[])");

                assertThat(queued(application)).as("the queue after the procedure").containsExactly(WAITING);

                // V19's form, which the nodes of the previous release call during a rolling upgrade
                allowed(application, """
                        INSERT INTO audit_unlinked (event_id, occurred_at)
                        VALUES ('%s', CURRENT_TIMESTAMP)""".formatted(LINKED));
                allowed(application, "CALL audit_dequeue_linked(CURRENT_TIMESTAMP + INTERVAL '1 minute')");

                assertThat(queued(application)).as("the queue after V19's form").containsExactly(WAITING);
            } finally {
                application.rollback();
            }
        }
    }

    @Test
    void aServerConnectedAsTheApplicationsRoleLinksAndVerifiesTheChain() {
        server = startAsTheApplicationsRole();
        DataSource dataSource = server.getBean(DataSource.class);
        assertThat(JdbcClient.create(dataSource).sql("SELECT current_user").query(String.class).single())
                .isEqualTo(APPLICATION);
        int port = ((WebServerApplicationContext) server).getWebServer().getPort();
        Fixtures world = new Fixtures(port);
        String site = world.site();
        String report = Fixtures.draft(world.worker(site), site, LocalDate.of(2027, 11, 3));

        JsonNode verification = Api.anonymous(port).withToken(world.admin().token()).get("/api/v1/audit/verification")
                .body();

        assertThat(verification.path("intact").asBoolean()).as(verification.toString()).isTrue();
        JdbcClient db = JdbcClient.create(new DriverManagerDataSource(url, owner, ownerPassword));
        assertThat(db.sql("""
                SELECT COUNT(*) FROM audit_events e JOIN audit_chain c ON c.event_id = e.id
                 WHERE e.entity_id = ?""").param(report).query(Long.class).single())
                .as("the report's creation, linked").isOne();
        assertThat(db.sql("""
                SELECT COUNT(*) FROM audit_unlinked u JOIN audit_events e ON e.id = u.event_id
                 WHERE e.entity_id = ?""").param(report).query(Long.class).single())
                .as("its queue row, taken out").isZero();
    }

    private ConfigurableApplicationContext startAsTheApplicationsRole() {
        List<String> arguments = new ArrayList<>(List.of(
                "--server.port=0",
                "--spring.profiles.active=test",
                "--fieldbook.jobs.node-name=application-role",
                "--spring.flyway.user=" + owner,
                "--spring.flyway.password=" + ownerPassword));
        database.forEach((key, value) -> {
            if (!key.equals("spring.datasource.username") && !key.equals("spring.datasource.password")) {
                arguments.add("--" + key + "=" + value);
            }
        });
        arguments.add("--spring.datasource.username=" + APPLICATION);
        arguments.add("--spring.datasource.password=application");
        return new SpringApplication(FieldbookApplication.class).run(arguments.toArray(String[]::new));
    }

    private void asOwner(String... statements) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, owner, ownerPassword);
                Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    private static List<String> queued(Connection connection) throws SQLException {
        List<String> events = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT event_id FROM audit_unlinked WHERE event_id IN ('"
                        + WAITING + "', '" + LINKED + "')")) {
            while (rows.next()) {
                events.add(rows.getString(1));
            }
        }
        return events;
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
