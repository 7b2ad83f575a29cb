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
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
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
    void reportsAreListedInTheServersOrder() {
        try (LocalStore store = LocalStore.open(directory.resolve("client.db"), json)) {
            LocalDate day = LocalDate.of(2026, 11, 30);
            List<UUID> sites = Stream.generate(UUID::randomUUID).limit(2).toList();
            List<UUID> authors = Stream.generate(UUID::randomUUID).limit(2).toList();
            List<StoredReport> saved = new ArrayList<>();
            for (LocalDate date : List.of(day.minusDays(1), day)) {
                for (UUID site : sites) {
                    for (UUID author : authors) {
                        saved.add(new StoredReport(UUID.randomUUID(), site, date, author, json.createObjectNode(), null,
                                0, null, false, OffsetDateTime.now()));
                    }
                }
            }
            saved.forEach(store.reports()::save);

            // the server's list: report_date DESC, site_id DESC, author_id DESC, ids compared as PostgreSQL's uuid
            // compares them (byte by byte, which is the order of their lower-case text, unlike UUID.compareTo)
            List<StoredReport> expected = saved.stream()
                    .sorted(Comparator.comparing(StoredReport::date)
                            .thenComparing(report -> report.siteId().toString())
                            .thenComparing(report -> report.authorId().toString()).reversed())
                    .toList();
            assertThat(store.reports().all()).extracting(StoredReport::id)
                    .containsExactlyElementsOf(expected.stream().map(StoredReport::id).toList());
        }
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
