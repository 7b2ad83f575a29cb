package app.fieldbook.attachments;

import static app.fieldbook.Fixtures.draft;
import static app.fieldbook.Fixtures.expect;
import static org.assertj.core.api.Assertions.assertThat;

import app.fieldbook.Api;
import app.fieldbook.Fixtures;
import app.fieldbook.Fixtures.Person;
import app.fieldbook.FullStackTest;
import app.fieldbook.Images;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

/**
 * Uploads beyond {@code concurrent-uploads} wait their turn before reading a byte, and one that waits past
 * {@code upload-queue-wait} is answered 503 server-busy with Retry-After, having written nothing. Its own
 * application context, admitting one upload at a time and waiting one second.
 */
@FullStackTest
@TestPropertySource(properties = {"fieldbook.attachments.concurrent-uploads=1",
        "fieldbook.attachments.upload-queue-wait=PT1S"})
class UploadAdmissionTest {

    private static final LocalDate DAY = LocalDate.of(2026, 6, 1);

    @LocalServerPort
    int port;

    @Autowired
    AttachmentSettings settings;

    @Test
    void anUploadPastTheConcurrentOnesWaitsAndIsAnsweredBusyWithoutWritingAByte() throws Exception {
        Fixtures world = new Fixtures(port);
        String site = world.site();
        Person worker = world.worker(site);
        String report = draft(worker, site, DAY);
        byte[] first = Images.jpeg(1200, 900);
        byte[] second = Images.jpeg(900, 1200);

        CountDownLatch rest = new CountDownLatch(1);
        CompletableFuture<String> held = HeldUploads.heldHalfway(port, worker, report, first, rest);
        try {
            awaitStagedFiles(1, held);

            Api.Answer refused = worker.api().postBytes("/api/v1/reports/" + report + "/photos", second, "image/jpeg");
            assertThat(refused.status()).as(refused.toString()).isEqualTo(503);
            assertThat(refused.problemType()).endsWith("/server-busy");
            assertThat(refused.raw().headers().firstValue("Retry-After")).contains("2");
            assertThat(stagedFiles()).as("the refused upload staged nothing").hasSize(1);
            assertThat(worker.api().get("/api/v1/reports/" + report + "/photos").body().size()).isZero();
        } finally {
            rest.countDown();
        }
        assertThat(held.get(30, TimeUnit.SECONDS)).startsWith("HTTP/1.1 201");

        expect(worker.api().postBytes("/api/v1/reports/" + report + "/photos", second, "image/jpeg"), 201);
        assertThat(worker.api().get("/api/v1/reports/" + report + "/photos").body().size()).isEqualTo(2);
        assertThat(stagedFiles()).isEmpty();
    }

    @Test
    void aRefusedUploadGivesItsTurnBack() {
        Fixtures world = new Fixtures(port);
        String site = world.site();
        Person worker = world.worker(site);
        String report = draft(worker, site, DAY);

        expect(worker.api().postBytes("/api/v1/reports/" + report + "/photos", "not a photo".getBytes(), "image/jpeg"),
                415);
        expect(worker.api().postBytes("/api/v1/reports/" + report + "/photos", new byte[0], "image/jpeg"), 400);

        expect(worker.api().postBytes("/api/v1/reports/" + report + "/photos", Images.jpeg(640, 480), "image/jpeg"),
                201);
    }


    private void awaitStagedFiles(int count, CompletableFuture<?> upload) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (stagedFiles().size() < count) {
            assertThat(upload).as("the held upload").isNotDone();
            assertThat(Instant.now()).as("an upload started staging").isBefore(deadline);
            Thread.sleep(20);
        }
    }

    /** The uploads being staged now. */
    private List<Path> stagedFiles() throws IOException {
        if (!Files.isDirectory(settings.incoming())) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(settings.incoming())) {
            // thumbnails are staged here too, by the background job
            return files.filter(file -> file.getFileName().toString().startsWith("upload-")).toList();
        }
    }
}
