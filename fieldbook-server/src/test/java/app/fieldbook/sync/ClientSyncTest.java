package app.fieldbook.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.fieldbook.Fixtures;
import app.fieldbook.Fixtures.Person;
import app.fieldbook.FullStackTest;
import app.fieldbook.Images;
import app.fieldbook.client.FieldbookClient;
import app.fieldbook.client.LocalReport;
import app.fieldbook.client.PasswordChangeRequired;
import app.fieldbook.client.PhotoDetails;
import app.fieldbook.client.PhotoUpload;
import app.fieldbook.client.ServerRefused;
import app.fieldbook.client.SignInRefused;
import app.fieldbook.client.SyncProgress;
import app.fieldbook.client.SyncSummary;
import app.fieldbook.protocol.Conflict;
import app.fieldbook.protocol.ConflictResolution;
import app.fieldbook.protocol.ReportContent;
import app.fieldbook.sync.faults.FaultyProxy;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Two devices of one field worker, each with the real Java client and its own SQLite store. */
@FullStackTest
class ClientSyncTest {

    private static final LocalDate DAY = LocalDate.of(2026, 10, 5);

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @TempDir
    Path stores;

    Fixtures world;
    String site;
    Person worker;
    FieldbookClient phone;
    FieldbookClient tablet;

    @BeforeEach
    void devices() {
        world = new Fixtures(port);
        site = world.site();
        worker = world.worker(site);
        phone = device("phone");
        tablet = device("tablet");
    }

    @AfterEach
    void close() {
        phone.close();
        tablet.close();
    }

    @Test
    void aReportWrittenOfflineReachesTheOtherDevice() {
        LocalReport written = phone.createReport(UUID.fromString(site), DAY, content("Poured the slab", null, null));
        assertThat(phone.state().outboxDepth()).isPositive();
        assertThat(complete(phone.sync()).applied()).isPositive();
        assertThat(phone.state().outboxDepth()).isZero();
        complete(tablet.sync());
        assertThat(tablet.report(written.id())).hasValueSatisfying(report -> {
            assertThat(report.content().workPerformed()).isEqualTo("Poured the slab");
            assertThat(report.version()).isEqualTo(1);
        });
    }

    @Test
    void offlineEditsOfDifferentFieldsMergeAndOfTheSameFieldBecomeAConflictUntilResolved() {
        LocalReport report = phone.createReport(UUID.fromString(site), DAY.plusDays(1), content("Formwork", null, null));
        complete(phone.sync());
        complete(tablet.sync());

        phone.editReport(report.id(), content("Formwork and rebar", "Phone note", null));
        tablet.editReport(report.id(), content("Formwork, rebar and pour", null, "Crane late"));
        complete(phone.sync());
        SyncSummary tabletSync = complete(tablet.sync());
        assertThat(tabletSync.conflicted()).isOne();

        complete(phone.sync());
        for (FieldbookClient device : new FieldbookClient[] {phone, tablet}) {
            LocalReport local = device.report(report.id()).orElseThrow();
            assertThat(local.content().workPerformed()).isEqualTo("Formwork and rebar");
            assertThat(local.content().notes()).isEqualTo("Phone note");
            assertThat(local.content().delays()).isEqualTo("Crane late");
        }
        Conflict conflict = tablet.refreshConflicts().stream().filter(c -> c.entityId().equals(report.id()))
                .findFirst().orElseThrow();
        assertThat(conflict.field()).isEqualTo("workPerformed");
        assertThat(conflict.serverValue()).isEqualTo("Formwork and rebar");
        assertThat(conflict.clientValue()).isEqualTo("Formwork, rebar and pour");

        tablet.resolveConflict(conflict.id(), new ConflictResolution(ConflictResolution.Choice.CLIENT, null));
        complete(tablet.sync());
        complete(phone.sync());
        LocalReport onPhone = phone.report(report.id()).orElseThrow();
        LocalReport onTablet = tablet.report(report.id()).orElseThrow();
        assertThat(onPhone.content()).isEqualTo(onTablet.content());
        assertThat(onPhone.version()).isEqualTo(onTablet.version());
        assertThat(onPhone.content().workPerformed()).isEqualTo("Formwork, rebar and pour");
        assertThat(phone.refreshConflicts()).noneMatch(c -> c.entityId().equals(report.id()));
    }

    @Test
    void aPhotoLeavesTheDeviceOnlyAfterTheServerConfirmedIt() throws Exception {
        LocalReport report = phone.createReport(UUID.fromString(site), DAY.plusDays(2), content("Photos", null, null));
        byte[] jpeg = Images.jpeg(1200, 900);
        Path file = Files.write(stores.resolve("north-wall.jpg"), jpeg);
        PhotoUpload upload = phone.attachPhoto(report.id(), file, PhotoDetails.captioned("North wall"));
        assertThat(upload.state()).isEqualTo(PhotoUpload.State.WAITING);

        SyncSummary summary = complete(phone.sync());
        assertThat(summary.photosUploaded()).isOne();
        PhotoUpload done = phone.photoUploads().stream().filter(p -> p.photoId().equals(upload.photoId()))
                .findFirst().orElseThrow();
        assertThat(done.state()).isEqualTo(PhotoUpload.State.UPLOADED);
        String stored = jdbc.sql("SELECT sha256 FROM photos WHERE id = ? AND state = 'STORED'")
                .param(upload.photoId()).query(String.class).single();
        assertThat(stored).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(jpeg)));
        try (var copies = Files.walk(stores.resolve("phone"))) {
            assertThat(copies.filter(Files::isRegularFile).filter(path -> {
                try {
                    return Files.size(path) == jpeg.length;
                } catch (java.io.IOException e) {
                    return false;
                }
            })).as("the device's copy is gone after the receipt").isEmpty();
        }
    }

    @Test
    void aCaptionIsWrittenLaterOnEitherDeviceAndOneBasedOnWhatTheDeviceHadNotSeenGivesWay() throws Exception {
        LocalReport report = phone.createReport(UUID.fromString(site), DAY.plusDays(3), content("Gate", null, null));
        Path file = Files.write(stores.resolve("gate.jpg"), Images.jpeg(400, 300));
        UUID photo = phone.attachPhoto(report.id(), file, PhotoDetails.none()).photoId();
        // written before the announcement was sent: it goes with the announcement
        phone.captionPhoto(photo, "Gate post");
        assertThat(phone.state().outboxDepth()).as("the report's creation, the photo's announcement with the caption")
                .isEqualTo(2);
        complete(phone.sync());
        assertThat(captionOnServer(photo)).isEqualTo("Gate post");

        // written later on the tablet, and pulled by the phone
        complete(tablet.sync());
        tablet.captionPhoto(photo, "  Gate post, north  ");
        complete(tablet.sync());
        assertThat(captionOnServer(photo)).isEqualTo("Gate post, north");
        complete(phone.sync());
        assertThat(phone.photos()).filteredOn(p -> p.id().equals(photo)).singleElement()
                .satisfies(p -> assertThat(p.caption()).isEqualTo("Gate post, north"));

        // both change it before hearing of the other: the second to arrive is refused, and shows the server's
        phone.captionPhoto(photo, "Gate post N1");
        tablet.captionPhoto(photo, "Gate post, rusted");
        complete(phone.sync());
        complete(tablet.sync());
        assertThat(captionOnServer(photo)).isEqualTo("Gate post N1");
        assertThat(tablet.photos()).filteredOn(p -> p.id().equals(photo)).singleElement()
                .satisfies(p -> assertThat(p.caption()).isEqualTo("Gate post N1"));
        assertThat(tablet.rejectedChanges()).anySatisfy(rejected -> {
            assertThat(rejected.entityId()).isEqualTo(photo);
            assertThat(rejected.changes()).containsEntry("caption", "Gate post, rusted");
        });

        assertThatThrownBy(() -> phone.captionPhoto(photo, "x".repeat(501)))
                .isInstanceOf(app.fieldbook.client.ChangeRefused.class);
        phone.submitReport(report.id());
        assertThatThrownBy(() -> phone.captionPhoto(photo, "After"))
                .isInstanceOf(app.fieldbook.client.ChangeRefused.class);
    }

    @Test
    void aPhotoRemovedOnTheDeviceLeavesTheServerAndARemovalTheServerRefusesBringsItBack() throws Exception {
        LocalReport report = phone.createReport(UUID.fromString(site), DAY.plusDays(4), content("Fence", null, null));
        Path file = Files.write(stores.resolve("fence.jpg"), Images.jpeg(400, 300));
        // taken and removed before any sync: the server never hears of it, and the device's copy is gone
        UUID never = phone.attachPhoto(report.id(), file, PhotoDetails.none()).photoId();
        assertThat(phone.removePhoto(never)).isTrue();
        assertThat(phone.photos()).extracting(p -> p.id()).doesNotContain(never);
        assertThat(phone.photoUploads()).extracting(PhotoUpload::photoId).doesNotContain(never);
        assertThat(phone.state().outboxDepth()).as("the report's creation only").isOne();

        UUID kept = phone.attachPhoto(report.id(), file, PhotoDetails.none()).photoId();
        UUID removed = phone.attachPhoto(report.id(), file, PhotoDetails.none()).photoId();
        complete(phone.sync());
        assertThat(photoStates(report.id())).containsOnlyKeys(kept, removed);
        assertThat(phone.removePhoto(removed)).isTrue();
        assertThat(phone.photos()).extracting(p -> p.id()).contains(kept).doesNotContain(removed);
        assertThatThrownBy(() -> phone.captionPhoto(removed, "Too late"))
                .isInstanceOf(app.fieldbook.client.ChangeRefused.class);
        complete(phone.sync());
        assertThat(photoStates(report.id())).containsOnlyKeys(kept);
        assertThat(phone.photos()).extracting(p -> p.id()).contains(kept).doesNotContain(removed);

        // removed on the phone while the report was submitted on the tablet: the server refuses, the photo is back
        complete(tablet.sync());
        phone.removePhoto(kept);
        tablet.submitReport(report.id());
        complete(tablet.sync());
        complete(phone.sync());
        assertThat(photoStates(report.id())).containsOnlyKeys(kept);
        assertThat(phone.photos()).extracting(p -> p.id()).contains(kept);
        assertThat(phone.rejectedChanges()).anySatisfy(rejected -> assertThat(rejected.entityId()).isEqualTo(kept));
        assertThatThrownBy(() -> phone.removePhoto(kept)).isInstanceOf(app.fieldbook.client.ChangeRefused.class);
        assertThat(phone.removePhoto(UUID.randomUUID())).isFalse();
    }

    @Test
    void aPhotoAnnouncedButNotYetUploadedWhenRemovedLeavesTheServerWithoutItsBytesBeingSent() throws Exception {
        try (FaultyProxy network = new FaultyProxy(port, FaultyProxy.Faults.none(), 2)) {
            FieldbookClient basement = FieldbookClient.builder(stores.resolve("basement").resolve("client.db"))
                    .server(URI.create("http://127.0.0.1:" + network.port())).open();
            try {
                basement.signIn(worker.login(), Fixtures.PASSWORD.toCharArray());
                LocalReport report = basement.createReport(UUID.fromString(site), DAY.plusDays(5),
                        content("Trench", null, null));
                Path file = Files.write(stores.resolve("trench.jpg"), Images.jpeg(800, 600));
                UUID photo = basement.attachPhoto(report.id(), file, PhotoDetails.none()).photoId();
                // the announcement goes with the push; the network is lost as the bytes start to go
                SyncSummary cut = basement.sync(new SyncProgress() {
                    @Override
                    public void uploadStarted(UUID photoId, long uploaded, long size) {
                        network.offline(true);
                    }
                });
                assertThat(cut.photosUploaded()).isZero();
                assertThat(photoStates(report.id())).as("announced, its bytes not there").containsOnlyKeys(photo)
                        .doesNotContainValue("STORED");
                assertThat(basement.photoUploads()).extracting(PhotoUpload::photoId).contains(photo);

                assertThat(basement.removePhoto(photo)).isTrue();
                network.offline(false);
                SyncSummary after = complete(basement.sync());

                assertThat(after.photosUploaded()).as("nothing of the removed photo is uploaded").isZero();
                assertThat(photoStates(report.id())).isEmpty();
                assertThat(basement.photos()).extracting(p -> p.id()).doesNotContain(photo);
                assertThat(basement.photoUploads()).extracting(PhotoUpload::photoId).doesNotContain(photo);
                assertThat(basement.state().outboxDepth()).isZero();
            } finally {
                basement.close();
            }
        }
    }

    private Map<UUID, String> photoStates(UUID report) {
        return jdbc.sql("SELECT id, state FROM photos WHERE report_id = ?").param(report)
                .query((rows, n) -> Map.entry(rows.getObject("id", UUID.class), rows.getString("state"))).list()
                .stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    private String captionOnServer(UUID photo) {
        return jdbc.sql("SELECT caption FROM photos WHERE id = ?").param(photo).query(String.class).single();
    }

    @Test
    void aDeviceOfflineKeepsEverythingAndSendsItWhenTheNetworkIsBack() throws Exception {
        try (FaultyProxy network = new FaultyProxy(port, FaultyProxy.Faults.none(), 1)) {
            FieldbookClient basement = FieldbookClient.builder(stores.resolve("basement").resolve("client.db"))
                    .server(URI.create("http://127.0.0.1:" + network.port())).open();
            try {
                basement.signIn(worker.login(), Fixtures.PASSWORD.toCharArray());
                network.offline(true);
                LocalReport report = basement.createReport(UUID.fromString(site), DAY.plusDays(3),
                        content("In the basement", null, null));
                SyncSummary unreachable = basement.sync();
                assertThat(unreachable.interruption()).isEqualTo(SyncSummary.Interruption.SERVER_UNREACHABLE);
                assertThat(basement.state().outboxDepth()).isPositive();

                network.offline(false);
                complete(basement.sync());
                assertThat(basement.state().outboxDepth()).isZero();
                assertThat(jdbc.sql("SELECT work_performed FROM daily_reports WHERE id = ?").param(report.id())
                        .query(String.class).single()).isEqualTo("In the basement");
            } finally {
                basement.close();
            }
        }
    }

    @Test
    void aWorkerGivenAnotherSiteFindsItsReportsAfterTheNextSync() {
        String other = world.site();
        Person colleague = world.worker(other);
        FieldbookClient colleagues = FieldbookClient.builder(stores.resolve("colleague").resolve("client.db"))
                .server(URI.create("http://127.0.0.1:" + port)).open();
        java.util.List<UUID> filed = new java.util.ArrayList<>();
        try {
            colleagues.signIn(colleague.login(), Fixtures.PASSWORD.toCharArray());
            for (int day = 0; day < 12; day++) {
                filed.add(colleagues.createReport(UUID.fromString(other), DAY.minusDays(day),
                        content("Earlier work " + day, null, null)).id());
            }
            complete(colleagues.sync());
        } finally {
            colleagues.close();
        }
        phone.createReport(UUID.fromString(site), DAY.plusDays(4), content("Own site", null, null));
        complete(phone.sync());
        assertThat(phone.reports()).noneMatch(report -> filed.contains(report.id()));

        Fixtures.expect(world.admin().put("/api/v1/users/" + worker.id() + "/sites",
                java.util.Map.of("siteIds", java.util.List.of(site, other))), 200);
        complete(phone.sync());

        assertThat(phone.reports().stream().map(LocalReport::id)).containsAll(filed);
        assertThat(phone.sites().stream().map(s -> s.id().toString())).contains(site, other);
    }

    @Test
    void aPersonWhosePasswordAnAdministratorChoseChoosesTheirOwnBeforeTheClientTakesAnythingElse() {
        Person newcomer = world.newcomer("WORKER");
        try (FieldbookClient laptop = FieldbookClient.builder(stores.resolve("laptop").resolve("client.db"))
                .server(URI.create("http://127.0.0.1:" + port)).open()) {
            assertThatThrownBy(() -> laptop.signIn(newcomer.login(), Fixtures.FIRST_PASSWORD.toCharArray()))
                    .isInstanceOf(PasswordChangeRequired.class).hasMessageContaining("choose your own");
            assertThat(laptop.signedIn()).as("the sign-in is kept for the change").isTrue();
            assertThatThrownBy(laptop::sync).isInstanceOf(PasswordChangeRequired.class);
            assertThatThrownBy(() -> laptop.changePassword(Fixtures.FIRST_PASSWORD.toCharArray(),
                    newcomer.login().toCharArray())).isInstanceOf(ServerRefused.class)
                    .hasMessageStartingWith("The new password is not accepted: ");
            assertThatThrownBy(() -> laptop.changePassword("not-the-password".toCharArray(),
                    Fixtures.PASSWORD.toCharArray())).isInstanceOf(SignInRefused.class)
                    .hasMessage("The current password is wrong.");

            laptop.changePassword(Fixtures.FIRST_PASSWORD.toCharArray(), Fixtures.PASSWORD.toCharArray());
            complete(laptop.sync());
            assertThat(world.anonymous().signIn(newcomer.login(), Fixtures.PASSWORD).get("/api/v1/auth/me")
                    .status()).isEqualTo(200);
        }
    }

    private FieldbookClient device(String name) {
        FieldbookClient client = FieldbookClient.builder(stores.resolve(name).resolve("client.db"))
                .server(URI.create("http://127.0.0.1:" + port)).open();
        client.signIn(worker.login(), Fixtures.PASSWORD.toCharArray());
        return client;
    }

    private static SyncSummary complete(SyncSummary summary) {
        assertThat(summary.interruption()).as(summary.toString()).isEqualTo(SyncSummary.Interruption.NONE);
        return summary;
    }

    private static ReportContent content(String work, String notes, String delays) {
        return new ReportContent(null, null, work, delays, null, null, notes);
    }
}
