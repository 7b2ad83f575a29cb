package app.fieldbook.attachments;

import static app.fieldbook.Fixtures.expect;
import static app.fieldbook.sync.SyncDevice.edit;
import static org.assertj.core.api.Assertions.assertThat;

import app.fieldbook.Api;
import app.fieldbook.FieldbookApplication;
import app.fieldbook.Fixtures;
import app.fieldbook.Images;
import app.fieldbook.TestDatabase;
import app.fieldbook.sync.SyncDevice;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Two nodes (two application contexts, each with its own web server and staging directory) on one database (H2,
 * or PostgreSQL in the {@code postgres} run) and one bucket (S3Proxy, {@link ObjectStore}) take one resumable
 * upload together (ADR 0029): started on one node, its chunks sent to the two in turn, finished on the other, each
 * node answering the same offset, and the photo in the bucket has the announced hash. A chunk that one node is
 * still receiving keeps the other node from appending to the same photo (409 {@code upload-busy}), and of two
 * chunks sent at once to the two nodes one is taken and the other refused, so the content is never corrupted.
 */
@Tag("database")
class UploadsOnTwoNodesTest {

    private static final String BUCKET = "fieldbook-two-nodes";
    private static final ObjectStore STORE = ObjectStore.start(BUCKET);
    private static final LocalDate DAY = LocalDate.of(2027, 5, 3);

    @TempDir
    Path files;

    private final Map<String, ConfigurableApplicationContext> nodes = new LinkedHashMap<>();
    private ConfigurableApplicationContext a;
    private ConfigurableApplicationContext b;
    private String site;
    private Fixtures.Person worker;
    private SyncDevice phone;

    @BeforeEach
    void startTwoNodes() {
        Map<String, Object> database = database();
        a = start("node-a", database);
        b = start("node-b", database);
        Fixtures world = new Fixtures(port(a));
        site = world.site();
        worker = world.worker(site);
        phone = new SyncDevice(worker.api(), site);
    }

    @AfterEach
    void stopTheNodes() {
        nodes.values().forEach(ConfigurableApplicationContext::close);
    }

    @AfterAll
    static void stopTheStore() throws Exception {
        STORE.close();
    }

    @Test
    void anUploadStartedOnOneNodeGoesOnAlternatingAndEndsOnTheOther() throws Exception {
        byte[] jpeg = Images.jpeg(1200, 900);
        UUID photo = announce(jpeg, DAY);
        assertThat(expect(startUpload(a, photo, jpeg), 200).body().path("offset").asLong()).isZero();

        int chunks = 6;
        int step = jpeg.length / chunks + 1;
        List<ConfigurableApplicationContext> turns = List.of(a, b);
        Api.Answer last = null;
        for (int i = 0, offset = 0; offset < jpeg.length; i++, offset += step) {
            ConfigurableApplicationContext node = offset + step >= jpeg.length ? b : turns.get(i % 2);
            long before = offsetOn(node, photo);
            assertThat(before).as("the offset node %s answers before chunk %d", node.getId(), i).isEqualTo(offset);
            assertThat(offsetOn(other(node), photo)).as("the other node answers the same").isEqualTo(offset);
            if (i == 2) {
                assertThat(expect(startUpload(other(node), photo, jpeg), 200).body().path("offset").asLong())
                        .as("the offset a start answers on either node").isEqualTo(offset);
            }
            last = expect(chunk(node, photo, offset, Arrays.copyOfRange(jpeg, offset,
                    Math.min(jpeg.length, offset + step))), 200);
        }

        String sha256 = S3PhotoStoreTest.sha256(jpeg);
        assertThat(last.body().path("receipt").path("sha256").asString()).isEqualTo(sha256);
        assertThat(S3PhotoStoreTest.sha256(STORE.object(objectOf(sha256)))).as("the object's hash").isEqualTo(sha256);
        assertThat(expect(api(a).get("/api/v1/photos/" + photo + "/content"), 200).raw().body()).isEqualTo(jpeg);
        assertThat(STORE.names("uploads/")).as("no partial upload left in the bucket").isEmpty();
        assertThat(leases()).as("no lease left held").isZero();
    }

    @Test
    void aChunkOneNodeIsReceivingKeepsTheOtherFromAppendingAndTwoAtOnceNeverCorruptThePhoto() throws Exception {
        byte[] png = Images.png(700, 500);
        UUID photo = announce(png, DAY.plusDays(1));
        int first = png.length / 3;
        int second = 2 * png.length / 3;

        try (Socket slow = new Socket("127.0.0.1", port(a))) {
            OutputStream out = slow.getOutputStream();
            out.write(("PATCH /api/v1/sync/uploads/" + photo + " HTTP/1.1\r\nHost: 127.0.0.1:" + port(a)
                    + "\r\nAuthorization: Bearer " + worker.api().token() + "\r\nFieldbook-Device-Id: " + phone.id()
                    + "\r\nUpload-Offset: 0\r\nContent-Type: application/offset+octet-stream\r\nContent-Length: "
                    + first + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(png, 0, first / 2);
            out.flush();
            await(() -> leases() == 1);

            Api.Answer refused = chunk(b, photo, 0, Arrays.copyOfRange(png, 0, first));
            assertThat(refused.status()).as("node-b, while node-a receives a chunk of the photo").isEqualTo(409);
            assertThat(refused.body().path("type").asString()).endsWith("upload-busy");
            assertThat(refused.body().path("offset").asLong()).isZero();

            out.write(png, first / 2, first - first / 2);
            out.flush();
            InputStream in = slow.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(answer).as("node-a's slow chunk").startsWith("HTTP/1.1 200");
        }
        assertThat(offsetOn(b, photo)).isEqualTo(first);

        CountDownLatch together = new CountDownLatch(1);
        byte[] middle = Arrays.copyOfRange(png, first, second);
        List<CompletableFuture<Api.Answer>> sent = new ArrayList<>();
        for (ConfigurableApplicationContext node : List.of(a, b)) {
            sent.add(CompletableFuture.supplyAsync(() -> {
                try {
                    together.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return chunk(node, photo, first, middle);
            }));
        }
        together.countDown();
        List<Integer> statuses = sent.stream().map(CompletableFuture::join).map(Api.Answer::status).sorted().toList();
        assertThat(statuses).as("one of two chunks sent at once to the two nodes is taken").containsExactly(200, 409);
        assertThat(offsetOn(a, photo)).isEqualTo(second);
        assertThat(offsetOn(b, photo)).isEqualTo(second);

        Api.Answer done = expect(chunk(b, photo, second, Arrays.copyOfRange(png, second, png.length)), 200);
        String sha256 = S3PhotoStoreTest.sha256(png);
        assertThat(done.body().path("receipt").path("sha256").asString()).isEqualTo(sha256);
        assertThat(S3PhotoStoreTest.sha256(STORE.object(objectOf(sha256)))).isEqualTo(sha256);
        assertThat(expect(api(a).get("/api/v1/photos/" + photo + "/content"), 200).raw().body()).isEqualTo(png);
    }

    private UUID announce(byte[] content, LocalDate day) throws Exception {
        String report = phone.push(phone.createAt(site, UUID.randomUUID(), day, "Formwork")).path("entityId").asString();
        UUID photo = UUID.randomUUID();
        Map<String, Object> announce = phone.operation(photo.toString(), "CREATE", 0, Map.of(
                "reportId", edit(null, report), "sha256", edit(null, S3PhotoStoreTest.sha256(content)),
                "size", edit(null, content.length)));
        announce.put("entity", "Photo");
        assertThat(phone.push(announce).path("outcome").asString()).isEqualTo("APPLIED");
        return photo;
    }

    private Api.Answer startUpload(ConfigurableApplicationContext node, UUID photo, byte[] content) throws Exception {
        return api(node).send("POST", "/api/v1/sync/uploads", Map.of("photoId", photo.toString(),
                "sha256", S3PhotoStoreTest.sha256(content), "size", content.length), device());
    }

    private Api.Answer chunk(ConfigurableApplicationContext node, UUID photo, long offset, byte[] bytes) {
        Map<String, String> headers = new HashMap<>(device());
        headers.put("Upload-Offset", Long.toString(offset));
        return api(node).sendBytes("PATCH", "/api/v1/sync/uploads/" + photo, bytes, "application/offset+octet-stream",
                headers);
    }

    private long offsetOn(ConfigurableApplicationContext node, UUID photo) {
        return expect(api(node).get("/api/v1/sync/uploads/" + photo), 200).body().path("offset").asLong();
    }

    private Map<String, String> device() {
        return Map.of("Fieldbook-Device-Id", phone.id().toString());
    }

    private Api api(ConfigurableApplicationContext node) {
        return Api.anonymous(port(node)).withToken(worker.api().token());
    }

    private ConfigurableApplicationContext other(ConfigurableApplicationContext node) {
        return node == a ? b : a;
    }

    private int leases() {
        return a.getBean(JdbcClient.class).sql("SELECT COUNT(*) FROM upload_leases").query(Integer.class).single();
    }

    /** The database both nodes use: a named in-memory H2 they share, or the run's PostgreSQL database. */
    private Map<String, Object> database() {
        return TestDatabase.sharedByTwoNodes(files);
    }

    private ConfigurableApplicationContext start(String node, Map<String, Object> database) {
        List<String> arguments = new ArrayList<>(List.of(
                "--server.port=0",
                "--spring.profiles.active=test",
                "--fieldbook.jobs.node-name=" + node,
                "--fieldbook.attachments.store=s3",
                "--fieldbook.attachments.s3.endpoint=" + STORE.endpoint(),
                "--fieldbook.attachments.s3.bucket=" + BUCKET,
                "--fieldbook.attachments.s3.region=" + ObjectStore.REGION,
                "--fieldbook.attachments.s3.path-style=true",
                "--fieldbook.attachments.s3.access-key=" + ObjectStore.ACCESS_KEY,
                "--fieldbook.attachments.s3.secret-key=" + ObjectStore.SECRET_KEY,
                // each node stages on its own disk: nothing of an upload may be left there for the other
                "--fieldbook.attachments.directory=" + files.resolve(node + "-staging"),
                "--fieldbook.attachments.upload-directory=" + files.resolve(node + "-uploads"),
                "--fieldbook.audit.head-file=" + files.resolve(node + "-audit-heads.log")));
        database.forEach((key, value) -> {
            if (!key.equals("fieldbook.audit.head-file") && !key.startsWith("fieldbook.attachments.")) {
                arguments.add("--" + key + "=" + value);
            }
        });
        ConfigurableApplicationContext context = new SpringApplication(FieldbookApplication.class)
                .run(arguments.toArray(String[]::new));
        nodes.put(node, context);
        return context;
    }

    private static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    private static String objectOf(String key) {
        return key.substring(0, 2) + "/" + key.substring(2, 4) + "/" + key;
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as("waited 30 s").isBefore(deadline);
            Thread.sleep(50);
        }
    }
}
