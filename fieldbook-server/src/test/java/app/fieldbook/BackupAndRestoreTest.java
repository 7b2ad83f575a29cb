package app.fieldbook;

import static app.fieldbook.Fixtures.created;
import static app.fieldbook.Fixtures.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * The scripted backup and restore of {@code deploy/bin} on PostgreSQL and the disk store: a server fills a database
 * of its own (people, sites, reports submitted and drafts, photos, the audit trail with reads), is stopped, and
 * {@code fieldbook-backup} dumps the database and copies the photos with their hashes. {@code fieldbook-restore}
 * puts the backup into an empty new database and an empty directory; every table then holds the same rows (count and
 * a digest of their content), every file of the store the same bytes, and a server started on the restored database
 * with the audit key finds the audit chain intact. PostgreSQL only: the scripts back up PostgreSQL.
 */
@Tag("database")
class BackupAndRestoreTest {

    private static final Path SCRIPTS = Path.of("..", "deploy", "bin");

    @TempDir
    Path files;

    private String maintenanceUrl;
    private String user;
    private String password;
    private final List<String> databases = new ArrayList<>();

    @AfterEach
    void dropDatabases() throws SQLException {
        if (maintenanceUrl == null) {
            return;
        }
        try (Connection connection = DriverManager.getConnection(maintenanceUrl, user, password);
                Statement statement = connection.createStatement()) {
            for (String database : databases) {
                statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            }
        }
    }

    @Test
    void aRestoredBackupHoldsEveryRecordAndPhotoAndItsAuditChainVerifies() throws Exception {
        assumeTrue(TestDatabase.isPostgres(), "the scripts back up PostgreSQL: run in the PostgreSQL run");
        String origin = database("origin");
        String restored = database("restored");
        Path photos = files.resolve("photos");
        Path restoredPhotos = files.resolve("restored-photos");

        long linked;
        int uploaded;
        try (ConfigurableApplicationContext server = start(origin, photos)) {
            int port = ((WebServerApplicationContext) server).getWebServer().getPort();
            uploaded = fill(new Fixtures(port));
            JsonNode verification = expect(new Fixtures(port).admin().get("/api/v1/audit/verification"), 200).body();
            assertThat(verification.path("intact").asBoolean()).as(verification.toString()).isTrue();
            linked = verification.path("linkedEvents").asLong();
        }

        Path backup = Path.of(lastLine(script("fieldbook-backup", env("origin", origin, photos),
                files.resolve("backups").toString())));
        assertThat(backup.resolve("database.dump")).isNotEmptyFile();
        script("fieldbook-restore", env("restored", restored, restoredPhotos), backup.toString());

        Map<String, String> originRows = rows(origin);
        assertThat(rows(restored)).isEqualTo(originRows);
        assertThat(originRows.get("photos")).startsWith(uploaded + " rows");
        assertThat(originRows.get("daily_reports")).doesNotStartWith("0 rows");
        assertThat(originRows.get("audit_events")).doesNotStartWith("0 rows");
        assertThat(originRows.get("audit_chain")).doesNotStartWith("0 rows");
        Map<String, String> originFiles = hashes(photos);
        assertThat(originFiles).hasSizeGreaterThanOrEqualTo(uploaded);
        assertThat(hashes(restoredPhotos)).isEqualTo(originFiles);
        for (Map.Entry<String, String> file : originFiles.entrySet()) {
            String name = Path.of(file.getKey()).getFileName().toString();
            if (!name.contains(".")) {
                assertThat(file.getValue()).as("a photo's content is named by its SHA-256").isEqualTo(name);
            }
        }

        try (ConfigurableApplicationContext server = start(restored, restoredPhotos)) {
            int port = ((WebServerApplicationContext) server).getWebServer().getPort();
            JsonNode verification = expect(new Fixtures(port).admin().get("/api/v1/audit/verification"), 200).body();
            assertThat(verification.path("intact").asBoolean()).as(verification.toString()).isTrue();
            assertThat(verification.path("linkedEvents").asLong()).isGreaterThanOrEqualTo(linked);
        }

        Outcome again = run("fieldbook-restore", env("restored", restored, files.resolve("elsewhere")), backup.toString());
        assertThat(again.exitCode()).as("a restore into a database that is not empty").isEqualTo(1);
        assertThat(again.output()).contains("the database is not empty");
    }

    /** People, sites, reports (submitted and drafts) with photos, and their reads: answers the photos uploaded. */
    private static int fill(Fixtures world) {
        int photos = 0;
        Fixtures.Person executive = world.executive();
        for (int s = 0; s < 2; s++) {
            String site = world.site();
            Fixtures.Person worker = world.worker(site);
            for (int day = 1; day <= 3; day++) {
                String report = Fixtures.draft(worker, site, LocalDate.of(2026, 11, day));
                created(worker.api().upload("/api/v1/reports/" + report + "/photos",
                        Images.jpeg(40 + 10 * s, 30 + day), "site-" + s + "-day-" + day + ".jpg", Map.of()));
                photos++;
                if (day < 3) {
                    expect(worker.api().post("/api/v1/reports/" + report + "/submit"), 200);
                    expect(executive.api().get("/api/v1/reports/" + report), 200);
                }
            }
        }
        return photos;
    }

    private ConfigurableApplicationContext start(String database, Path photos) {
        return new SpringApplication(FieldbookApplication.class).run(
                "--server.port=0",
                "--spring.profiles.active=test",
                "--spring.datasource.url=" + url(database),
                "--spring.datasource.username=" + user,
                "--spring.datasource.password=" + password,
                "--fieldbook.attachments.directory=" + photos,
                "--fieldbook.attachments.upload-directory=" + files.resolve("uploads"),
                "--fieldbook.audit.key-file=" + files.resolve("audit.key"),
                "--fieldbook.audit.head-file=" + files.resolve("audit-heads.log"),
                "--fieldbook.identity.second-factor.key-file=" + files.resolve("second-factor.key"));
    }

    /** A new, empty database named after this run's test database, dropped after the test. */
    private String database(String role) throws SQLException {
        Map<String, Object> settings = TestDatabase.postgresForAnotherProcess();
        String url = (String) settings.get("spring.datasource.url");
        user = (String) settings.get("spring.datasource.username");
        password = (String) settings.get("spring.datasource.password");
        int slash = url.lastIndexOf('/');
        maintenanceUrl = url.substring(0, slash + 1) + "postgres";
        String name = url.substring(slash + 1).replaceAll("\\?.*", "") + "_backup_" + role;
        try (Connection connection = DriverManager.getConnection(maintenanceUrl, user, password);
                Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            statement.execute("CREATE DATABASE " + name);
        }
        databases.add(name);
        return name;
    }

    private String url(String database) {
        return maintenanceUrl.substring(0, maintenanceUrl.lastIndexOf('/') + 1) + database;
    }

    /** The env file of a server on this database and photo directory, as an operator writes it. */
    private Path env(String name, String database, Path photos) throws IOException {
        return Files.writeString(files.resolve(name + ".env"), """
                # the settings the scripts read
                SPRING_DATASOURCE_URL=%s
                SPRING_DATASOURCE_USERNAME=%s
                SPRING_DATASOURCE_PASSWORD="%s"
                FIELDBOOK_ATTACHMENTS_STORE=disk
                FIELDBOOK_ATTACHMENTS_DIRECTORY=%s
                """.formatted(url(database), user, password, photos));
    }

    /** Every table's row count and a digest of its rows' content, by table name. */
    private Map<String, String> rows(String database) throws SQLException {
        Map<String, String> tables = new TreeMap<>();
        try (Connection connection = DriverManager.getConnection(url(database), user, password);
                Statement statement = connection.createStatement()) {
            List<String> names = new ArrayList<>();
            try (ResultSet found = statement.executeQuery("SELECT table_name FROM information_schema.tables"
                    + " WHERE table_schema = 'public' AND table_type = 'BASE TABLE'")) {
                while (found.next()) {
                    names.add(found.getString(1));
                }
            }
            for (String name : names) {
                try (ResultSet digest = statement.executeQuery("SELECT count(*), md5(coalesce(string_agg(t::text, "
                        + "E'\\n' ORDER BY t::text), '')) FROM \"" + name + "\" t")) {
                    digest.next();
                    tables.put(name, digest.getLong(1) + " rows " + digest.getString(2));
                }
            }
            List<String> sequences = new ArrayList<>();
            try (ResultSet found = statement.executeQuery("SELECT sequence_name FROM information_schema.sequences"
                    + " WHERE sequence_schema = 'public'")) {
                while (found.next()) {
                    sequences.add(found.getString(1));
                }
            }
            for (String name : sequences) {
                try (ResultSet value = statement.executeQuery("SELECT last_value, is_called FROM \"" + name + "\"")) {
                    value.next();
                    tables.put("sequence " + name, value.getLong(1) + " " + value.getBoolean(2));
                }
            }
        }
        return tables;
    }

    /** The SHA-256 of every file of a photo store but the uploads being received, by path in the store. */
    private static Map<String, String> hashes(Path store) throws IOException {
        Map<String, String> hashes = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(store)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                String relative = store.relativize(file).toString();
                if (!relative.startsWith("incoming/")) {
                    hashes.put(relative, sha256(Files.readAllBytes(file)));
                }
            }
        }
        return hashes;
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Outcome(int exitCode, String output) {
    }

    private String script(String name, Path env, String argument) throws Exception {
        Outcome outcome = run(name, env, argument);
        assertThat(outcome.exitCode()).as(name + ":\n" + outcome.output()).isZero();
        return outcome.output();
    }

    private Outcome run(String name, Path env, String argument) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("bash", SCRIPTS.resolve(name).toString(), "--env-file",
                env.toString(), argument).redirectErrorStream(true);
        // only the env file's settings: none of the machine's libpq or Fieldbook variables
        builder.environment().keySet().removeIf(variable -> variable.startsWith("PG")
                || variable.startsWith("SPRING_") || variable.startsWith("FIELDBOOK_"));
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(name + " ended").isTrue();
        return new Outcome(process.exitValue(), output);
    }

    private static String lastLine(String output) {
        String[] lines = output.strip().split("\n");
        return lines[lines.length - 1];
    }
}
