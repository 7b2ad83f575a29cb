package app.fieldbook;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * Points a test's application context at its database: a fresh in-memory H2 in PostgreSQL mode by
 * default, or, when the system property {@code fieldbook.test.database} is {@code postgres}, the real
 * PostgreSQL at {@code fieldbook.test.postgres.url} (role {@code fieldbook.test.postgres.user}, which
 * may create databases; {@code .ci/run} creates it), dropped and created anew once per test run.
 */
public class TestDatabase implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    private static final String DEFAULT_POSTGRES_URL = "jdbc:postgresql://127.0.0.1:5432/fieldbook_test";
    private static boolean postgresPrepared;

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
                "fieldbook.sync.upload-directory", photoDirectory());
    }

    /**
     * The datasource properties of the PostgreSQL test database, prepared once per run, for a server
     * started in a process of its own.
     */
    public static Map<String, Object> postgresForAnotherProcess() {
        return postgres();
    }

    private static Map<String, Object> postgres() {
        String url = System.getProperty("fieldbook.test.postgres.url", DEFAULT_POSTGRES_URL);
        String user = System.getProperty("fieldbook.test.postgres.user", "fieldbook");
        String password = System.getProperty("fieldbook.test.postgres.password", "fieldbook");
        prepare(url, user, password);
        return Map.of(
                "spring.datasource.url", url,
                "spring.datasource.username", user,
                "spring.datasource.password", password,
                "fieldbook.attachments.directory", photoDirectory(),
                "fieldbook.sync.upload-directory", photoDirectory());
    }

    /** Drops and creates the test database once per JVM, so every run starts empty. */
    private static synchronized void prepare(String url, String user, String password) {
        if (postgresPrepared) {
            return;
        }
        int slash = url.lastIndexOf('/');
        String database = url.substring(slash + 1).replaceAll("\\?.*", "");
        if (!database.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("Unexpected test database name " + database);
        }
        String maintenance = url.substring(0, slash + 1) + "postgres";
        try (Connection connection = DriverManager.getConnection(maintenance, user, password);
                Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            statement.execute("CREATE DATABASE " + database);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot prepare the PostgreSQL test database at " + maintenance
                    + " (is PostgreSQL running? .ci/run starts it)", e);
        }
        postgresPrepared = true;
    }

    private static String photoDirectory() {
        try {
            return Files.createTempDirectory("fieldbook-photos-").toString();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
