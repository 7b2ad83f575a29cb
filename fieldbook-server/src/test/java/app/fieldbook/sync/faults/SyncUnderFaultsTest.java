package app.fieldbook.sync.faults;

import app.fieldbook.TestDatabase;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sync fault scenario ({@link SyncFaultScenario}) against one server process, on H2 (on PostgreSQL when named:
 * the {@code postgres} run leaves it to docs/sync-faults.md's command; {@link SyncUnderFaultsOnTwoNodesTest} runs
 * the scenario there), with photos on disk: devices and browsers each through a faulty network of their own,
 * the server killed with {@code kill -9} in the middle of pushes every third round and started again, a client
 * process killed in the middle of a sync. None lost, none refused, none duplicated, every photo arrived, every
 * device converged.
 *
 * <p>The defaults keep it a test of a minute or two; the benchmark in docs/sync-faults.md runs it with
 * {@code -Dfieldbook.faults.devices=20 -Dfieldbook.faults.rounds=...} for 10,000 operations.
 */
@Tag("database")
class SyncUnderFaultsTest {

    @TempDir
    Path dir;

    @Test
    void everyOperationIsAppliedOnceOrStandsAsAConflictAndEveryDeviceConverges() throws Exception {
        Map<String, Object> properties = new LinkedHashMap<>(database());
        properties.put("fieldbook.attachments.directory", dir.resolve("photos"));
        properties.put("fieldbook.attachments.upload-directory", dir.resolve("uploads"));
        SyncFaultScenario.Size size = SyncFaultScenario.Size.fromProperties(6, 6, 4, 2);
        try (Nodes nodes = new Nodes(properties,
                List.of(new ServerProcess(freePort(), properties, dir.resolve("server.log"))), size.seed())) {
            nodes.start();
            new SyncFaultScenario(dir, size, nodes).run();
        }
    }

    private Map<String, Object> database() {
        if (TestDatabase.isPostgres()) {
            return TestDatabase.postgresForAnotherProcess();
        }
        return Map.of(
                "spring.datasource.url", "jdbc:h2:file:" + dir.resolve("fieldbook")
                        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0;AUTO_SERVER=TRUE",
                "spring.datasource.username", "sa",
                "spring.datasource.password", "",
                "fieldbook.audit.key-file", dir.resolve("audit.key"),
                "fieldbook.audit.head-file", dir.resolve("audit-heads.log"));
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
