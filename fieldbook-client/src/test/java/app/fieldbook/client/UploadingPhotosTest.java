package app.fieldbook.client;

import static app.fieldbook.client.TestDevices.NORTH;
import static app.fieldbook.client.TestDevices.content;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.fieldbook.client.LoopbackServer.Fault;
import app.fieldbook.client.http.SyncApi;
import app.fieldbook.client.store.LocalStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class UploadingPhotosTest {

    private static final int CHUNK = 1000;

    @TempDir
    Path directory;

    private final TestClock clock = TestClock.at("2025-06-02T16:30:00Z");
    private final LoopbackServer server = new LoopbackServer();
    private FieldbookClient client;
    private LocalReport report;
    private byte[] bytes;
    private Path file;

    @BeforeEach
    void reportWithAPhotoFile() throws Exception {
        client = TestDevices.signedIn(TestDevices.device(directory, server, clock).chunkSize(CHUNK), server);
        report = client.createReport(NORTH.id(), LocalDate.of(2025, 6, 2), content("Poured deck 4"));
        bytes = new byte[3500];
        new Random(7).nextBytes(bytes);
        // begins as a JPEG does, which is all the device checks
        bytes[0] = (byte) 0xFF;
        bytes[1] = (byte) 0xD8;
        bytes[2] = (byte) 0xFF;
        file = directory.resolve("deck.jpg");
        Files.write(file, bytes);
    }

    @AfterEach
    void close() {
        client.close();
        server.close();
    }

    @Test
    void attachingCopiesTheFileIntoTheStoreWithItsSha256() throws Exception {
        PhotoUpload upload = client.attachPhoto(report.id(), file, PhotoDetails.captioned("Deck 4"));

        assertThat(upload.sha256()).isEqualTo(LoopbackServer.sha256(bytes)).matches("[0-9a-f]{64}");
        assertThat(upload.size()).isEqualTo(3500);
        assertThat(upload.state()).isEqualTo(PhotoUpload.State.WAITING);
        assertThat(Files.readAllBytes(photoCopy(upload))).isEqualTo(bytes);
        Files.delete(file);
        assertThat(photoCopy(upload)).as("the device keeps its own copy").exists();
        assertThat(client.state().pendingPhotos()).isEqualTo(1);
    }

    @Test
    void thePhotoIsAnnouncedAfterItsReportAndItsBytesGoInChunksUntilTheReceipt() throws Exception {
        PhotoUpload upload = client.attachPhoto(report.id(), file, PhotoDetails.captioned("Deck 4"));
        List<String> progress = new ArrayList<>();

        SyncSummary summary = client.sync(new SyncProgress() {
            @Override
            public void uploadProgressed(UUID photoId, long uploaded, long size) {
                progress.add(uploaded + "/" + size);
            }
        });

        List<LoopbackServer.Received> pushes = server.received("POST", "/api/v1/sync/push");
        assertThat(pushes.get(pushes.size() - 2).json().get("operations").get(0).get("entity").asString())
                .isEqualTo("DailyReport");
        JsonNode photo = pushes.getLast().json().get("operations").get(0);
        assertThat(photo.get("entity").asString()).isEqualTo("Photo");
        assertThat(photo.get("entityId").asString()).isEqualTo(upload.photoId().toString());
        JsonNode changes = photo.get("changes");
        assertThat(changes.get("reportId").get("value").asString()).isEqualTo(report.id().toString());
        assertThat(changes.get("sha256").get("value").asString()).isEqualTo(upload.sha256());
        assertThat(changes.get("size").get("value").asLong()).isEqualTo(3500);
        assertThat(changes.get("caption").get("value").asString()).isEqualTo("Deck 4");

        assertThat(server.received("PATCH", "/api/v1/sync/uploads/")).extracting(r -> r.header("Upload-Offset"))
                .containsExactly("0", "1000", "2000", "3000");
        assertThat(server.uploaded(upload.photoId())).isEqualTo(bytes);
        assertThat(progress).containsExactly("1000/3500", "2000/3500", "3000/3500", "3500/3500");
        assertThat(summary.photosUploaded()).isEqualTo(1);
        assertThat(summary.complete()).isTrue();
        assertThat(client.photoUploads()).singleElement().satisfies(done -> {
            assertThat(done.state()).isEqualTo(PhotoUpload.State.UPLOADED);
            assertThat(done.uploaded()).isEqualTo(3500);
        });
        assertThat(photoCopy(upload)).as("the copy goes once the server holds the photo").doesNotExist();
        assertThat(client.state().pendingPhotos()).isZero();
        try (LocalStore store = LocalStore.open(directory.resolve("client.db"), SyncApi.jsonMapper())) {
            assertThat(store.photos().find(upload.photoId()).orElseThrow().photo().version())
                    .as("the version storing the content made, from the receipt").isEqualTo(2);
        }
    }

    @Test
    void anUploadStartsFromTheBytesTheServerAlreadyHas() throws Exception {
        PhotoUpload upload = client.attachPhoto(report.id(), file, PhotoDetails.none());
        server.hasUploaded(upload.photoId(), Arrays.copyOf(bytes, 1500));

        client.sync();

        assertThat(server.received("PATCH", "/api/v1/sync/uploads/")).extracting(r -> r.header("Upload-Offset"))
                .containsExactly("1500", "2500");
        assertThat(server.uploaded(upload.photoId())).isEqualTo(bytes);
    }

    @Test
    void aWrongOffsetMovesTheUploadToTheServersOffset() throws Exception {
        PhotoUpload upload = client.attachPhoto(report.id(), file, PhotoDetails.none());
        server.failNext("/api/v1/sync/uploads/", Fault.problem(409, "upload-offset", Map.of("offset", 2000)));

        client.sync();

        assertThat(server.received("PATCH", "/api/v1/sync/uploads/")).extracting(r -> r.header("Upload-Offset"))
                .containsExactly("0", "2000", "0", "1000", "2000", "3000");
        assertThat(server.uploaded(upload.photoId())).isEqualTo(bytes);
        assertThat(client.photoUploads().getFirst().state()).isEqualTo(PhotoUpload.State.UPLOADED);
    }

    @Test
    void anUploadCutOffContinuesAtTheNextSyncFromWhereTheServerIs() throws Exception {
        PhotoUpload upload = client.attachPhoto(report.id(), file, PhotoDetails.none());
        client.sync(new SyncProgress() {
            @Override
            public void uploadProgressed(UUID photoId, long uploaded, long size) {
                if (uploaded == 2000) {
                    for (int i = 0; i < Backoff.STANDARD.attemptsPerCall(); i++) {
                        server.failNext("/api/v1/sync/uploads/", Fault.drop());
                    }
                }
            }
        });
        assertThat(client.photoUploads().getFirst()).satisfies(waiting -> {
            assertThat(waiting.state()).isEqualTo(PhotoUpload.State.WAITING);
            assertThat(waiting.uploaded()).isEqualTo(2000);
            assertThat(waiting.error()).contains("connection");
        });
        assertThat(photoCopy(upload)).exists();

        clock.advance(Backoff.STANDARD.cap());
        SyncSummary summary = client.sync();

        assertThat(summary.photosUploaded()).isEqualTo(1);
        assertThat(server.uploaded(upload.photoId())).isEqualTo(bytes);
        assertThat(server.received("PATCH", "/api/v1/sync/uploads/")).extracting(r -> r.header("Upload-Offset"))
                .endsWith("2000", "3000");
    }

    @Test
    void anUploadRefusedForGoodLeavesTheQueueAndTheDeviceKeepsItsCopy() throws Exception {
        PhotoUpload upload = client.attachPhoto(report.id(), file, PhotoDetails.none());
        server.failNext("/api/v1/sync/uploads/", Fault.problem(415, "unsupported-photo-type", Map.of()));

        SyncSummary summary = client.sync();

        assertThat(summary.photosFailed()).isEqualTo(1);
        assertThat(summary.photosWaiting()).isZero();
        assertThat(client.photoUploads().getFirst()).satisfies(failed -> {
            assertThat(failed.state()).isEqualTo(PhotoUpload.State.FAILED);
            assertThat(failed.error()).contains("415");
        });
        assertThat(photoCopy(upload)).exists();
        int uploads = server.received("PATCH", "/api/v1/sync/uploads/").size();
        JsonNode withdrawal = server.pushedOperations().getLast();
        assertThat(withdrawal.get("entity").asString()).isEqualTo("Photo");
        assertThat(withdrawal.get("kind").asString()).isEqualTo("DELETE");
        assertThat(withdrawal.get("entityId").asString()).isEqualTo(upload.photoId().toString());
        assertThat(withdrawal.get("baseVersion").asLong()).as("the version of the announced photo").isEqualTo(1);
        assertThat(client.state().outboxDepth()).isZero();
        assertThat(client.photoUploads().getFirst().state()).isEqualTo(PhotoUpload.State.FAILED);

        clock.advance(Backoff.STANDARD.cap());
        client.sync();
        assertThat(server.received("PATCH", "/api/v1/sync/uploads/")).hasSize(uploads);

        assertThat(client.discardFailedPhoto(upload.photoId())).isTrue();
        assertThat(photoCopy(upload)).doesNotExist();
        assertThat(client.photoUploads()).isEmpty();
    }

    @Test
    void aServerThatStopsTakingBytesDoesNotKeepTheClientLooping() throws Exception {
        client.attachPhoto(report.id(), file, PhotoDetails.none());
        server.stallUploads();

        SyncSummary summary = client.sync();

        assertThat(summary.photosWaiting()).isEqualTo(1);
        assertThat(server.received("PATCH", "/api/v1/sync/uploads/")).hasSizeLessThanOrEqualTo(4);
        assertThat(client.photoUploads().getFirst().error()).contains("stopped taking");
    }

    @Test
    void aHashMismatchIsTriedAgainAndThenCountsAsARefusal() throws Exception {
        client.attachPhoto(report.id(), file, PhotoDetails.none());
        for (int attempt = 0; attempt < 3; attempt++) {
            server.failNext("/api/v1/sync/uploads/", Fault.problem(422, "hash-mismatch", Map.of()));
            clock.advance(Backoff.STANDARD.cap());
            client.sync();
        }

        assertThat(client.photoUploads().getFirst().state()).isEqualTo(PhotoUpload.State.FAILED);
    }

    @Test
    void theProgressHearsHowEachUploadEnded() throws Exception {
        client.attachPhoto(report.id(), file, PhotoDetails.none());
        client.sync();
        report = client.createReport(NORTH.id(), LocalDate.of(2025, 6, 3), content("Poured deck 5"));
        client.attachPhoto(report.id(), file, PhotoDetails.none());
        server.failNext("/api/v1/sync/uploads/", Fault.problem(413, "upload-too-long", Map.of()));
        List<PhotoUpload.State> ended = new ArrayList<>();

        client.sync(new SyncProgress() {
            @Override
            public void uploadEnded(UUID photoId, PhotoUpload.State state) {
                ended.add(state);
            }
        });

        assertThat(ended).containsExactly(PhotoUpload.State.FAILED);
    }

    @Test
    void aMissingOrEmptyFileIsRefusedBeforeAnythingIsQueued() throws Exception {
        Path empty = Files.createFile(directory.resolve("empty.jpg"));

        assertThatThrownBy(() -> client.attachPhoto(report.id(), directory.resolve("nope.jpg"), PhotoDetails.none()))
                .isInstanceOf(ChangeRefused.class).hasMessageContaining("No readable file");
        assertThatThrownBy(() -> client.attachPhoto(report.id(), empty, PhotoDetails.none()))
                .isInstanceOf(ChangeRefused.class).hasMessageContaining("empty");
        assertThat(client.state().outboxDepth()).isEqualTo(1);
        try (var copies = Files.list(directory.resolve("client.photos"))) {
            assertThat(copies).isEmpty();
        }
    }

    private Path photoCopy(PhotoUpload upload) {
        return directory.resolve("client.photos").resolve(upload.photoId().toString());
    }
}
