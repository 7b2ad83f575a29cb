package app.fieldbook.attachments;

import static app.fieldbook.Fixtures.draft;
import static app.fieldbook.Fixtures.expect;
import static org.assertj.core.api.Assertions.assertThat;

import app.fieldbook.Fixtures;
import app.fieldbook.Fixtures.Person;
import app.fieldbook.FullStackTest;
import app.fieldbook.Images;
import tools.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

/**
 * The thumbnail job decodes photos in a lull of the uploads, not in the middle of a rush: while an upload's
 * body is being read, a stored photo's thumbnail waits (as long as {@code thumbnail-patience} allows), and it
 * is made once the uploads pause. Its own application context, with a lull of half a second.
 */
@FullStackTest
@TestPropertySource(properties = {"fieldbook.attachments.thumbnail-lull=PT0.5S",
        "fieldbook.attachments.thumbnail-patience=PT10M"})
class ThumbnailsAfterUploadsTest {

    private static final LocalDate DAY = LocalDate.of(2026, 6, 2);

    @LocalServerPort
    int port;

    @Test
    void aThumbnailWaitsWhileAnUploadIsReadAndIsMadeOnceTheUploadsPause() throws Exception {
        Fixtures world = new Fixtures(port);
        String site = world.site();
        Person worker = world.worker(site);
        String report = draft(worker, site, DAY);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        // sizes of their own, so that no other test stored this content (and its thumbnail) before
        byte[] held = Images.jpeg(1000 + random.nextInt(500), 700 + random.nextInt(300));
        byte[] stored = Images.jpeg(600 + random.nextInt(300), 400 + random.nextInt(200));

        CountDownLatch rest = new CountDownLatch(1);
        CompletableFuture<String> holding = HeldUploads.heldHalfway(port, worker, report, held, rest);
        String photo;
        try {
            photo = expect(worker.api().postBytes("/api/v1/reports/" + report + "/photos", stored, "image/jpeg"), 201)
                    .body().get("id").asText();
            // the job is nudged by the upload and looks again every sweep (a second in tests): give it several
            Thread.sleep(3_000);
            assertThat(holding).as("the held upload").isNotDone();
            assertThat(photo(worker, photo).get("thumbnail").asBoolean())
                    .as("no thumbnail is made while an upload's body is being read").isFalse();
            assertThat(worker.api().get("/api/v1/photos/" + photo + "/thumbnail").problemType())
                    .endsWith("/thumbnail-pending");
        } finally {
            rest.countDown();
        }
        assertThat(holding.get(30, TimeUnit.SECONDS)).startsWith("HTTP/1.1 201");

        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (!photo(worker, photo).get("thumbnail").asBoolean()) {
            assertThat(Instant.now()).as("the thumbnail is made once the uploads pause").isBefore(deadline);
            Thread.sleep(100);
        }
        expect(worker.api().get("/api/v1/photos/" + photo + "/thumbnail"), 200);
    }

    private static JsonNode photo(Person worker, String id) {
        return expect(worker.api().get("/api/v1/photos/" + id), 200).body();
    }
}
