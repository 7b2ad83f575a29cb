package app.fieldbook;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * Points a test's application context at its database: a fresh in-memory H2 in PostgreSQL mode by
 * default, or, when the system property {@code fieldbook.test.database} is {@code postgres}, the real
 * PostgreSQL at {@code fieldbook.test.postgres.url} (role {@code fieldbook.test.postgres.user}, which
 * may create databases; {@code .ci/run} creates it). Each test JVM gets a database of its own, named
 * after the URL's with its process id ({@code fieldbook_test_4711}), so that two runs on one machine
 * do not drop each other's; the databases of runs whose process is gone are dropped at the start.
 */
public class TestDatabase implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    private static final String DEFAULT_POSTGRES_URL = "jdbc:postgresql://127.0.0.1:5432/fieldbook_test";
    private static String postgresUrl;
    /**
     * One audit key for the whole test JVM, made by the first server that starts: the application contexts of
     * a PostgreSQL run share one database, and so one chain and its key.
     */
    private static final java.nio.file.Path AUDIT_KEY = auditKey();
    /** One second-factor key for the whole test JVM, for the same reason. */
    private static final java.nio.file.Path SECOND_FACTOR_KEY = AUDIT_KEY.resolveSibling("second-factor.key");

    public static boolean isPostgres() {
        return "postgres".equals(System.getProperty("fieldbook.test.database"));
    }

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        Map<String, Object> properties = isPostgres() ? postgres() : h2();
        context.getEnvironment().getPropertySources()
                .addFirst(new MapPropertySource("fieldbook-test-database", properties));
    }

    private static Map<String, Object> h2() {
        return Map.of(
                "spring.datasource.url", "jdbc:h2:mem:fieldbook-" + UUID.randomUUID()
                        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
                "spring.datasource.username", "sa",
                "spring.datasource.password", "",
                "fieldbook.attachments.directory", photoDirectory(),
                "fieldbook.attachments.upload-directory", photoDirectory(),
                "fieldbook.audit.key-file", AUDIT_KEY.toString(),
                "fieldbook.identity.second-factor.key-file", SECOND_FACTOR_KEY.toString(),
                "fieldbook.audit.head-file", headFile());
    }

    /**
     * The datasource properties of the PostgreSQL test database, prepared once per run, for a server
     * started in a process of its own.
     */
    public static Map<String, Object> postgresForAnotherProcess() {
        return postgres();
    }

    /**
     * The database and key files that two nodes started in this JVM share: the run's PostgreSQL database, or a
     * named in-memory H2 database with the key files and photo directories under {@code files}.
     */
    public static Map<String, Object> sharedByTwoNodes(java.nio.file.Path files) {
        if (isPostgres()) {
            return postgres();
        }
        return Map.of(
                "spring.datasource.url", "jdbc:h2:mem:two-nodes-" + UUID.randomUUID()
                        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
                "spring.datasource.username", "sa",
                "spring.datasource.password", "",
                "fieldbook.audit.key-file", files.resolve("audit.key").toString(),
                "fieldbook.identity.second-factor.key-file", files.resolve("second-factor.key").toString(),
                "fieldbook.attachments.directory", files.resolve("photos").toString(),
                "fieldbook.attachments.upload-directory", files.resolve("uploads").toString());
    }

    private static Map<String, Object> postgres() {
        String url = System.getProperty("fieldbook.test.postgres.url", DEFAULT_POSTGRES_URL);
        String user = System.getProperty("fieldbook.test.postgres.user", "fieldbook");
        String password = System.getProperty("fieldbook.test.postgres.password", "fieldbook");
        return Map.of(
                "spring.datasource.url", prepare(url, user, password),
                "spring.datasource.username", user,
                "spring.datasource.password", password,
                // a run caches many application contexts, each with its own pool: idle ones keep one
                // connection, not twenty, so that together they stay below PostgreSQL's max_connections
                "spring.datasource.hikari.minimum-idle", "1",
                "spring.datasource.hikari.idle-timeout", "10000",
                "fieldbook.attachments.directory", photoDirectory(),
                "fieldbook.attachments.upload-directory", photoDirectory(),
                "fieldbook.audit.key-file", AUDIT_KEY.toString(),
                "fieldbook.identity.second-factor.key-file", SECOND_FACTOR_KEY.toString(),
                "fieldbook.audit.head-file", headFile());
    }

    /**
     * Creates this JVM's test database once, after dropping those of earlier runs that have ended, and
     * answers its URL.
     */
    private static synchronized String prepare(String url, String user, String password) {
        if (postgresUrl != null) {
            return postgresUrl;
        }
        int slash = url.lastIndexOf('/');
        int query = url.indexOf('?', slash);
        String base = url.substring(slash + 1, query < 0 ? url.length() : query);
        if (!base.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("Unexpected test database name " + base);
        }
        String database = base + "_" + ProcessHandle.current().pid();
        String maintenance = url.substring(0, slash + 1) + "postgres";
        try (Connection connection = DriverManager.getConnection(maintenance, user, password);
                Statement statement = connection.createStatement()) {
            List<String> ended = new ArrayList<>();
            try (ResultSet databases = statement.executeQuery("SELECT datname FROM pg_database")) {
                while (databases.next()) {
                    String name = databases.getString(1);
                    if (name.matches(base + "_[0-9]+") && !name.equals(database) && ProcessHandle
                            .of(Long.parseLong(name.substring(base.length() + 1))).isEmpty()) {
                        ended.add(name);
                    }
                }
            }
            for (String name : ended) {
                statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            }
            statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            statement.execute("CREATE DATABASE " + database);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot prepare the PostgreSQL test database at " + maintenance
                    + " (is PostgreSQL running? .ci/run starts it)", e);
        }
        postgresUrl = url.substring(0, slash + 1) + database + (query < 0 ? "" : url.substring(query));
        return postgresUrl;
    }

    /**
     * A head file of its own for each application context: on H2 each context has its own chain; on PostgreSQL
     * they share one, whose heads each context's file holds a part of.
     */
    private static String headFile() {
        try {
            return Files.createTempDirectory("fieldbook-audit-").resolve("audit-heads.log").toString();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static java.nio.file.Path auditKey() {
        try {
            return Files.createTempDirectory("fieldbook-audit-key-").resolve("audit.key");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String photoDirectory() {
        try {
            return Files.createTempDirectory("fieldbook-photos-").toString();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
