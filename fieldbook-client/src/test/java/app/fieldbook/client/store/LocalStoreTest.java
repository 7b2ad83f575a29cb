package app.fieldbook.client.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.fieldbook.client.StoreFailed;
import app.fieldbook.protocol.OperationKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

class LocalStoreTest {

    @TempDir
    Path directory;

    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void aNewStoreHasTheCurrentSchemaInWalModeWithForeignKeysOn() {
        try (LocalStore store = LocalStore.open(directory.resolve("device/client.db"), json)) {
            assertThat(store.schemaVersion()).isEqualTo(Schema.current());
            assertThat(store.pragma("journal_mode")).isEqualTo("wal");
            assertThat(store.pragma("foreign_keys")).isEqualTo("1");
            assertThat(store.photoDirectory()).isDirectory();
        }
    }

    @Test
    void onlyItsOwnerMayReadTheStoreForItHoldsTheToken() throws Exception {
        Path file = directory.resolve("device/client.db");
        LocalStore.open(file, json).close();

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
                .isEqualTo("rwx------");
    }

    @Test
    void theDeviceIdIsGeneratedOnceAndKept() {
        Path file = directory.resolve("client.db");
        UUID first;
        try (LocalStore store = LocalStore.open(file, json)) {
            first = store.device().id();
        }
        try (LocalStore store = LocalStore.open(file, json)) {
            assertThat(store.device().id()).isEqualTo(first);
        }
    }

    @Test
    void aStoreWrittenByANewerClientIsRefusedUntouched() throws Exception {
        Path file = directory.resolve("client.db");
        LocalStore.open(file, json).close();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA user_version = " + (Schema.current() + 1));
        }

        assertThatThrownBy(() -> LocalStore.open(file, json)).isInstanceOf(StoreFailed.class)
                .hasMessageContaining("newer Fieldbook client");
    }

    @Test
    void aTransactionThatFailsLeavesNothingBehind() {
        try (LocalStore store = LocalStore.open(directory.resolve("client.db"), json)) {
            assertThatThrownBy(() -> store.inTransaction(() -> {
                store.outbox().append(UUID.randomUUID(), "DailyReport", UUID.randomUUID(), OperationKind.CREATE,
                        json.createObjectNode(), null, OffsetDateTime.now());
                store.device().cursor("c-9");
                throw new IllegalStateException("crash in the middle");
            })).hasMessage("crash in the middle");

            assertThat(store.outbox().count()).isZero();
            assertThat(store.device().cursor()).isEmpty();
        }
    }

    @Test
    void anotherProcessCanWriteBetweenTransactions() {
        Path file = directory.resolve("client.db");
        try (LocalStore app = LocalStore.open(file, json); LocalStore commandLine = LocalStore.open(file, json)) {
            app.device().cursor("from the app");
            commandLine.device().cursor("from the command line");

            assertThat(app.device().cursor()).contains("from the command line");
        }
    }
}
