package app.fieldbook.attachments;

import static app.fieldbook.Fixtures.draft;
import static app.fieldbook.Fixtures.expect;
import static org.assertj.core.api.Assertions.assertThat;

import app.fieldbook.Fixtures;
import app.fieldbook.Fixtures.Person;
import app.fieldbook.FullStackTest;
import app.fieldbook.Images;
import app.fieldbook.TestDatabase;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * One node makes each thumbnail (ADR 0023): a node claims it in the database first, of two nodes claiming at
 * once only one gets it, a node leaves a thumbnail another has claimed alone, and takes it once that claim
 * lapses (the other node died). The thumbnail job's sweep runs every second in the tests.
 */
@FullStackTest
class ThumbnailClaimsTest {

    private static final LocalDate DAY = LocalDate.of(2026, 6, 1);

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ReportPhotos photos;

    @Autowired
    MakingThumbnails makingThumbnails;

    Person worker;
    String report;

    @BeforeEach
    void world() {
        Fixtures world = new Fixtures(port);
        String site = world.site();
        worker = world.worker(site);
        report = draft(worker, site, DAY);
    }

    /**
     * The photo raced for is held out of every node's sweep (a state other than stored), so that on
     * PostgreSQL the run's other application contexts, nodes on the same database, do not claim it first.
     */
    @Test
    void ofTwoNodesClaimingAThumbnailAtOnceOneGetsIt() throws Exception {
        UUID photo = UUID.fromString(expect(worker.api().upload("/api/v1/reports/" + report + "/photos",
                Images.png(64, 48), "a.png", Map.of()), 201).id());
        String original = jdbc.sql("SELECT sha256 FROM photos WHERE id = ?").param(photo).query(String.class).single();
        String sha256 = HexFormat.of().formatHex(UUID.randomUUID().toString().repeat(2).getBytes(), 0, 32);
        jdbc.sql("UPDATE photos SET sha256 = ?, state = 'HELD', thumbnail_due = TRUE, thumbnail_claimed_until = NULL "
                + "WHERE id = ?").params(sha256, photo).update();
        try {
            OffsetDateTime now = OffsetDateTime.now();
            ExecutorService nodes = Executors.newFixedThreadPool(2);
            try {
                CyclicBarrier together = new CyclicBarrier(2);
                List<Future<Boolean>> claims = new ArrayList<>();
                for (int node = 0; node < 2; node++) {
                    claims.add(nodes.submit(() -> {
                        together.await();
                        return photos.claimThumbnail(sha256, now, now.plus(MakingThumbnails.CLAIM));
                    }));
                }
                assertThat(List.of(claims.get(0).get(), claims.get(1).get())).containsExactlyInAnyOrder(true, false);
            } finally {
                nodes.shutdownNow();
            }
            assertThat(photos.claimThumbnail(sha256, now.plusSeconds(1), now.plus(MakingThumbnails.CLAIM)))
                    .as("claimed until it lapses").isFalse();
            assertThat(photos.claimThumbnail(sha256, now.plus(MakingThumbnails.CLAIM).plusSeconds(1),
                    now.plus(MakingThumbnails.CLAIM).plusMinutes(1))).as("a lapsed claim is taken").isTrue();
        } finally {
            jdbc.sql("UPDATE photos SET sha256 = ?, state = 'STORED', thumbnail_due = FALSE, "
                    + "thumbnail_claimed_until = NULL WHERE id = ?").params(original, photo).update();
        }
    }

    /**
     * The job's work list: the oldest due content first, each content once (since its oldest photo), neither a
     * photo still pending nor one whose claim holds. The photos are dated 1990 and claimed until 2200 by "another
     * node", so that no node's sweep takes them and they are the oldest due at the {@code now} asked about.
     */
    @Test
    void theDueListHasTheOldestContentFirstAndEachContentOnce() {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ids.add(UUID.fromString(expect(worker.api().upload("/api/v1/reports/" + report + "/photos",
                    Images.png(40 + i, 30), "p" + i + ".png", Map.of()), 201).id()));
        }
        List<String> originals = ids.stream().map(id -> jdbc.sql("SELECT sha256 FROM photos WHERE id = ?").param(id)
                .query(String.class).single()).toList();
        String x = fakeSha256();
        String y = fakeSha256();
        String z = fakeSha256();
        OffsetDateTime claimedByAnother = OffsetDateTime.parse("2200-01-01T00:00:00Z");
        String[] contents = {y, x, y, z, fakeSha256(), fakeSha256()};
        String[] states = {"STORED", "STORED", "STORED", "STORED", "PENDING", "STORED"};
        try {
            for (int i = 0; i < ids.size(); i++) {
                jdbc.sql("UPDATE photos SET sha256 = ?, state = ?, thumbnail_due = TRUE, thumbnail_claimed_until = ?, "
                                + "created_at = ? WHERE id = ?")
                        .params(contents[i], states[i], i == 5 ? claimedByAnother.plusYears(50) : claimedByAnother,
                                OffsetDateTime.parse("1990-01-0" + (i + 1) + "T08:00:00Z"), ids.get(i))
                        .update();
            }
            OffsetDateTime now = claimedByAnother.plusYears(1);

            assertThat(photos.dueThumbnails(2, now)).extracting(ReportPhotos.DueThumbnail::sha256).containsExactly(y, x);
            List<ReportPhotos.DueThumbnail> three = photos.dueThumbnails(3, now);
            assertThat(three).extracting(ReportPhotos.DueThumbnail::sha256).containsExactly(y, x, z);
            assertThat(three.getFirst().since()).as("since the content's oldest photo")
                    .isAtSameInstantAs(OffsetDateTime.parse("1990-01-01T08:00:00Z"));
            assertThat(three.getFirst().type()).isEqualTo(PhotoType.PNG);
        } finally {
            for (int i = 0; i < ids.size(); i++) {
                jdbc.sql("UPDATE photos SET sha256 = ?, state = 'STORED', thumbnail_due = FALSE, "
                        + "thumbnail_claimed_until = NULL WHERE id = ?").params(originals.get(i), ids.get(i)).update();
            }
        }
    }

    private static String fakeSha256() {
        return HexFormat.of().formatHex(UUID.randomUUID().toString().repeat(2).getBytes(), 0, 32);
    }

    /**
     * On H2 only: on PostgreSQL the run's other application contexts share the database but not the photo
     * directory, so one of them would take the lapsed claim and settle the photo without a thumbnail.
     */
    @Test
    void aThumbnailAnotherNodeClaimedIsLeftAloneUntilTheClaimLapses() throws Exception {
        Assumptions.assumeFalse(TestDatabase.isPostgres(), "the photo directory is this context's own");
        String sha256 = dueWhileTheJobIsStopped(Images.jpeg(710, 500));
        OffsetDateTime now = OffsetDateTime.now();
        try {
            assertThat(photos.claimThumbnail(sha256, now, now.plus(MakingThumbnails.CLAIM))).as("the other node").isTrue();
        } finally {
            makingThumbnails.start();
        }
        Thread.sleep(3000);
        assertThat(due(sha256)).as("left to the node that claimed it, for three sweeps").isTrue();

        jdbc.sql("UPDATE photos SET thumbnail_claimed_until = ? WHERE sha256 = ?").params(now.minusSeconds(1), sha256)
                .update();
        makingThumbnails.nudge();
        for (int attempt = 0; attempt < 300 && due(sha256); attempt++) {
            Thread.sleep(100);
        }
        assertThat(due(sha256)).as("made once the claim lapsed").isFalse();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM photos WHERE sha256 = ? AND has_thumbnail "
                + "AND thumbnail_claimed_until IS NULL").param(sha256).query(Long.class).single()).isOne();
    }

    /** Uploads a photo while this node's thumbnail job is stopped (start it again); answers its content's hash. */
    private String dueWhileTheJobIsStopped(byte[] image) {
        makingThumbnails.stop();
        String photo = expect(worker.api().upload("/api/v1/reports/" + report + "/photos", image, "a.jpg", Map.of()),
                201).id();
        String sha256 = jdbc.sql("SELECT sha256 FROM photos WHERE id = ?").param(UUID.fromString(photo))
                .query(String.class).single();
        assertThat(due(sha256)).isTrue();
        return sha256;
    }

    private boolean due(String sha256) {
        return jdbc.sql("SELECT COUNT(*) FROM photos WHERE sha256 = ? AND thumbnail_due").param(sha256)
                .query(Long.class).single() > 0;
    }
}
