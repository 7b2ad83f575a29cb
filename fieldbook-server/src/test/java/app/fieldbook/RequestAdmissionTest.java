package app.fieldbook;

import static app.fieldbook.Fixtures.draft;
import static app.fieldbook.Fixtures.expect;
import static app.fieldbook.Fixtures.report;
import static org.assertj.core.api.Assertions.assertThat;

import app.fieldbook.Fixtures.Person;
import app.fieldbook.attachments.HeldUploads;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.json.JsonMapper;

/**
 * API requests beyond {@code concurrent-writes} (or {@code concurrent-reads}) wait their turn before any work,
 * and one that waits past {@code queue-wait} is answered 503 server-busy with Retry-After, having written
 * nothing; reads have a lane of their own. A photo upload takes a write's turn for its database steps but gives
 * it back while its body arrives. Its own application context, admitting one write at a time and waiting one
 * second; the lanes' sizes by default are checked without it.
 */
@FullStackTest
@TestPropertySource(properties = {"fieldbook.requests.concurrent-writes=1", "fieldbook.requests.queue-wait=PT1S"})
class RequestAdmissionTest {

    private static final LocalDate DAY = LocalDate.of(2026, 6, 3);

    @LocalServerPort
    int port;

    @Autowired
    RequestAdmission admission;

    @Test
    void aWriteBeyondTheLaneWaitsAndIsAnsweredBusyWithoutWritingWhileReadsAndUploadsGoOn() throws Exception {
        Fixtures world = new Fixtures(port);
        String site = world.site();
        Person worker = world.worker(site);
        String existing = draft(worker, site, DAY);

        CountDownLatch rest = new CountDownLatch(1);
        UUID heldId = UUID.randomUUID();
        CompletableFuture<String> held = createHeldHalfway(worker, heldId, site, rest);
        try {
            awaitHeld(held);

            UUID refusedId = UUID.randomUUID();
            Api.Answer refused = worker.api().post("/api/v1/reports", report(refusedId, site, DAY.plusDays(2)));
            assertThat(refused.status()).as(refused.toString()).isEqualTo(503);
            assertThat(refused.problemType()).endsWith("/server-busy");
            assertThat(refused.raw().headers().firstValue("Retry-After")).contains("2");

            expect(worker.api().get("/api/v1/reports/" + refusedId), 404);
            expect(worker.api().get("/api/v1/reports?siteId=" + site), 200);
            Api.Answer upload = worker.api().postBytes("/api/v1/reports/" + existing + "/photos",
                    Images.jpeg(320, 240), "image/jpeg");
            assertThat(upload.status()).as("an upload's database steps wait for a write's turn").isEqualTo(503);
        } finally {
            rest.countDown();
        }
        assertThat(held.get(30, TimeUnit.SECONDS)).startsWith("HTTP/1.1 201");
        expect(worker.api().get("/api/v1/reports/" + heldId), 200);
        assertThat(admission.waiting()).isZero();
    }

    @Test
    void anUploadGivesBackItsTurnWhileItsBodyArrives() throws Exception {
        Fixtures world = new Fixtures(port);
        String site = world.site();
        Person worker = world.worker(site);
        String existing = draft(worker, site, DAY.plusDays(10));

        CountDownLatch rest = new CountDownLatch(1);
        CompletableFuture<String> upload = HeldUploads.heldHalfway(port, worker, existing, Images.jpeg(1600, 1200),
                rest);
        try {
            Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
            Api.Answer created;
            do {
                assertThat(Instant.now()).as("a write while the upload's body is held").isBefore(deadline);
                created = worker.api().post("/api/v1/reports", report(UUID.randomUUID(), site, DAY.plusDays(11)));
            } while (created.status() == 503);
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            assertThat(upload).as("the held upload").isNotDone();
        } finally {
            rest.countDown();
        }
        assertThat(upload.get(30, TimeUnit.SECONDS)).startsWith("HTTP/1.1 201");
        assertThat(admission.freeWrites()).isEqualTo(1);
    }

    @Test
    void lanesLeftUnsetShareThePoolLessItsReserve() {
        RequestAdmission sized = new RequestAdmission(new RequestAdmission.Settings(null, null, 4,
                Duration.ofSeconds(30)), 20);
        assertThat(sized.freeWrites()).isEqualTo(8);
        RequestAdmission set = new RequestAdmission(new RequestAdmission.Settings(3, 5, 4, Duration.ofSeconds(30)), 20);
        assertThat(set.freeWrites()).isEqualTo(5);
    }

    /** Creates a report whose JSON body stops halfway until {@code rest} opens; the future is the raw answer. */
    private CompletableFuture<String> createHeldHalfway(Person worker, UUID id, String site, CountDownLatch rest)
            throws Exception {
        byte[] body = JsonMapper.builder().build().writeValueAsBytes(report(id, site, DAY.plusDays(1)));
        Socket socket = new Socket("127.0.0.1", port);
        OutputStream out = socket.getOutputStream();
        out.write(("POST /api/v1/reports HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAuthorization: Bearer "
                + worker.api().token() + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body, 0, body.length / 2);
        out.flush();
        return CompletableFuture.supplyAsync(() -> {
            try (socket) {
                rest.await(30, TimeUnit.SECONDS);
                out.write(body, body.length / 2, body.length - body.length / 2);
                out.flush();
                return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** Waits until the held request has its turn: a second write then queues behind it. */
    private void awaitHeld(CompletableFuture<String> held) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (!admission.holdsAllWrites()) {
            assertThat(held).as("the held request").isNotDone();
            assertThat(Instant.now()).as("the held request got its turn").isBefore(deadline);
            Thread.sleep(20);
        }
    }
}
