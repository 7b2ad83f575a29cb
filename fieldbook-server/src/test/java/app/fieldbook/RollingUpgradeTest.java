package app.fieldbook;

import static app.fieldbook.Fixtures.created;
import static app.fieldbook.Fixtures.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import app.fieldbook.sync.SyncDevice;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A rolling upgrade, run for real (docs/operations.md, "Rolling upgrades"; ADR 0036): the previous release's jar
 * ({@code fieldbook.upgrade.previous-jar}) is started on a fresh PostgreSQL database and migrates it; people, a
 * site, reports with crews, a photo and a sync push are made through it. Then this release's jar
 * ({@code fieldbook.upgrade.current-jar}) starts on the same database while the previous one keeps serving, and
 * migrates it on. Both serve at once: what one node wrote the other reads, edits and approves, a sync push on one
 * is pulled on the other, a bearer token and a web session from a sign-in on the previous node work on this one,
 * the audit chain verifies on both, and neither log has an ERROR from the migration on. Then the previous node stops,
 * as the last one rolled does, and this one goes on serving.
 *
 * <p>Skipped unless {@code fieldbook.upgrade.previous-jar} is set: {@code deploy/bin/fieldbook-rolling-upgrade-check}
 * builds the two jars and runs it. Uses the PostgreSQL of {@code fieldbook.test.postgres.url} (a database of its
 * own, dropped after), whatever the run's database.
 */
class RollingUpgradeTest {

    private static final String ADMIN_LOGIN = "test-admin";
    private static final String ADMIN_PASSWORD = "granite-kettle-orbit";
    private static final LocalDate DAY = LocalDate.of(2026, 11, 2);

    @TempDir
    Path files;

    private Path logs;
    private String maintenanceUrl;
    private String database;
    private String user;
    private String password;
    private final List<Node> nodes = new ArrayList<>();

    @AfterEach
    void stopNodesAndDropTheDatabase() throws Exception {
        for (Node node : nodes) {
            node.kill();
        }
        if (database != null) {
            try (Connection connection = DriverManager.getConnection(maintenanceUrl, user, password);
                    Statement statement = connection.createStatement()) {
                statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            }
        }
    }

    @Test
    void thePreviousReleaseAndThisOneServeOneDatabaseSideBySide() throws Exception {
        String previousJar = System.getProperty("fieldbook.upgrade.previous-jar", "");
        assumeTrue(!previousJar.isBlank(), "runs when fieldbook.upgrade.previous-jar names the previous release's "
                + "jar (deploy/bin/fieldbook-rolling-upgrade-check)");
        Path currentJar = Path.of(System.getProperty("fieldbook.upgrade.current-jar",
                "target/fieldbook-server-0.1.0-SNAPSHOT.jar"));
        assertThat(Path.of(previousJar)).isRegularFile();
        assertThat(currentJar).isRegularFile();
        logs = Path.of(System.getProperty("fieldbook.upgrade.logs", "target/rolling-upgrade"));
        Files.createDirectories(logs);
        Files.deleteIfExists(logs.resolve("steps.log"));
        createDatabase();

        // the API documentation off on the previous node: the jars built before 4db14c3 left out a library it needs
        // and did not start with it on; the documentation is no part of what the nodes share
        Node previous = start("previous", Path.of(previousJar), "--springdoc.api-docs.enabled=false",
                "--springdoc.swagger-ui.enabled=false");
        List<String> previousSchema = appliedMigrations();
        step("previous node on port " + previous.port + ", schema " + previousSchema);

        // the world, made through the previous node
        Fixtures world = new Fixtures(previous.port);
        String site = world.site();
        String portfolio = world.portfolio(site);
        Fixtures.Person worker = world.worker(site);
        Fixtures.Person manager = world.manager(portfolio);
        String submitted = Fixtures.draft(worker, site, DAY);
        expect(worker.api().post("/api/v1/reports/" + submitted + "/submit"), 200);
        String draft = Fixtures.draft(worker, site, DAY.plusDays(1));
        byte[] jpeg = Images.jpeg(64, 48);
        String photo = created(worker.api().upload("/api/v1/reports/" + draft + "/photos", jpeg, "formwork.jpg",
                Map.of()));
        SyncDevice phone = new SyncDevice(worker.api(), site);
        UUID synced = UUID.randomUUID();
        JsonNode pushed = phone.push(phone.createAt(site, synced, DAY.plusDays(2), "Pushed to the previous node"));
        assertThat(pushed.path("outcome").asString()).as(pushed.toString()).isEqualTo("APPLIED");
        WebSession browser = new WebSession("http://127.0.0.1:" + previous.port);
        expect(browser.send("POST", "/api/v1/auth/session", Map.of("login", worker.login(),
                "password", Fixtures.PASSWORD)), 200);
        String sessionCookie = browser.cookie("FIELDBOOK_SESSION");
        assertThat(sessionCookie).as("the previous node's session cookie").isNotNull();
        step("made through the previous node: site, worker, manager, a submitted report and a draft with crews, "
                + "a photo, a sync push, a web session");

        // this release starts on the same database while the previous node serves: it migrates
        long previousLogBeforeMigration = Files.size(previous.log);
        Node current = start("current", currentJar);
        List<String> currentSchema = appliedMigrations();
        step("this release's node on port " + current.port + ", schema " + currentSchema);
        assertThat(currentSchema).as("this release keeps every migration the previous one applied")
                .containsAll(previousSchema);
        assertThat(previous.isHealthy()).as("the previous node still serves after the migration").isTrue();

        Api workerOnCurrent = Api.anonymous(current.port).withToken(worker.api().token());
        Api managerOnCurrent = Api.anonymous(current.port).withToken(manager.api().token());
        Api workerOnPrevious = worker.api();
        Api managerOnPrevious = manager.api();

        // a token and a web session from a sign-in on the previous node work on this one
        JsonNode me = expect(workerOnCurrent.get("/api/v1/auth/me"), 200).body();
        assertThat(me.toString()).contains(worker.login());
        Api.Answer bySession = Api.anonymous(current.port).send("GET", "/api/v1/auth/me", null,
                Map.of("Cookie", "FIELDBOOK_SESSION=" + sessionCookie));
        assertThat(expect(bySession, 200).body().toString()).contains(worker.login());
        step("the previous node's bearer token and session cookie are accepted by this release's node");

        // written through the previous node, read, edited and approved through this one
        JsonNode draftOnCurrent = expect(workerOnCurrent.get("/api/v1/reports/" + draft), 200).body();
        assertThat(draftOnCurrent.path("content").path("crew").get(0).path("company").asString()).isEqualTo("Holz AG");
        Map<String, Object> editedOnCurrent = Fixtures.content("Edited on this release's node");
        editedOnCurrent.put("crew", List.of(Map.of("trade", "Steel", "company", "Stahl GmbH", "headcount", 2,
                "hours", 16)));
        expect(workerOnCurrent.put("/api/v1/reports/" + draft, Map.of("version", draftOnCurrent.path("version")
                .asLong(), "content", editedOnCurrent)), 200);
        JsonNode draftOnPrevious = expect(workerOnPrevious.get("/api/v1/reports/" + draft), 200).body();
        assertThat(draftOnPrevious.path("content").path("workPerformed").asString())
                .isEqualTo("Edited on this release's node");
        assertThat(draftOnPrevious.path("content").path("crew").get(0).path("company").asString())
                .isEqualTo("Stahl GmbH");
        expect(managerOnCurrent.post("/api/v1/reports/" + submitted + "/approve"), 200);
        assertThat(expect(managerOnPrevious.get("/api/v1/reports/" + submitted), 200).body().path("status")
                .asString()).isEqualTo("APPROVED");
        Api.Answer photoOnCurrent = workerOnCurrent.send("GET", "/api/v1/photos/" + photo + "/content", null,
                Map.of());
        assertThat(expect(photoOnCurrent, 200).raw().body()).isEqualTo(jpeg);
        step("the previous node's reports read, edited (crew too) and approved through this release's node, "
                + "its photo served by it, and the edits read back on the previous node");

        // written through this release's node, read, edited and approved through the previous one
        String fresh = created(workerOnCurrent.post("/api/v1/reports", Fixtures.report(site, DAY.plusDays(3))));
        JsonNode freshOnPrevious = expect(workerOnPrevious.get("/api/v1/reports/" + fresh), 200).body();
        assertThat(freshOnPrevious.path("content").path("crew").get(0).path("company").asString())
                .isEqualTo("Holz AG");
        Map<String, Object> editedOnPrevious = Fixtures.content("Edited on the previous node");
        editedOnPrevious.put("crew", List.of(Map.of("trade", "Electrical", "company", "Strom KG", "headcount", 3,
                "hours", 21), Map.of("trade", "Carpentry", "company", "Holz AG", "headcount", 1, "hours", 8)));
        expect(workerOnPrevious.put("/api/v1/reports/" + fresh, Map.of("version", freshOnPrevious.path("version")
                .asLong(), "content", editedOnPrevious)), 200);
        JsonNode freshBack = expect(workerOnCurrent.get("/api/v1/reports/" + fresh), 200).body();
        assertThat(freshBack.path("content").path("workPerformed").asString()).isEqualTo("Edited on the previous node");
        assertThat(freshBack.path("content").path("crew").size()).isEqualTo(2);
        expect(workerOnPrevious.post("/api/v1/reports/" + fresh + "/submit"), 200);
        expect(managerOnPrevious.post("/api/v1/reports/" + fresh + "/approve"), 200);
        assertThat(expect(workerOnCurrent.get("/api/v1/reports/" + fresh), 200).body().path("status").asString())
                .isEqualTo("APPROVED");
        step("this release's report read, edited (crew too), submitted and approved through the previous node");

        // sync: a push on one node is pulled on the other, both ways
        SyncDevice tablet = new SyncDevice(workerOnCurrent, site);
        JsonNode syncedOnCurrent = pulled(workerOnCurrent, tablet.id(), site, synced.toString());
        assertThat(syncedOnCurrent.path("content").path("workPerformed").asString())
                .isEqualTo("Pushed to the previous node");
        Map<String, Object> changes = new LinkedHashMap<>();
        changes.put("workPerformed", SyncDevice.edit("Pushed to the previous node", "Pushed to this release's node"));
        JsonNode edited = tablet.push(tablet.update(synced.toString(), syncedOnCurrent.path("version").asLong(),
                changes));
        assertThat(edited.path("outcome").asString()).as(edited.toString()).isEqualTo("APPLIED");
        JsonNode syncedOnPrevious = pulled(workerOnPrevious, phone.id(), site, synced.toString());
        assertThat(syncedOnPrevious.path("content").path("workPerformed").asString())
                .isEqualTo("Pushed to this release's node");
        assertThat(syncedOnPrevious.path("content").path("crew").get(0).path("trade").asString()).isEqualTo("Concrete");
        assertThat(syncedOnPrevious.path("version").asLong()).isEqualTo(edited.path("entityVersion").asLong());
        UUID syncedToPrevious = UUID.randomUUID();
        assertThat(phone.push(phone.createAt(site, syncedToPrevious, DAY.plusDays(4), "Second push to the previous"))
                .path("outcome").asString()).isEqualTo("APPLIED");
        assertThat(pulled(workerOnCurrent, tablet.id(), site, syncedToPrevious.toString()).path("content")
                .path("workPerformed").asString()).isEqualTo("Second push to the previous");
        step("sync pushes on either node pulled on the other, with the same versions");

        // the audit chain, written by both nodes, verifies on both
        Api adminOnPrevious = Api.anonymous(previous.port).signIn(ADMIN_LOGIN, ADMIN_PASSWORD);
        Api adminOnCurrent = Api.anonymous(current.port).withToken(adminOnPrevious.token());
        JsonNode verifiedOnCurrent = expect(adminOnCurrent.get("/api/v1/audit/verification"), 200).body();
        assertThat(verifiedOnCurrent.path("intact").asBoolean()).as(verifiedOnCurrent.toString()).isTrue();
        JsonNode verifiedOnPrevious = expect(adminOnPrevious.get("/api/v1/audit/verification"), 200).body();
        assertThat(verifiedOnPrevious.path("intact").asBoolean()).as(verifiedOnPrevious.toString()).isTrue();
        step("audit chain intact on this release's node (" + verifiedOnCurrent.path("linkedEvents").asLong()
                + " linked events) and on the previous one");

        // the previous node is rolled: it stops as systemd or Kubernetes stops it; this release serves on
        previous.stop();
        assertThat(errors(previous.log, previousLogBeforeMigration))
                .as("ERROR lines in the previous node's log from the migration on (%s)", previous.log).isEmpty();
        UUID afterRoll = UUID.randomUUID();
        assertThat(tablet.push(tablet.createAt(site, afterRoll, DAY.plusDays(5), "After the roll")).path("outcome")
                .asString()).isEqualTo("APPLIED");
        assertThat(expect(workerOnCurrent.get("/api/v1/reports/" + afterRoll), 200).body().path("content")
                .path("workPerformed").asString()).isEqualTo("After the roll");
        JsonNode verifiedAfterRoll = expect(adminOnCurrent.get("/api/v1/audit/verification"), 200).body();
        assertThat(verifiedAfterRoll.path("intact").asBoolean()).as(verifiedAfterRoll.toString()).isTrue();
        assertThat(errors(current.log, 0)).as("ERROR lines in this release's node's log (%s)", current.log)
                .isEmpty();
        step("the previous node stopped; this release's node serves on (sync push, read, audit chain intact); "
                + "no ERROR in either log");
    }

    /** The report of this id as a device pulling from the start gets it, or a failed assertion. */
    private static JsonNode pulled(Api api, UUID device, String site, String reportId) {
        String cursor = "";
        for (int page = 0; page < 50; page++) {
            Map<String, Object> request = new LinkedHashMap<>();
            request.put("protocolVersion", 1);
            request.put("clientVersion", "0.1.0");
            request.put("deviceId", device.toString());
            request.put("device", Map.of("outboxDepth", 0, "pendingPhotos", 0, "appVersion", "0.1.0"));
            request.put("cursor", cursor);
            request.put("limit", 100);
            request.put("knownSiteIds", List.of(site));
            JsonNode answer = expect(api.post("/api/v1/sync/pull", request), 200).body();
            for (JsonNode report : answer.path("reports")) {
                if (report.path("id").asString().equals(reportId)) {
                    return report;
                }
            }
            if (!answer.path("more").asBoolean()) {
                break;
            }
            cursor = answer.path("cursor").asString();
        }
        throw new AssertionError("report " + reportId + " not pulled from " + api.base());
    }

    /** The log's lines at level ERROR from byte {@code from} on. */
    private static List<String> errors(Path log, long from) throws IOException {
        byte[] all = Files.readAllBytes(log);
        String text = new String(all, (int) Math.min(from, all.length), all.length - (int) Math.min(from, all.length),
                StandardCharsets.UTF_8);
        return text.lines().filter(line -> line.contains(" ERROR ")).toList();
    }

    private void step(String what) throws IOException {
        Files.writeString(logs.resolve("steps.log"), Instant.now() + " " + what + System.lineSeparator(),
                StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** The versions of the migrations applied to the database so far, in the order they were applied. */
    private List<String> appliedMigrations() throws SQLException {
        List<String> versions = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(url(), user, password);
                Statement statement = connection.createStatement();
                ResultSet applied = statement.executeQuery("SELECT coalesce(version, description) FROM "
                        + "flyway_schema_history WHERE success ORDER BY installed_rank")) {
            while (applied.next()) {
                versions.add(applied.getString(1));
            }
        }
        return versions;
    }

    private void createDatabase() throws SQLException {
        String base = System.getProperty("fieldbook.test.postgres.url", "jdbc:postgresql://127.0.0.1:5432/fieldbook_test");
        user = System.getProperty("fieldbook.test.postgres.user", "fieldbook");
        password = System.getProperty("fieldbook.test.postgres.password", "fieldbook");
        int slash = base.lastIndexOf('/');
        maintenanceUrl = base.substring(0, slash + 1) + "postgres";
        String name = "fieldbook_upgrade_" + ProcessHandle.current().pid();
        try (Connection connection = DriverManager.getConnection(maintenanceUrl, user, password);
                Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            statement.execute("CREATE DATABASE " + name);
        }
        database = name;
    }

    private String url() {
        return maintenanceUrl.substring(0, maintenanceUrl.lastIndexOf('/') + 1) + database;
    }

    /** Starts a node of this jar on the test's database and waits until it answers healthy. */
    private Node start(String name, Path jar, String... settings) throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Path log = logs.resolve(name + ".log");
        Files.deleteIfExists(log);
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx384m", "-XX:TieredStopAtLevel=1", "-jar", jar.toString(),
                "--server.address=127.0.0.1",
                "--server.port=" + port,
                "--spring.datasource.url=" + url(),
                "--spring.datasource.username=" + user,
                "--spring.datasource.password=" + password,
                "--spring.datasource.hikari.maximum-pool-size=5",
                "--fieldbook.jobs.node-name=" + name,
                "--fieldbook.identity.first-administrator.login=" + ADMIN_LOGIN,
                "--fieldbook.identity.first-administrator.password=" + ADMIN_PASSWORD,
                "--fieldbook.identity.second-factor.required-for=",
                "--fieldbook.identity.second-factor.key-file=" + files.resolve("second-factor.key"),
                "--fieldbook.audit.key-file=" + files.resolve("audit.key"),
                "--fieldbook.audit.head-file=" + files.resolve(name + "-audit-heads.log"),
                "--fieldbook.attachments.directory=" + files.resolve("photos"),
                "--fieldbook.attachments.upload-directory=" + files.resolve("uploads"),
                "--logging.level.root=WARN",
                "--logging.level.org.flywaydb=INFO"));
        command.addAll(List.of(settings));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        Node node = new Node(port, process, log);
        nodes.add(node);
        node.awaitHealthy(Duration.ofMinutes(4));
        return node;
    }

    /** A node: its port, its JVM and its log. */
    private record Node(int port, Process process, Path log) {

        private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

        boolean isHealthy() throws InterruptedException {
            try {
                return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode() == 200;
            } catch (IOException notAnswering) {
                return false;
            }
        }

        void awaitHealthy(Duration limit) throws Exception {
            Instant deadline = Instant.now().plus(limit);
            while (Instant.now().isBefore(deadline)) {
                if (!process.isAlive()) {
                    throw new AssertionError("the node ended while starting; its log's end:\n" + tail());
                }
                if (isHealthy()) {
                    return;
                }
                Thread.sleep(250);
            }
            throw new AssertionError("the node was not healthy within " + limit + "; its log's end:\n" + tail());
        }

        /** Stops the node as a service manager does (SIGTERM, a graceful shutdown), within a minute. */
        void stop() throws InterruptedException {
            process.destroy();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the node stopped within a minute").isTrue();
        }

        void kill() throws InterruptedException {
            if (process.isAlive()) {
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
            }
        }

        private String tail() throws IOException {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        }
    }
}
