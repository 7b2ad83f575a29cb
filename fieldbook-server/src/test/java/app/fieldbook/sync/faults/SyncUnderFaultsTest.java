package app.fieldbook.sync.faults;

import static org.assertj.core.api.Assertions.assertThat;

import app.fieldbook.Api;
import app.fieldbook.Fixtures;
import app.fieldbook.TestDatabase;
import app.fieldbook.client.Backoff;
import app.fieldbook.client.FieldbookClient;
import app.fieldbook.client.LocalReport;
import app.fieldbook.client.SyncSummary;
import app.fieldbook.protocol.ReportContent;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A Jepsen-style check of offline sync. Field workers' devices (the real Java client, each with its own
 * SQLite store) write reports offline and sync through a proxy that delays, drops, resets and
 * duplicates connections, while a manager approves and returns reports; the server process is killed in
 * the middle of pushes and started again, and a client process is killed in the middle of a sync. At the
 * end every operation any device created must be applied exactly once or stand as a conflict, none lost,
 * none duplicated, and every device must hold exactly the server's state.
 *
 * <p>The defaults keep it a test of a minute; the benchmark in docs/sync-faults.md runs it with
 * {@code -Dfieldbook.faults.devices=20 -Dfieldbook.faults.rounds=...} for 10,000 operations.
 */
@Tag("database")
class SyncUnderFaultsTest {

    private static final int DEVICES = Integer.getInteger("fieldbook.faults.devices", 6);
    private static final int ROUNDS = Integer.getInteger("fieldbook.faults.rounds", 6);
    private static final int ACTIONS = Integer.getInteger("fieldbook.faults.actions", 4);
    private static final long SEED = Long.getLong("fieldbook.faults.seed", 20261124L);
    private static final FaultyProxy.Faults FAULTS = new FaultyProxy.Faults(0.3, Duration.ofMillis(150), 0.15, 0.05,
            0.1);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    private final Random random = new Random(SEED);
    private final Set<UUID> createdOperations = new HashSet<>();
    private final Map<UUID, String> described = new java.util.concurrent.ConcurrentHashMap<>();

    @Test
    void everyOperationIsAppliedOnceOrStandsAsAConflictAndEveryDeviceConverges() throws Exception {
        int port = freePort();
        Map<String, Object> properties = new LinkedHashMap<>(database());
        properties.put("fieldbook.attachments.directory", dir.resolve("photos"));
        properties.put("fieldbook.sync.upload-directory", dir.resolve("uploads"));
        try (ServerProcess server = new ServerProcess(port, properties, dir.resolve("server.log"));
                FaultyProxy network = new FaultyProxy(port, FaultyProxy.Faults.none(), SEED)) {
            server.start();
            Fixtures world = new Fixtures(port);
            List<String> sites = List.of(world.site(), world.site());
            int workers = Math.max(1, DEVICES / 2);
            List<Fixtures.Person> people = new ArrayList<>();
            for (int i = 0; i < workers; i++) {
                people.add(world.worker(sites.toArray(String[]::new)));
            }
            Api manager = world.manager(world.portfolio(sites.toArray(String[]::new))).api();

            List<Device> devices = new ArrayList<>();
            for (int i = 0; i < DEVICES; i++) {
                devices.add(new Device(i, people.get(i % workers), network.port()));
            }
            network.faults(FAULTS);
            ExecutorService threads = Executors.newFixedThreadPool(DEVICES + 1);
            try {
                for (int round = 0; round < ROUNDS; round++) {
                    long started = System.nanoTime();
                    for (Device device : devices) {
                        for (int action = 0; action < ACTIONS; action++) {
                            device.act(sites);
                        }
                        device.collectOperations();
                    }
                    review(manager);
                    boolean killServer = round % 3 == 1;
                    Future<?> killer = killServer ? threads.submit(() -> killLater(server)) : null;
                    List<Future<?>> syncs = new ArrayList<>();
                    for (Device device : devices) {
                        syncs.add(threads.submit(device::syncQuietly));
                    }
                    for (Future<?> sync : syncs) {
                        sync.get(3, TimeUnit.MINUTES);
                    }
                    if (killer != null) {
                        killer.get(1, TimeUnit.MINUTES);
                        server.start();
                    }
                    if (round == 2) {
                        devices.getFirst().killedInTheMiddleOfASync(random.nextInt(50, 600));
                    }
                    System.out.printf("round %d took %d ms%n", round, (System.nanoTime() - started) / 1_000_000);
                }
            } finally {
                threads.shutdownNow();
            }

            network.faults(FaultyProxy.Faults.none());
            long settling = System.nanoTime();
            settle(devices);
            System.out.printf("settling took %d ms%n", (System.nanoTime() - settling) / 1_000_000);
            for (Device device : devices) {
                for (var rejected : device.client.rejectedChanges()) {
                    System.out.printf("device %d refused %s %s %s: %d %s %s%n", device.index, rejected.operationId(),
                            rejected.kind(), rejected.entity(), rejected.status(), rejected.problemType(),
                            rejected.detail());
                }
            }
            for (Device device : devices) {
                assertThat(device.client.rejectedChanges()).as("changes device " + device.index + " gave up on").isEmpty();
            }
            try (Connection db = connect(properties)) {
                checkEveryOperationAppliedOnceOrConflicted(db);
                checkNoReportDuplicated(db, sites);
            }
            checkEveryDeviceConverged(devices, sites, world);
            assertThat(network.dropped.get() + network.duplicated.get()).as("faults were injected").isPositive();
            for (Device device : devices) {
                device.client.close();
            }
        }
    }

    /** Syncs every device, faults off, until nothing waits anywhere; then once more so all pull the last state. */
    private void settle(List<Device> devices) {
        for (int attempt = 0; attempt < 40; attempt++) {
            boolean done = true;
            for (Device device : devices) {
                device.collectOperations();
                SyncSummary summary = device.client.sync();
                done &= summary.complete() && device.client.state().outboxDepth() == 0;
            }
            if (done) {
                break;
            }
            sleep(300);
        }
        for (Device device : devices) {
            assertThat(device.client.sync().complete()).isTrue();
            assertThat(device.client.state().outboxDepth()).as("device " + device.index + " outbox").isZero();
        }
    }

    private void checkEveryOperationAppliedOnceOrConflicted(Connection db) throws SQLException {
        assertThat(createdOperations).isNotEmpty();
        Map<UUID, String> outcomes = new HashMap<>();
        try (var statement = db.prepareStatement("SELECT operation_id, result FROM sync_operations");
                ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                UUID id = rows.getObject(1, UUID.class);
                if (createdOperations.contains(id)) {
                    outcomes.put(id, JSON.readTree(rows.getString(2)).path("outcome").asString());
                }
            }
        }
        Set<UUID> lost = new HashSet<>(createdOperations);
        lost.removeAll(outcomes.keySet());
        lost.forEach(id -> System.out.println("lost " + id + ": " + described.get(id)));
        assertThat(lost).as("operations created on devices that the server never recorded").isEmpty();
        Map<String, Long> byOutcome = new HashMap<>();
        outcomes.values().forEach(outcome -> byOutcome.merge(outcome, 1L, Long::sum));
        assertThat(byOutcome).as("outcomes").doesNotContainKey("REJECTED");
        Set<UUID> conflicted = new HashSet<>();
        outcomes.forEach((id, outcome) -> {
            if (outcome.equals("CONFLICT")) {
                conflicted.add(id);
            }
        });
        Set<UUID> withConflictRecords = new HashSet<>();
        try (var statement = db.prepareStatement("SELECT DISTINCT operation_id FROM sync_conflicts");
                ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                withConflictRecords.add(rows.getObject(1, UUID.class));
            }
        }
        assertThat(withConflictRecords).as("every conflicting operation keeps its values").containsAll(conflicted);
        System.out.printf("sync under faults: %d operations, outcomes %s%n", createdOperations.size(), byOutcome);
    }

    /** Every report on the server comes from exactly one create of some device, or several merged ones. */
    private void checkNoReportDuplicated(Connection db, List<String> sites) throws SQLException {
        Set<UUID> fromCreates = new HashSet<>();
        try (var statement = db.prepareStatement("SELECT operation_id, result FROM sync_operations");
                ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                UUID id = rows.getObject(1, UUID.class);
                String description = described.get(id);
                if (description != null && description.contains(" CREATE DailyReport ")) {
                    fromCreates.add(UUID.fromString(JSON.readTree(rows.getString(2)).path("entityId").asString()));
                }
            }
        }
        Set<UUID> stored = new HashSet<>();
        try (var statement = db.prepareStatement("SELECT id FROM daily_reports WHERE site_id IN (?, ?)")) {
            statement.setObject(1, UUID.fromString(sites.get(0)));
            statement.setObject(2, UUID.fromString(sites.get(1)));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    stored.add(rows.getObject(1, UUID.class));
                }
            }
        }
        assertThat(stored).as("the reports are exactly those the devices' creates made").isEqualTo(fromCreates);
        try (var statement = db.prepareStatement("""
                SELECT COUNT(*) FROM (SELECT site_id, report_date, author_id FROM daily_reports
                 WHERE site_id IN (?, ?) GROUP BY site_id, report_date, author_id HAVING COUNT(*) > 1) twice
                """)) {
            statement.setObject(1, UUID.fromString(sites.get(0)));
            statement.setObject(2, UUID.fromString(sites.get(1)));
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                assertThat(rows.getLong(1)).as("two reports of one author, site and day").isZero();
            }
        }
        try (var statement = db.prepareStatement("""
                SELECT COUNT(*) FROM (SELECT entity_id FROM audit_events WHERE action = 'REPORT_CREATED'
                 AND site_id IN (?, ?) GROUP BY entity_id HAVING COUNT(*) > 1) twice
                """)) {
            statement.setObject(1, UUID.fromString(sites.get(0)));
            statement.setObject(2, UUID.fromString(sites.get(1)));
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                assertThat(rows.getLong(1)).as("a report created twice").isZero();
            }
        }
    }

    private void checkEveryDeviceConverged(List<Device> devices, List<String> sites, Fixtures world) {
        for (Device device : devices) {
            Map<UUID, String> server = new HashMap<>();
            for (String site : sites) {
                for (int number = 0; number < 1000; number++) {
                    JsonNode page = device.api.get("/api/v1/reports?size=500&siteId=" + site + "&page=" + number).body();
                    page.path("items").valueStream().forEach(report -> server.put(UUID.fromString(report.path("id")
                            .asString()), report.path("version").asLong() + "/" + report.path("status").asString()));
                    if (page.path("items").size() < 500) {
                        break;
                    }
                }
            }
            Map<UUID, String> local = new HashMap<>();
            for (LocalReport report : device.client.reports()) {
                assertThat(report.synced()).isTrue();
                local.put(report.id(), report.version() + "/" + report.status());
            }
            assertThat(local).as("device " + device.index + " holds the server's state").isEqualTo(server);
        }
    }

    /** The manager approves or returns some submitted reports, straight at the server. */
    private void review(Api manager) {
        JsonNode submitted = manager.get("/api/v1/reports?status=SUBMITTED&size=500").body().path("items");
        for (JsonNode report : submitted) {
            int dice = random.nextInt(3);
            String id = report.path("id").asString();
            if (dice == 0) {
                manager.post("/api/v1/reports/" + id + "/approve");
            } else if (dice == 1) {
                manager.post("/api/v1/reports/" + id + "/return", Map.of("comment", "Add the crew hours"));
            }
        }
    }

    private void killLater(ServerProcess server) {
        try {
            Thread.sleep(50 + random.nextInt(400));
            server.kill();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One device: its store, its client, and what it does offline. */
    private final class Device {

        final int index;
        final Fixtures.Person person;
        final Api api;
        final Path store;
        final int proxyPort;
        FieldbookClient client;
        int counter;

        Device(int index, Fixtures.Person person, int proxyPort) {
            this.index = index;
            this.person = person;
            this.api = person.api();
            this.store = dir.resolve("device-" + index).resolve("client.db");
            this.proxyPort = proxyPort;
            this.client = open();
            client.signIn(person.login(), Fixtures.PASSWORD.toCharArray());
        }

        FieldbookClient open() {
            return FieldbookClient.builder(store).server(URI.create("http://127.0.0.1:" + proxyPort))
                    .backoff(new Backoff(Duration.ofMillis(20), Duration.ofMillis(300), 3, Duration.ofSeconds(2)))
                    .requestTimeout(Duration.ofSeconds(20))
                    .open();
        }

        void act(List<String> sites) {
            List<LocalReport> mine = client.reports().stream()
                    .filter(report -> report.authorId().toString().equals(person.id()) && report.editable()).toList();
            int dice = random.nextInt(10);
            try {
                if (dice < 4 || mine.isEmpty()) {
                    String site = sites.get(random.nextInt(sites.size()));
                    boolean shared = random.nextBoolean();
                    LocalDate date = shared ? LocalDate.of(2030, 1, 1).plusDays(random.nextInt(8))
                            : LocalDate.of(2031, 1, 1).plusDays(index * 1000L + counter++);
                    client.createReport(UUID.fromString(site), date, new ReportContent(null, null,
                            "work of device " + index + " #" + counter, null, null, null, null));
                } else if (dice < 9) {
                    LocalReport report = mine.get(random.nextInt(mine.size()));
                    ReportContent content = report.content();
                    String value = "d" + index + "-" + (counter++);
                    ReportContent edited = switch (random.nextInt(3)) {
                        case 0 -> new ReportContent(content.weather(), content.crew(), value, content.delays(),
                                content.safetyIncidents(), content.materials(), content.notes());
                        case 1 -> new ReportContent(content.weather(), content.crew(), content.workPerformed(), value,
                                content.safetyIncidents(), content.materials(), content.notes());
                        default -> new ReportContent(content.weather(), content.crew(), content.workPerformed(),
                                content.delays(), content.safetyIncidents(), content.materials(), value);
                    };
                    client.editReport(report.id(), edited);
                } else {
                    client.submitReport(mine.get(random.nextInt(mine.size())).id());
                }
            } catch (RuntimeException refusedLocally) {
                // the device's own rules refused it (e.g. its report of that day exists); nothing was queued
            }
        }

        /** Remembers every operation waiting in the outbox: each must reach the server. */
        void collectOperations() {
            try (Connection sqlite = DriverManager.getConnection("jdbc:sqlite:" + store);
                    var statement = sqlite.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT operation_id, kind, entity, entity_id FROM outbox")) {
                while (rows.next()) {
                    described.put(UUID.fromString(rows.getString(1)), "device " + index + " " + rows.getString(2)
                            + " " + rows.getString(3) + " " + rows.getString(4));
                    synchronized (createdOperations) {
                        createdOperations.add(UUID.fromString(rows.getString(1)));
                    }
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        void syncQuietly() {
            try {
                client.sync();
            } catch (RuntimeException e) {
                System.out.println("device " + index + " sync ended: " + e);
            }
        }

        /** Runs a sync in a process of its own and kills it after {@code millis}, then opens the store again. */
        void killedInTheMiddleOfASync(int millis) throws IOException, InterruptedException {
            collectOperations();
            client.close();
            String java = ProcessHandle.current().info().command().orElse("java");
            Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    "app.fieldbook.client.cli.FieldbookCommand", "--store", store.toString(), "sync")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("client-" + index + ".log").toFile()).start();
            Thread.sleep(millis);
            process.destroyForcibly();
            process.waitFor();
            client = open();
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
                "spring.datasource.password", "");
    }

    private static Connection connect(Map<String, Object> properties) throws SQLException {
        return DriverManager.getConnection((String) properties.get("spring.datasource.url"),
                (String) properties.get("spring.datasource.username"),
                (String) properties.get("spring.datasource.password"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
