package app.fieldbook.sync.faults;

import static app.fieldbook.Fixtures.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import app.fieldbook.Api;
import app.fieldbook.Fixtures;
import app.fieldbook.TestDatabase;
import app.fieldbook.WebSession;
import app.fieldbook.attachments.ObjectStore;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Beyond one machine (issue 15): two server processes on one PostgreSQL database, their photos in one bucket of a
 * real S3 API (S3Proxy, {@link ObjectStore}), behind round-robin proxies of the test's own ({@link RoundRobinProxy},
 * one per device, sending each request to the next node). The sync fault scenario ({@link SyncFaultScenario})
 * runs across them: every device's requests alternate between the nodes, its photo uploads go on chunk by chunk
 * on both (one started on a node ends on the other), and in every third round one node is killed with
 * {@code kill -9} in the middle of a push (in turns), the other serves the rest of the round's syncs alone, and
 * the killed node is started again before the next round. None lost, none refused, none duplicated, every photo in the bucket with its hash, every device
 * converged. Beside it, a web session and a bearer token begun on one node are used, and ended, on the other.
 *
 * <p>PostgreSQL only (the {@code postgres} run). Small by default, with no browsers; {@code fieldbook.faults.*}
 * make it bigger, as for {@link SyncUnderFaultsTest}.
 */
@Tag("database")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SyncUnderFaultsOnTwoNodesTest {

    private static final SyncFaultScenario.Size SIZE = SyncFaultScenario.Size.fromProperties(6, 4, 4, 0);
    private static final String BUCKET = "fieldbook-fault-nodes";

    @TempDir
    static Path dir;

    private ObjectStore store;
    private Nodes nodes;

    @BeforeAll
    void twoNodesOnOneDatabaseAndOneBucket() throws Exception {
        assumeTrue(TestDatabase.isPostgres(), "two server processes share a PostgreSQL database");
        store = ObjectStore.start(BUCKET);
        List<ServerProcess> servers = new ArrayList<>();
        Map<String, Object> database = TestDatabase.postgresForAnotherProcess();
        for (int i = 0; i < 2; i++) {
            String node = "node-" + i;
            // its own audit head file and photo directory (TestDatabase gives each call its own), the shared key
            Map<String, Object> properties = new LinkedHashMap<>(TestDatabase.postgresForAnotherProcess());
            properties.putAll(store.serverProperties());
            properties.put("fieldbook.jobs.node-name", node);
            // each node stages on its own disk: nothing of an upload may be left there for the other
            properties.put("fieldbook.attachments.directory", dir.resolve(node + "-staging"));
            properties.put("fieldbook.attachments.upload-directory", dir.resolve(node + "-uploads"));
            // a node killed in the middle of a chunk holds its photo this long (a minute by default)
            properties.put("fieldbook.attachments.upload-lease", "PT5S");
            servers.add(new ServerProcess(SyncUnderFaultsTest.freePort(), properties, dir.resolve(node + ".log")));
        }
        nodes = new Nodes(database, servers, SIZE.seed());
        nodes.start();
    }

    @AfterAll
    void stopTheNodesAndTheBucket() throws Exception {
        if (nodes != null) {
            nodes.close();
        }
        if (store != null) {
            store.close();
        }
    }

    @Test
    void theFaultScenarioRunsAcrossTwoNodesWithOneKilledMidPushAndNothingIsLostOrDuplicated() throws Exception {
        SyncFaultScenario scenario = new SyncFaultScenario(dir, SIZE, nodes);
        scenario.run();

        SoftAssertions softly = new SoftAssertions();
        // the devices' proxies, then the browsers'
        List<RoundRobinProxy> balancers = nodes.balancers();
        int[] overall = new int[2];
        for (int device = 0; device < balancers.size(); device++) {
            RoundRobinProxy balancer = balancers.get(device);
            int[] answered = balancer.answeredPerNode();
            int[] sent = balancer.sentPerNode();
            int[] refused = {balancer.refusedBy(0), balancer.refusedBy(1)};
            System.out.printf("%s %d: node 0 and 1 answered %s of the requests sent to them %s, refused %s%n",
                    device < SIZE.devices() ? "device" : "browser", device, Arrays.toString(answered),
                    Arrays.toString(sent), Arrays.toString(refused));
            overall[0] += answered[0];
            overall[1] += answered[1];
            int all = sent[0] + sent[1];
            for (int node = 0; node < 2; node++) {
                softly.assertThat(answered[node]).as("device %d's requests answered by node %d", device, node)
                        .isPositive();
                // the requests whose turn fell on the node: sent to it, or refused while it was down and sent to the
                // other (one node is down at a time)
                softly.assertThat(sent[node] + refused[node] - refused[1 - node])
                        .as("device %d's requests (%d) whose turn fell on node %d", device, all, node)
                        .isGreaterThanOrEqualTo(2 * all / 5);
            }
        }
        System.out.printf("all devices and browsers: %s requests answered by node 0 and 1%n",
                Arrays.toString(overall));
        softly.assertThat(Math.min(overall[0], overall[1])).as("requests answered by the node that answered fewer, of %d",
                overall[0] + overall[1]).isGreaterThanOrEqualTo((overall[0] + overall[1]) / 3);

        List<Upload> uploads = uploads(balancers);
        long onBoth = uploads.stream().filter(upload -> Set.copyOf(upload.chunks()).size() == 2).count();
        long endedElsewhere = uploads.stream()
                .filter(upload -> upload.start() != null && !upload.start().equals(upload.chunks().getLast())).count();
        System.out.printf("photo uploads: %d with chunks taken, %d of them by both nodes, %d started on one node and "
                + "ended (the last chunk) on the other%n", uploads.size(), onBoth, endedElsewhere);
        softly.assertThat(onBoth).as("uploads whose chunks both nodes took").isPositive();
        softly.assertThat(endedElsewhere).as("uploads started on one node and ended on the other").isPositive();

        softly.assertThat(nodes.killsInAPush.get()).as("nodes killed while they held a push").isPositive();
        int refusals = balancers.stream().mapToInt(balancer -> balancer.refusedBy(0) + balancer.refusedBy(1)).sum();
        softly.assertThat(refusals).as("requests whose node was down, taken by the other").isPositive();

        Set<String> photos = scenario.photoHashes();
        softly.assertThat(photos).as("photos attached").isNotEmpty();
        for (String sha256 : new TreeSet<>(photos)) {
            byte[] object = store.object(sha256.substring(0, 2) + "/" + sha256.substring(2, 4) + "/" + sha256);
            softly.assertThat(object).as("photo %s in the bucket", sha256).isNotNull();
            if (object != null) {
                softly.assertThat(sha256(object)).as("photo %s's object's hash", sha256).isEqualTo(sha256);
            }
        }
        softly.assertAll();
    }

    @Test
    void aSessionAndATokenBegunOnOneNodeAreUsedAndEndedOnTheOther() throws Exception {
        int a = nodes.servers().get(0).port();
        int b = nodes.servers().get(1).port();
        Fixtures world = new Fixtures(a);
        Fixtures.Person worker = world.worker(world.site());

        WebSession onA = new WebSession("http://127.0.0.1:" + a);
        expect(onA.send("POST", "/api/v1/auth/session", Map.of("login", worker.login(),
                "password", Fixtures.PASSWORD)), 200);
        WebSession onB = onA.copyTo("http://127.0.0.1:" + b);
        assertThat(expect(onB.send("GET", "/api/v1/auth/me", null), 200).body().path("login").asString())
                .as("who node b sees with the session cookie node a gave").isEqualTo(worker.login());
        expect(onB.send("DELETE", "/api/v1/auth/session", null), 204);
        assertThat(onA.send("GET", "/api/v1/auth/me", null).status())
                .as("node a, with the cookie of the session signed out on node b").isEqualTo(401);

        Api tokenFromA = Api.anonymous(a).signIn(worker.login(), Fixtures.PASSWORD);
        Api tokenOnB = Api.anonymous(b).withToken(tokenFromA.token());
        assertThat(expect(tokenOnB.get("/api/v1/auth/me"), 200).body().path("login").asString())
                .as("who node b sees with the bearer token node a issued").isEqualTo(worker.login());
        expect(tokenOnB.delete("/api/v1/auth/tokens/current"), 204);
        assertThat(tokenFromA.get("/api/v1/auth/me").status())
                .as("node a, with the token revoked on node b").isEqualTo(401);
    }

    /**
     * One photo's upload as a device's proxy saw it: the node that answered its start (the device's last
     * {@code POST /api/v1/sync/uploads} answered 200 before the photo's first chunk; null if none), and the nodes
     * that took its chunks (each {@code PATCH} answered 200), in order.
     */
    private record Upload(Integer start, List<Integer> chunks) {
    }

    /** The photo uploads of every device, from its proxy, which sees the device's requests in order. */
    private static List<Upload> uploads(List<RoundRobinProxy> balancers) {
        List<Upload> uploads = new ArrayList<>();
        for (RoundRobinProxy balancer : balancers) {
            Map<String, Upload> byPhoto = new LinkedHashMap<>();
            Integer start = null;
            for (RoundRobinProxy.Served served : balancer.served()) {
                String[] line = served.requestLine().split(" ");
                if (served.status() != 200) {
                    continue;
                }
                if (line[0].equals("POST") && line[1].equals("/api/v1/sync/uploads")) {
                    start = served.node();
                } else if (line[0].equals("PATCH") && line[1].startsWith("/api/v1/sync/uploads/")) {
                    Integer started = start;
                    byPhoto.computeIfAbsent(line[1], photo -> new Upload(started, new ArrayList<>())).chunks()
                            .add(served.node());
                }
            }
            uploads.addAll(byPhoto.values());
        }
        return uploads;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
