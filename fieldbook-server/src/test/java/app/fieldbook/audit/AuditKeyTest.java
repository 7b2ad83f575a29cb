package app.fieldbook.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The chain's key lives in a file the database does not hold: made on the first start, readable by the
 * server's user only, and never silently replaced once the chain records which key it is keyed with.
 */
class AuditKeyTest {

    @TempDir
    Path directory;

    JdbcClient jdbc;

    @BeforeEach
    void migratedDatabase() {
        String url = "jdbc:h2:mem:audit-key-" + UUID.randomUUID()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1";
        Flyway.configure().dataSource(url, "sa", "").locations("classpath:db/migration").load().migrate();
        jdbc = JdbcClient.create(new DriverManagerDataSource(url, "sa", ""));
    }

    @Test
    void theFirstStartMakesARandomKeyReadableByTheServersUserOnly() throws Exception {
        Path file = directory.resolve("keys").resolve("audit.key");
        AuditKey key = new AuditKey(settings(file), jdbc);
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(new AuditKey(settings(file), jdbc).id()).as("the same file, the same key").isEqualTo(key.id());
        Path other = directory.resolve("other.key");
        assertThat(new AuditKey(settings(other), jdbc).id()).isNotEqualTo(key.id());
        assertThat(Files.readString(file)).doesNotContain(key.id());
    }

    @Test
    void aServerWithAnotherKeyThanTheChainsRefusesToStart() {
        Path file = directory.resolve("audit.key");
        AuditKey key = new AuditKey(settings(file), jdbc);
        Path other = directory.resolve("other.key");
        new AuditKey(settings(other), jdbc);
        recordKeying(key);
        assertThatThrownBy(() -> new AuditKey(settings(other), jdbc)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("keyed with key " + key.id()).hasMessageContaining("Put back the key file");
    }

    @Test
    void aServerWhoseKeyFileIsGoneRefusesToStartRatherThanMakeANewKey() throws Exception {
        Path file = directory.resolve("audit.key");
        recordKeying(new AuditKey(settings(file), jdbc));
        Files.delete(file);
        assertThatThrownBy(() -> new AuditKey(settings(file), jdbc)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("does not exist").hasMessageContaining("Restore it from the backup");
        assertThat(file).doesNotExist();
    }

    private void recordKeying(AuditKey key) {
        jdbc.sql("""
                INSERT INTO audit_keying (id, keyed_after, key_id, recorded_at, mac)
                VALUES (1, 0, :keyId, CURRENT_TIMESTAMP, :mac)""").param("keyId", key.id()).param("mac", key.keying(0))
                .update();
    }

    private static AuditSettings settings(Path keyFile) {
        return new AuditSettings(Duration.ofSeconds(1), keyFile, keyFile.resolveSibling("heads.log"),
                Duration.ofMinutes(1), "0 30 2 * * *", AuditSettings.MINIMUM_RETENTION, null,
                Duration.ofMillis(2), Duration.ofSeconds(2));
    }
}
