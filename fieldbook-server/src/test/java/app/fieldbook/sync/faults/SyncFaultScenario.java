package app.fieldbook.sync.faults;

import static org.assertj.core.api.Assertions.assertThat;

import app.fieldbook.Api;
import app.fieldbook.Fixtures;
import app.fieldbook.TestDatabase;
import app.fieldbook.client.Backoff;
import app.fieldbook.client.FieldbookClient;
import app.fieldbook.client.LocalReport;
import app.fieldbook.client.PhotoDetails;
import app.fieldbook.client.PhotoUpload;
import app.fieldbook.client.SyncSummary;
import app.fieldbook.protocol.CrewRow;
import app.fieldbook.protocol.Report;
import app.fieldbook.protocol.ReportContent;
import app.fieldbook.protocol.Weather;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.assertj.core.api.SoftAssertions;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A Jepsen-style check of offline sync. Field workers' devices (the real Java client, each with its own
 * SQLite store, two devices per worker) write reports and attach photos offline and sync, each through
 * a proxy of its own that delays answers, cuts requests inside their bodies (upload chunks half sent),
 * cuts answers inside their bytes or withholds them after the server committed, resets and replays
 * connections, and for some syncs loses the answer of every push while the pull of the same sync passes.
 * Meanwhile a manager approves and returns reports (before and during the syncs, while their authors'
 * other devices edit them offline); the two devices of a worker create the same report (site and day),
 * one filling the weather and crew, the other leaving them empty; a server process is killed in the
 * middle of pushes and started again, and a client process is killed in the middle of a sync. Beside
 * them, browsers run the web app as further devices of the same workers ({@link BrowserDevice}), each
 * through a proxy of its own with the same faults; the page is reloaded, and the browser killed, in the
 * middle of their syncs.
 *
 * <p>At the end every operation any device created must be applied exactly once or stand as a
 * conflict (none lost, none refused, none duplicated), no conflict may hold an empty value from a
 * create (a field only one device filled is no conflict), every photo must be on the server with its
 * hash, and every device and browser must hold exactly the server's records: every field, the status
 * and the version of every report, including those it edited itself.
 *
 * <p>The servers are {@link Nodes}: one ({@code SyncUnderFaultsTest}), or several behind a round-robin proxy on
 * one PostgreSQL database and one bucket ({@code SyncUnderFaultsOnTwoNodesTest}). Its size is a {@link Size}.
 */
final class SyncFaultScenario {

    /**
     * How big a run is: Java devices (two per worker), rounds, offline actions per device and round, browsers
     * (each of a worker who also has Java devices), and the seed of every random draw.
     */
    record Size(int devices, int rounds, int actions, int browsers, long seed) {

        /**
         * These defaults, each replaced by its system property where set: {@code fieldbook.faults.devices},
         * {@code .rounds}, {@code .actions}, {@code .browsers}, {@code .seed}.
         */
        static Size fromProperties(int devices, int rounds, int actions, int browsers) {
            return new Size(Integer.getInteger("fieldbook.faults.devices", devices),
                    Integer.getInteger("fieldbook.faults.rounds", rounds),
                    Integer.getInteger("fieldbook.faults.actions", actions),
                    Integer.getInteger("fieldbook.faults.browsers", browsers),
                    Long.getLong("fieldbook.faults.seed", 20261124L));
        }
    }

    /** Delay 30 % of answers by up to 150 ms; cut 8 % of answers and 8 % of requests with a body; reset 30 % of cuts; replay 10 % of connections. */
    private static final FaultyProxy.Faults FAULTS = new FaultyProxy.Faults(0.3, Duration.ofMillis(150), 0.08, 0.08,
            0.3, 0.1);
    /** The share of devices whose push answers are all lost in a round's sync (and, for half of them, the next). */
    private static final double DEAF_TO_PUSHES = 0.3;
    /** The share of workers whose two devices create the same report in a round, one of them leaving fields empty. */
    private static final double TWINS = 0.6;
    static final LocalDate OWN_DAYS = LocalDate.of(2031, 1, 1);
    private static final List<String> TEXTS = List.of("workPerformed", "delays", "notes");
    private static final JsonMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();
    private static final Set<String> EMPTY_VALUES = Set.of("null", "\"\"", "[]", "{}");

    private final Path dir;
    private final Size size;
    private final Nodes nodes;
    private final Random random;
    private final Set<UUID> createdOperations = ConcurrentHashMap.newKeySet();
    private final Map<UUID, String> described = new ConcurrentHashMap<>();
    private final Map<UUID, String> createdReports = new ConcurrentHashMap<>();
    private final List<FaultyProxy> networks = new ArrayList<>();
    private final List<BrowserDevice> browsers = new ArrayList<>();
    /** The SHA-256 of every photo a device or browser attached, checked on the server. */
    private final Set<String> photoHashes = ConcurrentHashMap.newKeySet();

    /** A scenario on these nodes, started already; its devices keep their stores under {@code dir}. */
    SyncFaultScenario(Path dir, Size size, Nodes nodes) {
        this.dir = dir;
        this.size = size;
        this.nodes = nodes;
        this.random = new Random(size.seed());
    }

    /** The SHA-256 of every photo the devices and browsers attached (after {@link #run}). */
    Set<String> photoHashes() {
        return Set.copyOf(photoHashes);
    }

    /**
     * Runs the rounds, settles, and checks that every operation was applied once or stands as a conflict, that no
     * report is duplicated, that every photo arrived with its hash and that every device converged; throws the
     * failed checks together.
     */
    void run() throws Exception {
        Map<String, Object> properties = nodes.database();
        int port = nodes.port();
        try {
            Fixtures world = new Fixtures(port);
            List<String> sites = List.of(world.site(), world.site());
            int workers = Math.max(1, size.devices() / 2);
            List<Fixtures.Person> people = new ArrayList<>();
            for (int i = 0; i < workers; i++) {
                people.add(world.worker(sites.toArray(String[]::new)));
            }
            Api manager = world.manager(world.portfolio(sites.toArray(String[]::new))).api();

            List<Device> devices = new ArrayList<>();
            for (int i = 0; i < size.devices(); i++) {
                FaultyProxy network = new FaultyProxy(nodes.entry(), FaultyProxy.Faults.none(), size.seed() + i);
                networks.add(network);
                devices.add(new Device(i, people.get(i % workers), network));
            }
            openBrowsers(people);
            networks.forEach(network -> network.faults(FAULTS));
            ExecutorService threads = Executors.newFixedThreadPool(size.devices() + size.browsers() + 2);
            try {
                for (int r = 0; r < size.rounds(); r++) {
                    int round = r;
                    long started = System.nanoTime();
                    browsers.forEach(BrowserDevice::offline);
                    createTwins(devices, workers, sites, round);
                    for (Device device : devices) {
                        for (int action = 0; action < size.actions(); action++) {
                            device.act(sites);
                        }
                        device.collectOperations();
                        device.deafFor = losePushAnswers(device.network, device.deafFor);
                    }
                    for (BrowserDevice browser : browsers) {
                        for (int action = 0; action < size.actions(); action++) {
                            act(browser, sites);
                        }
                        collectOperations(browser);
                        browser.deafFor = losePushAnswers(browser.network, browser.deafFor);
                    }
                    review(manager);
                    boolean killServer = round % 3 == 1;
                    Future<?> killer = killServer ? threads.submit(this::killLater) : null;
                    Future<?> reviewer = threads.submit(() -> reviewLater(manager));
                    List<Future<?>> syncs = new ArrayList<>();
                    for (Device device : devices) {
                        syncs.add(threads.submit(device::syncQuietly));
                    }
                    for (BrowserDevice browser : browsers) {
                        BrowserDevice.Interruption interruption = interruption(browser, round);
                        int millis = random.nextInt(200);
                        syncs.add(threads.submit(() -> {
                            long syncing = System.nanoTime();
                            BrowserDevice.Outcome outcome = browser.sync(interruption, millis);
                            System.out.printf("round %d, %s (%s): %s in %d ms%n", round, browser.name(), interruption,
                                    outcome, (System.nanoTime() - syncing) / 1_000_000);
                        }));
                    }
                    for (Future<?> sync : syncs) {
                        sync.get(3, TimeUnit.MINUTES);
                    }
                    reviewer.get(1, TimeUnit.MINUTES);
                    if (killer != null) {
                        killer.get(1, TimeUnit.MINUTES);
                        nodes.startKilled();
                    }
                    if (round == 2) {
                        devices.getFirst().killedInTheMiddleOfASync(random.nextInt(50, 600));
                    }
                    System.out.printf("round %d took %d ms%n", round, (System.nanoTime() - started) / 1_000_000);
                }
            } finally {
                threads.shutdownNow();
            }

            for (FaultyProxy network : networks) {
                network.faults(FaultyProxy.Faults.none());
                network.losePushAnswers(false);
            }
            long settling = System.nanoTime();
            if (!settle(devices)) {
                // what held them up, for the failure below: the servers' threads (virtual ones too) and the
                // database's sessions with what they wait for
                System.out.println(nodes.threadDumps());
                try (Connection db = connect(properties)) {
                    System.out.println(databaseSessions(db));
                }
            }
            checkSettled(devices);
            System.out.printf("settling took %d ms%n", (System.nanoTime() - settling) / 1_000_000);
            for (int i = 0; i < networks.size(); i++) {
                System.out.printf("network of %s %d: %s%n", i < size.devices() ? "device" : "browser", i,
                        networks.get(i).describeFaults());
            }
            for (BrowserDevice browser : browsers) {
                System.out.printf("%s: reloaded %d times and killed %d times after a sync's first request, %d of them "
                        + "while the sync still ran; signed in again %d times (a session cookie lost with a kill); "
                        + "opened the app again %d times (it did not come up through the faults); "
                        + "%d photos attached, %d upload chunks sent%n", browser.name(),
                        browser.reloads, browser.kills, browser.interruptedWhileSyncing, browser.signedInAgain,
                        browser.failedLoads, browser.photosAttached.size(), browser.uploadChunks.get());
            }
            assertThat(networks.stream().mapToInt(FaultyProxy::faultsInjected).sum()).as("faults were injected")
                    .isPositive();
            assertThat(networks.stream().mapToInt(network -> network.pushAnswersLost.get()).sum())
                    .as("push answers were lost").isPositive();

            SoftAssertions softly = new SoftAssertions();
            for (Device device : devices) {
                for (var rejected : device.client.rejectedChanges()) {
                    System.out.printf("device %d refused %s %s %s: %d %s %s%n", device.index, rejected.operationId(),
                            rejected.kind(), rejected.entity(), rejected.status(), rejected.problemType(),
                            rejected.detail());
                }
                softly.assertThat(device.client.rejectedChanges()).as("changes device " + device.index + " gave up on")
                        .isEmpty();
            }
            for (BrowserDevice browser : browsers) {
                softly.assertThat(browser.holdings().refused()).as("changes " + browser.name() + " gave up on").isEmpty();
                softly.assertThat(browser.takePageErrors()).as("errors the app threw in " + browser.name()).isEmpty();
            }
            try (Connection db = connect(properties)) {
                checkEveryOperationAppliedOnceOrConflicted(db, softly);
                checkNoConflictForAFieldOnlyOneSideFilled(db, softly);
                checkNoReportDuplicated(db, sites, softly);
            }
            checkEveryPhotoArrived(devices, softly);
            checkEveryDeviceConverged(devices, sites, softly);
            for (Device device : devices) {
                device.client.close();
            }
            softly.assertAll();
        } finally {
            for (BrowserDevice browser : browsers) {
                browser.close();
            }
            for (FaultyProxy network : networks) {
                network.close();
            }
        }
    }

    /** Opens the browsers at once, each signed in as a worker who has Java devices too, each with its network. */
    private void openBrowsers(List<Fixtures.Person> people) throws Exception {
        long started = System.nanoTime();
        List<Future<BrowserDevice>> opening = new ArrayList<>();
        ExecutorService threads = Executors.newFixedThreadPool(Math.max(1, size.browsers()));
        try {
            for (int i = 0; i < size.browsers(); i++) {
                FaultyProxy network = new FaultyProxy(nodes.entry(), FaultyProxy.Faults.none(),
                        size.seed() + size.devices() + i);
                networks.add(network);
                Fixtures.Person person = people.get(i % people.size());
                int index = size.devices() + i;
                opening.add(threads.submit(() -> new BrowserDevice(index, person, network)));
            }
            for (Future<BrowserDevice> browser : opening) {
                browsers.add(browser.get(5, TimeUnit.MINUTES));
            }
        } finally {
            threads.shutdownNow();
        }
        System.out.printf("%d browsers signed in, in %d ms%n", size.browsers(), (System.nanoTime() - started) / 1_000_000);
    }

    /**
     * The two devices of some workers each create the report of the same site and day offline, one with
     * the weather and crew filled, the other with them left empty; which create reaches the server first
     * depends on the race of their syncs. Half the time the worker's browser creates it too.
     */
    private void createTwins(List<Device> devices, int workers, List<String> sites, int round) {
        for (int worker = 0; worker + workers < devices.size(); worker++) {
            if (random.nextDouble() >= TWINS) {
                continue;
            }
            String site = sites.get(random.nextInt(sites.size()));
            LocalDate date = LocalDate.of(2029, 1, 1).plusDays((long) round * workers + worker);
            boolean firstFills = random.nextBoolean();
            devices.get(worker).createQuietly(site, date, true, firstFills);
            devices.get(worker + workers).createQuietly(site, date, true, !firstFills);
            for (BrowserDevice browser : browsers) {
                if (browser.person.equals(devices.get(worker).person) && random.nextBoolean()) {
                    create(browser, site, date, true, random.nextBoolean());
                }
            }
        }
    }

    /** A browser's person does one thing in the app, drawn as for the Java devices ({@link Device#act}). */
    private void act(BrowserDevice browser, List<String> sites) {
        int dice = random.nextInt(12);
        String done = null;
        if (dice >= 4 && dice < 8) {
            done = browser.edit(random.nextDouble(), TEXTS.get(random.nextInt(TEXTS.size())),
                    "b" + browser.index + "-" + (browser.counter++));
        } else if (dice >= 8 && dice < 10) {
            browser.submit(random.nextDouble());
        } else if (dice >= 10) {
            browser.attachPhoto(random.nextDouble(), noise(400 + random.nextInt(600), random.nextLong()),
                    "photo of " + browser.name());
        }
        if (dice < 4 || (dice < 8 && done == null)) {
            String site = sites.get(random.nextInt(sites.size()));
            boolean shared = random.nextBoolean();
            LocalDate date = shared ? LocalDate.of(2030, 1, 1).plusDays(random.nextInt(8))
                    : OWN_DAYS.plusDays(browser.index * 1000L + browser.counter++);
            create(browser, site, date, shared, random.nextBoolean());
        }
    }

    private void create(BrowserDevice browser, String site, LocalDate date, boolean shared, boolean filled) {
        String work = "work of " + browser.name() + " #" + (browser.counter++);
        Map<String, Object> content = filled
                ? Map.of("weather.conditions", "Rain", "weather.temperatureCelsius", random.nextInt(-50, 300) / 10.0,
                        "crew", List.of(Map.of("trade", "Carpentry", "company", "Holz AG",
                                "headcount", 1 + random.nextInt(9), "hours", random.nextInt(1, 800) / 10.0)),
                        "workPerformed", work)
                : Map.of("workPerformed", work);
        String id = browser.create(site, date, content);
        if (id != null) {
            createdReports.put(UUID.fromString(id), "created by " + browser.name() + (shared ? " on a shared day" : "")
                    + (filled ? " with weather and crew" : " without weather and crew"));
        }
    }

    /** Remembers every operation waiting in the browser's outbox: each must reach the server. */
    private void collectOperations(BrowserDevice browser) {
        for (BrowserDevice.Waiting waiting : browser.holdings().outbox()) {
            described.put(waiting.operationId(), browser.name() + " " + waiting.kind() + " " + waiting.entity() + " "
                    + waiting.entityId());
            createdOperations.add(waiting.operationId());
        }
    }

    /**
     * Loses every push answer on the network while a device is deaf ({@code deafFor} more syncs after this
     * one), and makes some devices deaf for this round's sync (and half of them for the next); answers
     * the new count.
     */
    private int losePushAnswers(FaultyProxy network, int deafFor) {
        network.losePushAnswers(deafFor-- > 0);
        if (deafFor < 0 && random.nextDouble() < DEAF_TO_PUSHES) {
            deafFor = random.nextInt(2);
            network.losePushAnswers(true);
        }
        return deafFor;
    }

    /** Each browser's sync is interrupted every third round by a reload of the page, and every third by a kill. */
    private static BrowserDevice.Interruption interruption(BrowserDevice browser, int round) {
        return switch ((round + browser.index) % 3) {
            case 0 -> BrowserDevice.Interruption.RELOAD;
            case 1 -> BrowserDevice.Interruption.KILL;
            default -> BrowserDevice.Interruption.NONE;
        };
    }

    /**
     * Syncs every device and browser, faults off, until nothing waits anywhere; answers whether that came
     * within the time.
     */
    private boolean settle(List<Device> devices) {
        // a change or photo put off during the faults waits for its retry time (backoff), up to a few minutes
        long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        while (System.nanoTime() < deadline) {
            boolean done = true;
            for (Device device : devices) {
                device.collectOperations();
                SyncSummary summary = device.client.sync();
                done &= summary.complete() && device.client.state().outboxDepth() == 0
                        && device.client.state().pendingPhotos() == 0;
            }
            for (BrowserDevice browser : browsers) {
                collectOperations(browser);
                done &= browser.syncNow().complete();
            }
            if (done) {
                return true;
            }
            sleep(500);
        }
        return false;
    }

    /** Syncs every device and browser once more, so all pull the last state, and checks nothing waits. */
    private void checkSettled(List<Device> devices) {
        for (Device device : devices) {
            // a busy answer (503 with Retry-After) may still meet one sync of a server just started again
            SyncSummary last = device.client.sync();
            for (int retry = 0; retry < 5 && !last.complete(); retry++) {
                sleep(500);
                last = device.client.sync();
            }
            assertThat(last.complete()).as("device %d's last sync: %s; waiting: %s; photos: %s", device.index, last,
                    device.client.waitingChanges(), device.client.photoUploads()).isTrue();
            assertThat(device.client.state().outboxDepth()).as("device " + device.index + " outbox").isZero();
        }
        for (BrowserDevice browser : browsers) {
            BrowserDevice.Outcome last = browser.syncNow();
            for (int retry = 0; retry < 5 && !last.complete(); retry++) {
                sleep(500);
                last = browser.syncNow();
            }
            assertThat(last.complete()).as("%s's last sync: %s; waiting: %s", browser.name(), last,
                    browser.holdings().outbox()).isTrue();
        }
    }

    private void checkEveryOperationAppliedOnceOrConflicted(Connection db, SoftAssertions softly) throws SQLException {
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
        softly.assertThat(lost).as("operations created on devices that the server never recorded").isEmpty();
        Map<String, Long> byOutcome = new HashMap<>();
        outcomes.values().forEach(outcome -> byOutcome.merge(outcome, 1L, Long::sum));
        outcomes.forEach((id, outcome) -> {
            if (outcome.equals("REJECTED")) {
                System.out.println("refused " + id + ": " + described.get(id));
            }
        });
        softly.assertThat(byOutcome).as("outcomes").doesNotContainKey("REJECTED");
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
        softly.assertThat(withConflictRecords).as("every conflicting operation keeps its values").containsAll(conflicted);
        System.out.printf("sync under faults: %d operations, outcomes %s%n", createdOperations.size(), byOutcome);
    }

    /**
     * A create merged into the report another device of its author created keeps the fields it left
     * empty out of the merge: a conflict whose device value is empty (null, "", []) means the server
     * took "not filled" for a change, and resolving it for the device would erase the other's data.
     */
    private void checkNoConflictForAFieldOnlyOneSideFilled(Connection db, SoftAssertions softly) throws SQLException {
        List<String> empty = new ArrayList<>();
        int all = 0;
        try (var statement = db.prepareStatement(
                "SELECT operation_id, entity_id, field, client_value, server_value FROM sync_conflicts");
                ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                all++;
                String operation = described.getOrDefault(rows.getObject(1, UUID.class), "");
                String clientValue = rows.getString(4);
                boolean isEmpty = clientValue == null || clientValue.isBlank()
                        || EMPTY_VALUES.contains(clientValue.replace(" ", ""));
                if (isEmpty && operation.contains(" CREATE ")) {
                    empty.add(operation + ": field " + rows.getString(3) + " of " + rows.getObject(2, UUID.class)
                            + ", device value " + clientValue + ", server value " + rows.getString(5));
                }
            }
        }
        empty.stream().limit(20).forEach(line -> System.out.println("conflict for a field only one side filled: " + line));
        System.out.printf("conflicts: %d, of which %d for a field only one side filled%n", all, empty.size());
        softly.assertThat(empty).as("conflicts recorded for fields a merged create left empty").isEmpty();
    }

    /** Every report on the server comes from exactly one create of some device, or several merged ones. */
    private void checkNoReportDuplicated(Connection db, List<String> sites, SoftAssertions softly) throws SQLException {
        Set<UUID> fromCreates = new HashSet<>();
        try (var statement = db.prepareStatement("SELECT operation_id, result FROM sync_operations");
                ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                UUID id = rows.getObject(1, UUID.class);
                String description = described.get(id);
                if (description != null && description.contains(" CREATE DailyReport ")) {
                    JsonNode result = JSON.readTree(rows.getString(2));
                    if (result.path("outcome").asString().equals("APPLIED")
                            || result.path("outcome").asString().equals("CONFLICT")) {
                        fromCreates.add(UUID.fromString(result.path("entityId").asString()));
                    }
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
        softly.assertThat(stored).as("the reports are exactly those the devices' creates made").isEqualTo(fromCreates);
        try (var statement = db.prepareStatement("""
                SELECT COUNT(*) FROM (SELECT site_id, report_date, author_id FROM daily_reports
                 WHERE site_id IN (?, ?) GROUP BY site_id, report_date, author_id HAVING COUNT(*) > 1) twice
                """)) {
            statement.setObject(1, UUID.fromString(sites.get(0)));
            statement.setObject(2, UUID.fromString(sites.get(1)));
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                softly.assertThat(rows.getLong(1)).as("two reports of one author, site and day").isZero();
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
                softly.assertThat(rows.getLong(1)).as("a report created twice").isZero();
            }
        }
    }

    /**
     * Every photo a device or browser attached was uploaded whole: the server holds it, not pending, with
     * the device's hash; the device's copy is gone only after the server's receipt.
     */
    private void checkEveryPhotoArrived(List<Device> devices, SoftAssertions softly) {
        int photos = 0;
        for (Device device : devices) {
            for (PhotoUpload upload : device.client.photoUploads()) {
                photos++;
                String where = "photo " + upload.photoId() + " of device " + device.index;
                softly.assertThat(upload.state()).as(where + " on the device").isEqualTo(PhotoUpload.State.UPLOADED);
                checkPhotoOnTheServer(device.api, upload.photoId().toString(), upload.sha256(), where, softly);
            }
            softly.assertThat(device.client.photoUploads()).as("photos device " + device.index + " attached")
                    .hasSize(device.photosAttached);
        }
        for (BrowserDevice browser : browsers) {
            Map<String, BrowserDevice.HeldPhoto> held = browser.holdings().photos().stream()
                    .collect(Collectors.toMap(BrowserDevice.HeldPhoto::id, photo -> photo));
            for (String id : browser.photosAttached) {
                photos++;
                String where = "photo " + id + " of " + browser.name();
                BrowserDevice.HeldPhoto photo = held.get(id);
                softly.assertThat(photo).as(where + " on the device").isNotNull();
                if (photo != null) {
                    softly.assertThat(photo.receipt()).as(where + ": the server's receipt on the device").isTrue();
                    softly.assertThat(photo.copyOnDevice()).as(where + ": the device's copy kept").isFalse();
                    softly.assertThat(photo.refused()).as(where + " refused").isNull();
                    checkPhotoOnTheServer(browser.person.api(), id, photo.sha256(), where, softly);
                }
            }
        }
        System.out.printf("photos: %d attached, checked on the server%n", photos);
    }

    private void checkPhotoOnTheServer(Api api, String id, String sha256, String where, SoftAssertions softly) {
        photoHashes.add(sha256);
        Api.Answer photo = api.get("/api/v1/photos/" + id);
        softly.assertThat(photo.status()).as(where + " on the server").isEqualTo(200);
        softly.assertThat(photo.body().path("sha256").asString()).as(where + " hash").isEqualTo(sha256);
        softly.assertThat(photo.body().path("pending").asBoolean()).as(where + " pending").isFalse();
        Api.Answer content = api.get("/api/v1/photos/" + id + "/content");
        softly.assertThat(content.status()).as(where + " content").isEqualTo(200);
        if (content.status() == 200) {
            softly.assertThat(sha256(content.raw().body())).as(where + " content hash").isEqualTo(sha256);
        }
    }

    /**
     * Every device and browser holds exactly what the server holds on its sites: the same reports, each
     * with every field, its status, its return comment and its version equal, including the reports the
     * device edited itself (a device that kept its own refused text beside the server's copy diverged).
     */
    private void checkEveryDeviceConverged(List<Device> devices, List<String> sites, SoftAssertions softly) {
        int diverged = 0;
        for (Device device : devices) {
            Map<UUID, String> local = new HashMap<>();
            for (LocalReport report : device.client.reports()) {
                softly.assertThat(report.synced()).as("report " + report.id() + " synced on device " + device.index)
                        .isTrue();
                local.put(report.id(), described(report));
            }
            diverged += differences("device " + device.index, device.api, sites, local, softly);
        }
        for (BrowserDevice browser : browsers) {
            Map<UUID, String> local = new HashMap<>();
            for (BrowserDevice.Held report : browser.holdings().reports()) {
                softly.assertThat(report.settled()).as("report " + report.id() + " settled in " + browser.name())
                        .isTrue();
                local.put(report.id(), described(report.status(), report.version(), report.siteId(), report.date(),
                        report.authorId(), report.content(), report.returnComment()));
            }
            diverged += differences(browser.name(), browser.person.api(), sites, local, softly);
        }
        System.out.printf("convergence: %d reports differ between a device and the server%n", diverged);
    }

    /** How many reports {@code holder} holds unlike the server (reports of {@code sites} as its person reads them). */
    private int differences(String holder, Api api, List<String> sites, Map<UUID, String> local, SoftAssertions softly) {
        Map<UUID, String> server = new HashMap<>();
        for (String site : sites) {
            for (int number = 0; number < 1000; number++) {
                JsonNode page = api.get("/api/v1/reports?size=500&siteId=" + site + "&page=" + number).body();
                page.path("items").valueStream().forEach(item -> {
                    Report report = JSON.treeToValue(item, Report.class);
                    server.put(report.id(), described(report));
                });
                if (page.path("items").size() < 500) {
                    break;
                }
            }
        }
        Set<UUID> ids = new TreeSet<>(server.keySet());
        ids.addAll(local.keySet());
        List<String> differences = new ArrayList<>();
        for (UUID id : ids) {
            String mine = local.get(id);
            String theirs = server.get(id);
            if (mine == null || !mine.equals(theirs)) {
                differences.add(id + " (" + createdReports.getOrDefault(id, "created elsewhere")
                        + ")\n    device: " + mine + "\n    server: " + theirs);
            }
        }
        differences.stream().limit(10).forEach(line -> System.out.println(holder + " diverged on report " + line));
        softly.assertThat(differences).as("reports " + holder + " holds unlike the server").isEmpty();
        return differences.size();
    }

    private static String described(Report report) {
        return described(report.status().name(), report.version(), report.siteId(), report.date(), report.authorId(),
                report.content(), report.returnComment());
    }

    private static String described(LocalReport report) {
        return described(report.status().name(), report.version(), report.siteId(), report.date(), report.authorId(),
                report.content(), report.returnComment());
    }

    /** Every field in canonical form: empty text as null, numbers without trailing zeros. */
    private static String described(String status, long version, UUID siteId, LocalDate date, UUID authorId,
            ReportContent content, String returnComment) {
        Weather weather = content.weather();
        String crew = content.crew().stream().map(row -> text(row.trade()) + "/" + text(row.company()) + "/"
                + row.headcount() + "/" + number(row.hours())).collect(Collectors.joining(", ", "[", "]"));
        return status + " v" + version + " site " + siteId + " " + date + " by " + authorId + " weather "
                + text(weather.conditions()) + "/" + number(weather.temperatureCelsius()) + " crew " + crew
                + " work " + text(content.workPerformed()) + " delays " + text(content.delays()) + " safety "
                + text(content.safetyIncidents()) + " materials " + text(content.materials()) + " notes "
                + text(content.notes()) + " returned " + text(returnComment);
    }

    private static String text(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    private static String number(BigDecimal value) {
        return value == null ? null : value.stripTrailingZeros().toPlainString();
    }

    /** The manager approves or returns some submitted reports, straight at the server. */
    private void review(Api manager) {
        JsonNode submitted = manager.get("/api/v1/reports?status=SUBMITTED&size=500").body().path("items");
        for (JsonNode report : submitted) {
            int dice;
            synchronized (random) {
                dice = random.nextInt(3);
            }
            String id = report.path("id").asString();
            if (dice == 0) {
                manager.post("/api/v1/reports/" + id + "/approve");
            } else if (dice == 1) {
                manager.post("/api/v1/reports/" + id + "/return", Map.of("comment", "Add the crew hours"));
            }
        }
    }

    /** Reviews again while the devices sync (the server may be down meanwhile: then the manager does nothing). */
    private void reviewLater(Api manager) {
        int wait;
        synchronized (random) {
            wait = random.nextInt(400);
        }
        sleep(wait);
        try {
            review(manager);
        } catch (RuntimeException serverDown) {
            System.out.println("the manager's review ended: " + serverDown);
        }
    }

    /** Kills a node (the node, with one) with {@code kill -9} a little after the syncs started. */
    private void killLater() {
        try {
            int wait;
            synchronized (random) {
                wait = 50 + random.nextInt(400);
            }
            nodes.killOneAfter(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One device: its store, its client, its network, and what it does offline. */
    private final class Device {

        final int index;
        final Fixtures.Person person;
        final Api api;
        final Path store;
        final FaultyProxy network;
        FieldbookClient client;
        int counter;
        int photosAttached;
        /** How many more syncs lose every push answer after this round's. */
        int deafFor = -1;

        Device(int index, Fixtures.Person person, FaultyProxy network) {
            this.index = index;
            this.person = person;
            this.api = person.api();
            this.store = dir.resolve("device-" + index).resolve("client.db");
            this.network = network;
            this.client = open();
            client.signIn(person.login(), Fixtures.PASSWORD.toCharArray());
        }

        FieldbookClient open() {
            return FieldbookClient.builder(store).server(URI.create("http://127.0.0.1:" + network.port()))
                    .backoff(new Backoff(Duration.ofMillis(20), Duration.ofMillis(300), 3, Duration.ofSeconds(2)))
                    .requestTimeout(Duration.ofSeconds(20))
                    .chunkSize(8 * 1024)
                    .open();
        }

        void act(List<String> sites) {
            List<LocalReport> mine = client.reports().stream()
                    .filter(report -> report.authorId().toString().equals(person.id()) && report.editable()).toList();
            int dice = random.nextInt(12);
            try {
                if (dice < 4 || mine.isEmpty()) {
                    create(sites);
                } else if (dice < 8) {
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
                } else if (dice < 10) {
                    List<LocalReport> submittable = mine.stream()
                            .filter(report -> dayOf(report) == -1 || dayOf(report) == index).toList();
                    client.submitReport(submittable.get(random.nextInt(submittable.size())).id());
                } else {
                    List<LocalReport> own = mine.stream().filter(report -> dayOf(report) == index)
                            .toList();
                    attachPhoto(own.get(random.nextInt(own.size())));
                }
            } catch (RuntimeException refusedLocally) {
                // the device's own rules refused it (e.g. its report of that day exists); nothing was queued
            }
        }

        /**
         * The device whose own day the report is of, or -1 for a day several devices report. Only that
         * device submits it and attaches photos to it, so that a photo is never attached offline to a
         * report another device submitted (the server refuses photos of a report not in draft or
         * returned); the worker's other device still edits it.
         */
        private int dayOf(LocalReport report) {
            long day = ChronoUnit.DAYS.between(OWN_DAYS, report.date());
            return day < 0 ? -1 : (int) (day / 1000);
        }

        /**
         * A report of a day of its own, or of a day the worker's other device may report too; half the
         * time with the weather and crew filled, half the time with them left empty.
         */
        private void create(List<String> sites) {
            String site = sites.get(random.nextInt(sites.size()));
            boolean shared = random.nextBoolean();
            LocalDate date = shared ? LocalDate.of(2030, 1, 1).plusDays(random.nextInt(8))
                    : OWN_DAYS.plusDays(index * 1000L + counter++);
            create(site, date, shared, random.nextBoolean());
        }

        void createQuietly(String site, LocalDate date, boolean shared, boolean filled) {
            try {
                create(site, date, shared, filled);
            } catch (RuntimeException refusedLocally) {
                // this device holds that report already
            }
        }

        private void create(String site, LocalDate date, boolean shared, boolean filled) {
            String work = "work of device " + index + " #" + counter++;
            ReportContent content = filled
                    ? new ReportContent(new Weather("Rain", BigDecimal.valueOf(random.nextInt(-50, 300), 1)),
                            List.of(new CrewRow("Carpentry", "Holz AG", 1 + random.nextInt(9),
                                    BigDecimal.valueOf(random.nextInt(1, 800), 1))), work, null, null, null, null)
                    : new ReportContent(null, null, work, null, null, null, null);
            LocalReport created = client.createReport(UUID.fromString(site), date, content);
            createdReports.put(created.id(), "created by device " + index + (shared ? " on a shared day" : "")
                    + (filled ? " with weather and crew" : " without weather and crew"));
        }

        private void attachPhoto(LocalReport report) {
            try {
                Path file = dir.resolve("device-" + index).resolve("photo-" + (counter++) + ".png");
                Files.write(file, noise(60 + random.nextInt(60), random.nextLong()));
                client.attachPhoto(report.id(), file, PhotoDetails.captioned("photo of device " + index));
                photosAttached++;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
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
                    createdOperations.add(UUID.fromString(rows.getString(1)));
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

    /** A PNG of random pixels (it hardly compresses: several upload chunks), different for every seed. */
    private static byte[] noise(int side, long seed) {
        Random pixels = new Random(seed);
        BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                image.setRGB(x, y, pixels.nextInt(1 << 24));
            }
        }
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            ImageIO.write(image, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The database's sessions, on PostgreSQL with what each waits for (an idle transaction that holds a lock). */
    private static String databaseSessions(Connection db) throws SQLException {
        if (!TestDatabase.isPostgres()) {
            return "(database sessions: PostgreSQL only)";
        }
        StringBuilder sessions = new StringBuilder("database sessions:\n");
        try (var rows = db.createStatement().executeQuery("""
                SELECT pid, state, now() - xact_start, wait_event_type, wait_event, pg_blocking_pids(pid),
                       left(query, 300)
                  FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()""")) {
            while (rows.next()) {
                sessions.append(String.format("  %s %s, in its transaction for %s, waiting for %s/%s, blocked by %s: %s%n",
                        rows.getInt(1), rows.getString(2), rows.getString(3), rows.getString(4), rows.getString(5),
                        rows.getString(6), rows.getString(7)));
            }
        }
        return sessions.toString();
    }

    private static Connection connect(Map<String, Object> properties) throws SQLException {
        return DriverManager.getConnection((String) properties.get("spring.datasource.url"),
                (String) properties.get("spring.datasource.username"),
                (String) properties.get("spring.datasource.password"));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
