package app.fieldbook.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import app.fieldbook.client.Backoff;
import app.fieldbook.client.FieldbookClient;
import app.fieldbook.client.LoopbackServer;
import app.fieldbook.client.TestClock;
import app.fieldbook.client.TestDevices;
import app.fieldbook.protocol.Conflict;
import app.fieldbook.protocol.ConflictState;
import app.fieldbook.protocol.PullResponse;
import app.fieldbook.protocol.Report;
import app.fieldbook.protocol.ReportStatus;
import app.fieldbook.protocol.SyncProtocol;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

class FieldbookCommandTest {

    @TempDir
    Path directory;

    private final TestClock clock = TestClock.at("2025-06-02T16:30:00Z");
    private final LoopbackServer server = new LoopbackServer();
    private String out;
    private String err;

    @AfterEach
    void stop() {
        server.close();
    }

    private int fieldbook(String... args) {
        return fieldbookReading("", args);
    }

    private int fieldbookReading(String stdin, String... args) {
        FieldbookCommand command = new FieldbookCommand(path -> FieldbookClient.builder(path).clock(clock)
                .sleeper(clock).random(TestDevices.LONGEST_JITTER),
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        CommandLine commandLine = FieldbookCommand.commandLine(command);
        StringWriter output = new StringWriter();
        StringWriter errors = new StringWriter();
        commandLine.setOut(new PrintWriter(output));
        commandLine.setErr(new PrintWriter(errors));
        String[] withStore = Stream.concat(Stream.of("--store", directory.resolve("client.db").toString()),
                Stream.of(args)).toArray(String[]::new);
        int exit = commandLine.execute(withStore);
        out = output.toString();
        err = errors.toString();
        return exit;
    }

    /** Bytes that begin as a JPEG does, {@code size} of them (at least 3): the server's answers here are the test's. */
    private static byte[] jpegBytes(int size) {
        byte[] bytes = new byte[Math.max(3, size)];
        bytes[0] = (byte) 0xFF;
        bytes[1] = (byte) 0xD8;
        bytes[2] = (byte) 0xFF;
        return bytes;
    }

    private void signedInWithSites() {
        assertThat(fieldbookReading(LoopbackServer.PASSWORD + "\n", "login", "--server", server.uri().toString(),
                "--user", LoopbackServer.LOGIN, "--password-stdin")).isZero();
        server.page(TestDevices.sitesPage());
        assertThat(fieldbook("sync")).isZero();
    }

    @Test
    void aWorkerSignsInWritesAReportOfflineSubmitsItAndSyncs() {
        assertThat(fieldbookReading(LoopbackServer.PASSWORD + "\n", "login", "--server", server.uri().toString(),
                "--user", LoopbackServer.LOGIN, "--password-stdin")).isZero();
        assertThat(out).contains("Signed in to " + server.uri() + " as Walter Worker (WORKER)");
        server.page(TestDevices.sitesPage());
        assertThat(fieldbook("sync")).isZero();

        assertThat(fieldbook("report", "new", "--site", "north", "--date", "2025-06-02", "--work", "Poured deck 4",
                "--weather", "Sunny", "--temperature", "18.5", "--crew", "Concrete:Beton Nord:6:48",
                "--crew", "Steel::2:16")).isZero();
        String id = out.lines().filter(line -> line.startsWith("Full id: ")).findFirst().orElseThrow().substring(9);
        assertThat(fieldbook("report", "edit", id.substring(0, 8), "--notes", "Pump late")).isZero();
        assertThat(out).startsWith("Saved ");
        assertThat(fieldbook("report", "submit", id.substring(0, 6))).isZero();

        assertThat(fieldbook("report", "list")).isZero();
        assertThat(out).contains(id.substring(0, 8) + "  2025-06-02  NORTH       SUBMITTED  3 change(s) waiting");
        assertThat(fieldbook("status")).isZero();
        assertThat(out).contains("Changes waiting: 3, oldest from 2025-06-02T16:30Z");

        assertThat(fieldbook("sync")).isZero();
        assertThat(out).contains("Sent: 3 applied, 0 with conflicts, 0 refused; 0 waiting.");
        assertThat(server.pushedOperations().getFirst().get("changes").get("crew").get("value")).hasSize(2);
        assertThat(fieldbook("report", "list")).isZero();
        assertThat(out).contains("SUBMITTED  synced");
    }

    @Test
    void aPhotoIsAttachedAndUploadedWithAProgressBar() throws Exception {
        signedInWithSites();
        fieldbook("report", "new", "--site", "NORTH", "--date", "2025-06-02");
        String id = out.lines().filter(line -> line.startsWith("Full id: ")).findFirst().orElseThrow().substring(9);
        Path photo = Files.write(directory.resolve("deck.jpg"), jpegBytes(4096));

        assertThat(fieldbook("photo", "add", id, photo.toString(), "--caption", "Deck 4")).isZero();
        assertThat(out).contains("(4096 bytes) to report " + id.substring(0, 8));
        assertThat(fieldbook("sync")).isZero();

        assertThat(err).contains("[##############################] 100%  0.0/0.0 MB  stored");
        assertThat(out).contains("Photos: 1 uploaded, 0 refused, 0 waiting.");
    }

    @Test
    void aPhotosCaptionIsWrittenLaterAndGoesWithItsAnnouncement() throws Exception {
        signedInWithSites();
        fieldbook("report", "new", "--site", "NORTH", "--date", "2025-06-03");
        String id = out.lines().filter(line -> line.startsWith("Full id: ")).findFirst().orElseThrow().substring(9);
        fieldbook("photo", "add", id, Files.write(directory.resolve("deck.jpg"), jpegBytes(4096)).toString());
        String photoId = out.split(" ")[2];

        assertThat(fieldbook("photo", "caption", photoId, "Deck 5, east")).isZero();
        assertThat(out).contains("Captioned photo " + photoId + " \"Deck 5, east\"; it goes with the next sync.");
        assertThat(fieldbook("photo", "caption", photoId, "x".repeat(501))).isNotZero();
        assertThat(err).contains("at most 500 characters");
        assertThat(fieldbook("sync")).isZero();
        assertThat(server.pushedOperations()).filteredOn(operation -> operation.get("entity").asString().equals("Photo"))
                .singleElement().satisfies(announcement ->
                        assertThat(announcement.get("changes").get("caption").get("value").asString())
                                .isEqualTo("Deck 5, east"));
    }

    @Test
    void aPhotoRemovedBeforeItWasAnnouncedNeverReachesTheServer() throws Exception {
        signedInWithSites();
        fieldbook("report", "new", "--site", "NORTH", "--date", "2025-06-04");
        String id = out.lines().filter(line -> line.startsWith("Full id: ")).findFirst().orElseThrow().substring(9);
        fieldbook("photo", "add", id, Files.write(directory.resolve("blurred.jpg"), jpegBytes(4096)).toString());
        String photoId = out.split(" ")[2];

        assertThat(fieldbook("photo", "remove", photoId)).isZero();
        assertThat(out).contains("Removed photo " + photoId + ".");
        assertThat(fieldbook("photo", "list")).isZero();
        assertThat(out).contains("No photos on this device.");
        assertThat(fieldbook("photo", "remove", photoId)).isNotZero();
        assertThat(fieldbook("sync")).isZero();
        assertThat(server.pushedOperations()).noneMatch(operation -> operation.get("entity").asString().equals("Photo"));
    }

    @Test
    void aRefusedPhotoIsShownUntilItsCopyIsDiscarded() throws Exception {
        signedInWithSites();
        fieldbook("report", "new", "--site", "NORTH", "--date", "2025-06-02");
        String id = out.lines().filter(line -> line.startsWith("Full id: ")).findFirst().orElseThrow().substring(9);
        fieldbook("photo", "add", id, Files.write(directory.resolve("deck.jpg"), jpegBytes(2)).toString());
        String photoId = out.split(" ")[2];
        server.failNext("/api/v1/sync/uploads/", LoopbackServer.Fault.problem(415, "unsupported-photo-type", java.util.Map.of()));

        assertThat(fieldbook("sync")).as("nothing waits, but a photo was refused for good").isEqualTo(4);
        assertThat(err).contains("refused (see 'fieldbook photo list')");
        assertThat(fieldbook("status")).isZero();
        assertThat(out).contains("Photos waiting:  0 (1 refused, kept on this device)")
                .contains("Photo refused:   " + photoId);
        assertThat(fieldbook("photo", "list")).isZero();
        assertThat(out).contains(photoId + "  report " + id.substring(0, 8)).contains("REFUSED: ");

        assertThat(fieldbook("photo", "discard", photoId)).isZero();
        assertThat(fieldbook("status")).isZero();
        assertThat(out).doesNotContain("Photo refused");
    }

    @Test
    void aReturnedReportIsShownWithTheManagersCommentEverySectionAndItsPhotos() throws Exception {
        signedInWithSites();
        UUID id = UUID.randomUUID();
        Report returned = new Report(id, TestDevices.NORTH.id(), LocalDate.of(2025, 6, 2), LoopbackServer.USER_ID,
                ReportStatus.RETURNED, new app.fieldbook.protocol.ReportContent(
                        new app.fieldbook.protocol.Weather("Sunny", new java.math.BigDecimal("18.5")),
                        List.of(new app.fieldbook.protocol.CrewRow("Concrete", "Beton Nord", 6, new java.math.BigDecimal("48")),
                                new app.fieldbook.protocol.CrewRow("Steel", null, 1, new java.math.BigDecimal("8.50"))),
                        "Poured deck 4", null, "None", null, "Pump late,\nthen fixed"),
                "Add the crane hours, please.", OffsetDateTime.parse("2025-06-02T15:00:00Z"),
                OffsetDateTime.parse("2025-06-02T16:00:00Z"), UUID.randomUUID(), 3,
                OffsetDateTime.parse("2025-06-02T08:00:00Z"), OffsetDateTime.parse("2025-06-02T16:00:00Z"),
                UUID.randomUUID());
        server.page(new PullResponse("c-2", false, List.of(returned), List.of(), List.of(), List.of(), List.of(),
                List.of(TestDevices.NORTH, TestDevices.HARBOUR), List.of()));
        assertThat(fieldbook("sync")).isZero();
        assertThat(fieldbook("photo", "add", id.toString().substring(0, 8),
                Files.write(directory.resolve("deck.jpg"), jpegBytes(64)).toString(), "--caption", "Deck 4")).isZero();

        assertThat(fieldbook("photo", "list")).isZero();
        assertThat(out).contains("  Deck 4  on this device, 0/64 bytes uploaded; the rest goes with the next sync");

        assertThat(fieldbook("report", "show", id.toString().substring(0, 8))).isZero();
        assertThat(out).contains("2025-06-02  NORTH", "Status: RETURNED, synced",
                "Returned with: Add the crane hours, please.", "Weather: Sunny, 18.5 °C",
                "Crew:\n  Concrete (Beton Nord): 6 people, 48 h\n  Steel: 1 person, 8.5 h",
                "Work performed: Poured deck 4", "Delays: —", "Safety incidents: None",
                "Notes:\n  Pump late,\n  then fixed", "Deck 4  on this device, uploaded with the next sync");
    }

    @Test
    void aFileThatIsNotAPhotoATooLongCaptionAndAPositionOffTheGlobeAreRefusedAtOnceAsBadInput() throws Exception {
        signedInWithSites();
        fieldbook("report", "new", "--site", "NORTH", "--date", "2025-06-02");
        String id = out.lines().filter(line -> line.startsWith("Full id: ")).findFirst().orElseThrow().substring(9);
        Path text = Files.writeString(directory.resolve("notes.jpg"), "Not a photo at all");
        Path photo = Files.write(directory.resolve("deck.jpg"), jpegBytes(64));

        assertThat(fieldbook("photo", "add", id, text.toString())).isEqualTo(2);
        assertThat(err).contains("is not a photo the server takes (JPEG, PNG, WebP, HEIC or HEIF)");
        assertThat(fieldbook("photo", "add", id, photo.toString(), "--caption", "x".repeat(501))).isEqualTo(2);
        assertThat(err).contains("A caption may have at most 500 characters; this one has 501.");
        assertThat(fieldbook("photo", "add", id, photo.toString(), "--latitude", "200", "--longitude", "9")).isEqualTo(2);
        assertThat(err).contains("A latitude is from -90 to 90 degrees");

        assertThat(fieldbook("status")).isZero();
        assertThat(out).contains("Changes waiting: 1,");
    }

    @Test
    void aReportWithoutADateIsForTodayAtItsSite() {
        signedInWithSites();

        assertThat(fieldbook("report", "new", "--site", "NORTH", "--work", "Formwork")).isZero();

        java.time.LocalDate today = java.time.LocalDate.now(clock.withZone(java.time.ZoneId.of(
                TestDevices.NORTH.timezone())));
        assertThat(out).contains("Created draft ").contains("  " + today + "  NORTH");
    }

    @Test
    void aTemperatureAndTheCrewAreClearedWithAnEmptyValue() {
        signedInWithSites();
        fieldbook("report", "new", "--site", "NORTH", "--date", "2025-06-02", "--temperature", "18",
                "--crew", "Concrete:Beton Nord:6:48");
        String id = out.lines().filter(line -> line.startsWith("Full id: ")).findFirst().orElseThrow().substring(9);

        assertThat(fieldbook("report", "edit", id, "--temperature", "", "--crew", "")).isZero();

        assertThat(fieldbook("report", "show", id)).isZero();
        assertThat(out).contains("Weather: —", "Crew: —");
    }

    @Test
    void loginAsksForTheSecondFactorsCodeWhenTheServerNeedsItOnTheLineAfterThePassword() {
        server.requireSecondFactor("492039");
        assertThat(fieldbookReading(LoopbackServer.PASSWORD + "\n492039\n", "login", "--server",
                server.uri().toString(), "--user", LoopbackServer.LOGIN, "--password-stdin")).as(err).isZero();
        assertThat(out).contains("Signed in to");
        var requests = server.received("POST", "/api/v1/auth/tokens");
        assertThat(requests).hasSize(2);
        assertThat(requests.get(0).json().hasNonNull("code")).isFalse();
        assertThat(requests.get(1).json().path("code").asString()).isEqualTo("492039");
    }

    @Test
    void loginTakesTheCodeOrARecoveryCodeAsAnOptionForScripts() {
        server.requireSecondFactor("ABCD-EFGH-IJKL-MNOP");
        assertThat(fieldbookReading(LoopbackServer.PASSWORD + "\n", "login", "--server", server.uri().toString(),
                "--user", LoopbackServer.LOGIN, "--password-stdin", "--code", "ABCD-EFGH-IJKL-MNOP")).as(err).isZero();
        var requests = server.received("POST", "/api/v1/auth/tokens");
        assertThat(requests).hasSize(1);
        assertThat(requests.getFirst().json().path("recoveryCode").asString()).isEqualTo("ABCD-EFGH-IJKL-MNOP");
        assertThat(requests.getFirst().json().hasNonNull("code")).isFalse();
    }

    @Test
    void aWrongCodeIsRefusedAndNoTokenIsKept() {
        server.requireSecondFactor("492039");
        assertThat(fieldbookReading(LoopbackServer.PASSWORD + "\n", "login", "--server", server.uri().toString(),
                "--user", LoopbackServer.LOGIN, "--password-stdin", "--code", "111111")).isNotZero();
        assertThat(err).contains("The code is wrong or was used before.");
        assertThat(fieldbook("sync")).isNotZero();
        assertThat(err).contains("Not signed in");
    }

    @Test
    void withoutACodeOnStandardInputLoginSaysHowToGiveOne() {
        server.requireSecondFactor("492039");
        assertThat(fieldbookReading(LoopbackServer.PASSWORD + "\n", "login", "--server", server.uri().toString(),
                "--user", LoopbackServer.LOGIN, "--password-stdin")).isNotZero();
        assertThat(err).contains("--code CODE");
    }

    @Test
    void loginWithAPasswordAnAdministratorChoseAsksForOneOfYourOwnFirst() {
        server.requirePasswordChange();
        String login = "login --server " + server.uri() + " --user " + LoopbackServer.LOGIN + " --password-stdin";

        assertThat(fieldbookReading(LoopbackServer.PASSWORD + "\npassword1234\n", login.split(" "))).isNotZero();
        assertThat(out).contains("An administrator chose this account's password");
        assertThat(err).contains("The new password is not accepted: is too common: choose another.");
        assertThat(fieldbook("sync")).isNotZero();
        assertThat(err).contains("choose your own").contains("'fieldbook password'");

        assertThat(fieldbookReading(LoopbackServer.PASSWORD + "\nmy-own-granite-path\n", login.split(" "))).as(err)
                .isZero();
        assertThat(out).contains("Password changed").contains("Signed in to");
        assertThat(server.password()).isEqualTo("my-own-granite-path");
        assertThat(fieldbook("sync")).as(err).isZero();
    }

    @Test
    void passwordChangesThePasswordOfThePersonSignedIn() {
        signedInWithSites();
        assertThat(fieldbookReading("wrong-password-here\nanother-granite-path\n", "password", "--password-stdin"))
                .isNotZero();
        assertThat(err).contains("The current password is wrong.");
        assertThat(fieldbookReading(LoopbackServer.PASSWORD + "\nshort\n", "password", "--password-stdin")).isNotZero();
        assertThat(err).contains("at least 12 characters");
        assertThat(server.password()).isEqualTo(LoopbackServer.PASSWORD);

        assertThat(fieldbookReading(LoopbackServer.PASSWORD + "\nanother-granite-path\n", "password",
                "--password-stdin")).as(err).isZero();
        assertThat(out).contains("Password changed");
        assertThat(server.password()).isEqualTo("another-granite-path");
        assertThat(server.received("PUT", "/api/v1/auth/password").getLast().header("Authorization"))
                .isEqualTo("Bearer " + LoopbackServer.TOKEN);
    }

    @Test
    void aBadDateIsAUsageErrorOnOneLine() {
        assertThat(fieldbook("report", "new", "--site", "NORTH", "--date", "2025-13-01")).isEqualTo(2);

        assertThat(err).isEqualTo("fieldbook: Invalid value for option '--date': '2025-13-01' is not a date (YYYY-MM-DD)"
                + " (see 'fieldbook report new --help')" + System.lineSeparator());
    }

    @Test
    void anUnknownSiteCodeIsAUsageErrorNamingTheKnownSites() {
        signedInWithSites();

        assertThat(fieldbook("report", "new", "--site", "SOUTH", "--date", "2025-06-02")).isEqualTo(2);

        assertThat(err).startsWith("fieldbook: Unknown site 'SOUTH'; known sites: HARBOUR, NORTH").hasLineCount(1);
    }

    @Test
    void aMissingPhotoFileIsAUsageError() {
        signedInWithSites();
        fieldbook("report", "new", "--site", "NORTH", "--date", "2025-06-02");
        String id = out.lines().filter(line -> line.startsWith("Full id: ")).findFirst().orElseThrow().substring(9);

        assertThat(fieldbook("photo", "add", id, directory.resolve("missing.jpg").toString())).isEqualTo(2);

        assertThat(err).startsWith("fieldbook: No such file: ").hasLineCount(1);
    }

    @Test
    void writingAReportWithoutSigningInFailsAndSaysHowToSignIn() {
        assertThat(fieldbook("report", "new", "--site", "NORTH", "--date", "2025-06-02")).isEqualTo(1);

        assertThat(err).contains("Not signed in").contains("fieldbook login --server URL --user NAME").hasLineCount(1);
    }

    @Test
    void syncingWithoutSigningInFails() {
        assertThat(fieldbook("sync")).isEqualTo(1);

        assertThat(err).startsWith("fieldbook: No server is set for this device").hasLineCount(1);
    }

    @Test
    void aCrewRowThatIsNotFourPartsIsAUsageError() {
        signedInWithSites();

        assertThat(fieldbook("report", "new", "--site", "NORTH", "--date", "2025-06-02", "--crew", "Concrete:6"))
                .isEqualTo(2);

        assertThat(err).contains("'Concrete:6' is not a crew row (TRADE:COMPANY:HEADCOUNT:HOURS)").hasLineCount(1);
    }

    @Test
    void anUnknownReportIdIsAUsageError() {
        signedInWithSites();

        assertThat(fieldbook("report", "submit", "deadbeef")).isEqualTo(2);

        assertThat(err).startsWith("fieldbook: No report 'deadbeef' on this device").hasLineCount(1);
    }

    @Test
    void resolvingAConflictTakesExactlyOneChoice() {
        signedInWithSites();

        assertThat(fieldbook("conflicts", "resolve", "abc", "--server", "--client")).isEqualTo(2);
        assertThat(err).contains("mutually exclusive").hasLineCount(1);
        assertThat(fieldbook("conflicts", "resolve", "abc")).isEqualTo(2);
        assertThat(err).contains("Missing required argument").hasLineCount(1);
    }

    @Test
    void reportNewPrintsItsUsageOnHelpThoughItsRequiredOptionsAreMissing() {
        assertThat(fieldbook("report", "new", "--help")).isZero();

        assertThat(out).startsWith("Usage: fieldbook report new ").contains("--site=SITE", "--date=YYYY-MM-DD",
                "--crew=TRADE:COMPANY:HEADCOUNT:HOURS", "Start a draft report for a site and day.", "-h, --help");
        assertThat(err).isEmpty();
    }

    @Test
    void photoAddPrintsItsUsageOnHelpThoughItsParametersAreMissing() {
        assertThat(fieldbook("photo", "add", "--help")).isZero();

        assertThat(out).startsWith("Usage: fieldbook photo add ").contains("REPORT_ID FILE", "--taken-at=TIME",
                "Attach a photo to a draft or returned report");
        assertThat(err).isEmpty();
    }

    @Test
    void conflictsResolvePrintsItsUsageOnTheShortHelpThoughNoChoiceIsGiven() {
        assertThat(fieldbook("conflicts", "resolve", "-h")).isZero();

        assertThat(out).startsWith("Usage: fieldbook conflicts resolve ").contains("Keep the server's value.",
                "Take the value from the device.", "--value=TEXT", "Resolve a conflict: keep the server's value");
        assertThat(err).isEmpty();
    }

    @Test
    void loginPrintsItsUsageOnHelpThoughTheUserIsMissing() {
        assertThat(fieldbook("login", "--help")).isZero();

        assertThat(out).startsWith("Usage: fieldbook login ").contains("--user=NAME", "--password-stdin");
        assertThat(err).isEmpty();
    }

    @Test
    void aCommandGroupPrintsItsUsageWithItsSubcommandsOnHelp() {
        assertThat(fieldbook("report", "--help")).isZero();

        assertThat(out).startsWith("Usage: fieldbook report ").contains("Commands:", "new", "edit", "submit", "delete");
        assertThat(err).isEmpty();
    }

    @Test
    void theTopLevelCommandPrintsItsVersion() {
        assertThat(fieldbook("--version")).isZero();

        assertThat(out).startsWith("fieldbook ");
        assertThat(err).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"report new --site NORTH --date 2025-13-01", "photo add", "conflicts resolve abc",
            "report", "status --no-such-option", ""})
    void aUsageErrorNamesAHelpCommandThatPrintsTheUsageOfTheFailedCommand(String invocation) {
        String[] args = Arrays.stream(invocation.split(" ")).filter(arg -> !arg.isEmpty()).toArray(String[]::new);
        assertThat(fieldbook(args)).isEqualTo(2);
        Matcher named = Pattern.compile("\\(see '(fieldbook[^']*) --help'\\)$").matcher(err.strip());
        assertThat(named.find()).as("names a help command: %s", err).isTrue();
        String failedCommand = named.group(1);

        String[] helpArgs = Stream.concat(Arrays.stream(failedCommand.split(" ")).skip(1), Stream.of("--help"))
                .toArray(String[]::new);
        assertThat(fieldbook(helpArgs)).isZero();

        assertThat(out).startsWith("Usage: " + failedCommand + " ");
        assertThat(err).isEmpty();
    }

    @Test
    void fieldbookAloneIsAUsageErrorNamingTheCommands() {
        assertThat(fieldbook()).isEqualTo(2);

        assertThat(err).isEqualTo("fieldbook: Missing command: login, password, sync, report, photo, status or conflicts"
                + " (see 'fieldbook --help')" + System.lineSeparator());
    }

    @Test
    void aWrongPasswordFailsWithoutAStackTrace() {
        assertThat(fieldbookReading("wrong\n", "login", "--server", server.uri().toString(), "--user", "walter",
                "--password-stdin")).isEqualTo(1);

        assertThat(err).isEqualTo("fieldbook: Wrong login or password." + System.lineSeparator());
    }

    @Test
    void aSignInToAnotherServerThatCannotBeReachedLeavesTheDeviceAsItWas() {
        signedInWithSites();

        assertThat(fieldbookReading(LoopbackServer.PASSWORD + "\n", "login", "--server", "http://127.0.0.1:9",
                "--user", LoopbackServer.LOGIN, "--password-stdin")).isEqualTo(1);

        assertThat(err).contains("The server http://127.0.0.1:9 cannot be reached, so this device stays with "
                + server.uri().toString().replaceFirst("/+$", "")).hasLineCount(1);
        assertThat(fieldbook("status")).isZero();
        assertThat(out).contains("Signed in as: ").doesNotContain("nobody").contains("127.0.0.1:" + server.uri().getPort());
        assertThat(fieldbook("report", "new", "--site", "NORTH", "--date", "2025-06-03")).as("its sites kept").isZero();
    }

    @Test
    void anAddressThatIsNotAServerIsAUsageError() {
        assertThat(fieldbookReading("x\n", "login", "--server", "ftp://files", "--user", "walter", "--password-stdin"))
                .isEqualTo(2);

        assertThat(err).contains("'ftp://files' is not a server address").hasLineCount(1);
        assertThat(fieldbookReading("x\n", "login", "--server", "127.0.0.1:8080", "--user", "walter",
                "--password-stdin")).isEqualTo(2);
        assertThat(err).contains("'127.0.0.1:8080' is not a server address (expected http://host or https://host")
                .doesNotContain("URISyntaxException").hasLineCount(1);
    }

    @Test
    void aSyncThatCannotReachTheServerFailsAndSaysTheChangesStay() {
        signedInWithSites();
        fieldbook("report", "new", "--site", "NORTH", "--date", "2025-06-02");
        server.close();

        assertThat(fieldbook("sync")).isEqualTo(3);

        assertThat(out).contains("1 waiting.");
        assertThat(err).contains("sync stopped: The server cannot be reached.").contains("stay on this device")
                .contains("1 change(s) still wait");
        assertThat(fieldbook("status")).isZero();
        assertThat(out).contains("  1 change(s): The server cannot be reached. Next try: with the next sync.");
    }

    @Test
    void aSyncWhosePushesAreCutOffWhileItsPullGoesThroughSaysWhatStillWaitsAndExitsThree() {
        signedInWithSites();
        fieldbook("report", "new", "--site", "NORTH", "--date", "2025-06-02");
        for (int attempt = 0; attempt < Backoff.STANDARD.attemptsPerCall(); attempt++) {
            server.failNext("/api/v1/sync/push", LoopbackServer.Fault.drop());
        }

        assertThat(fieldbook("sync")).isEqualTo(3);

        assertThat(out).contains("1 waiting.");
        assertThat(err).contains("fieldbook: sync incomplete: 1 change(s) still wait on this device")
                .contains("1 change(s): The connection to the server was lost.")
                .contains("Next try: from 2025-06-02T");
        assertThat(fieldbook("status")).isZero();
        assertThat(out).contains("Changes waiting: 1, oldest from 2025-06-02T16:30Z")
                .containsPattern("\\n  1 change\\(s\\): The connection to the server was lost\\. Next try: from 2025-06-02T\\S+\\.");

        assertThat(fieldbook("sync")).isEqualTo(3);
        clock.advance(java.time.Duration.ofHours(1));
        assertThat(fieldbook("sync")).isZero();
        assertThat(err).doesNotContain("incomplete");
        assertThat(fieldbook("status")).isZero();
        assertThat(out).contains("Changes waiting: 0").doesNotContain("Next try");
    }

    @Test
    void aSyncThatCouldNotUploadAPhotoSaysSoAndExitsThree() throws Exception {
        signedInWithSites();
        fieldbook("report", "new", "--site", "NORTH", "--date", "2025-06-02");
        String id = out.lines().filter(line -> line.startsWith("Full id: ")).findFirst().orElseThrow().substring(9);
        fieldbook("photo", "add", id, Files.write(directory.resolve("deck.jpg"), jpegBytes(4096)).toString());
        server.stallUploads();

        assertThat(fieldbook("sync")).isEqualTo(3);

        assertThat(out).contains("Photos: 0 uploaded, 0 refused, 1 waiting.");
        assertThat(err).contains("sync incomplete: 1 photo(s) still wait on this device")
                .contains("1 photo(s): The server stopped taking the upload's bytes.");
        assertThat(fieldbook("status")).isZero();
        assertThat(out).contains("  1 photo(s): The server stopped taking the upload's bytes. Next try: from ");
    }

    @Test
    void timeOrderedIdsSharingTheirFirstCharactersArePrintedLongEnoughToTellApartAndAreAcceptedBack() {
        signedInWithSites();
        UUID first = UUID.fromString("0193a1b2-7c3d-7e01-8a00-000000000001");
        UUID second = UUID.fromString("0193a1b2-7c3d-7e02-8a00-000000000002");
        UUID third = UUID.fromString("0193a1b2-7c4f-7000-8a00-000000000003");
        List<Conflict> conflicts = List.of(conflict("0193a1b3-0000-7001-8000-00000000000c", first),
                conflict("0193a1b3-0000-7002-8000-00000000000d", second));
        server.page(new PullResponse("c-2", false, List.of(draft(first, 2), draft(second, 3), draft(third, 4)),
                List.of(), conflicts, List.of(), List.of(), List.of(TestDevices.NORTH, TestDevices.HARBOUR),
                List.of()));
        server.openConflicts(conflicts);
        assertThat(fieldbook("sync")).isZero();

        assertThat(fieldbook("report", "list")).isZero();
        List<String> reportIds = out.lines().skip(1).map(line -> line.split(" ")[0]).toList();
        assertThat(reportIds).containsExactlyInAnyOrder("0193a1b2-7c3d-7e01", "0193a1b2-7c3d-7e02", "0193a1b2-7c4");
        for (String reportId : reportIds) {
            assertThat(fieldbook("report", "edit", reportId, "--notes", "Pump late")).as(err).isZero();
            assertThat(out).startsWith("Saved " + reportId + " ");
        }
        assertThat(fieldbook("conflicts", "list")).isZero();
        List<String> conflictIds = out.lines().filter(line -> !line.startsWith(" "))
                .map(line -> line.split(" ")[0]).toList();
        assertThat(conflictIds).containsExactly("0193a1b3-0000-7001", "0193a1b3-0000-7002");
        assertThat(out).contains("DailyReport 0193a1b2-7c3d-7e01  workPerformed");
        assertThat(fieldbook("conflicts", "resolve", "0193a1b3", "--server")).isEqualTo(2);
        assertThat(err).contains("matches 2 conflicts (0193a1b3-0000-7001, 0193a1b3-0000-7002)");
        assertThat(fieldbook("conflicts", "resolve", conflictIds.getFirst(), "--server")).as(err).isZero();
        assertThat(server.received("POST", "/api/v1/sync/conflicts/").getLast().path())
                .contains(conflicts.getFirst().id().toString());
    }

    private static Report draft(UUID id, int day) {
        return new Report(id, TestDevices.NORTH.id(), LocalDate.of(2025, 6, day), LoopbackServer.USER_ID,
                ReportStatus.DRAFT, TestDevices.content("Deck " + day), null, null, null, null, 1,
                OffsetDateTime.parse("2025-06-02T08:00:00Z"), OffsetDateTime.parse("2025-06-02T08:00:00Z"),
                LoopbackServer.USER_ID);
    }

    private static Conflict conflict(String id, UUID reportId) {
        return new Conflict(UUID.fromString(id), SyncProtocol.REPORT, reportId, TestDevices.NORTH.id(),
                "workPerformed", "Deck (manager)", LoopbackServer.USER_ID, OffsetDateTime.parse("2025-06-02T15:00:00Z"),
                "Deck (worker)", LoopbackServer.USER_ID, UUID.randomUUID(), OffsetDateTime.parse("2025-06-02T14:00:00Z"),
                ConflictState.OPEN, null, null, null, 1);
    }

    @Test
    void anUploadCutByTheNetworkEndsWithPlainLinesAndNothingIsLoggedAsAWarningOrWithAStackTrace() throws Exception {
        signedInWithSites();
        fieldbook("report", "new", "--site", "NORTH", "--date", "2025-06-02");
        String id = out.lines().filter(line -> line.startsWith("Full id: ")).findFirst().orElseThrow().substring(9);
        fieldbook("photo", "add", id, Files.write(directory.resolve("deck.jpg"), jpegBytes(4096)).toString());
        for (int attempt = 0; attempt < Backoff.STANDARD.attemptsPerCall(); attempt++) {
            server.failNext("/api/v1/sync/uploads/", LoopbackServer.Fault.drop());
        }
        List<LogRecord> logged = new CopyOnWriteArrayList<>();
        Handler recording = new Handler() {
            @Override
            public void publish(LogRecord record) {
                logged.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger root = Logger.getLogger("");
        // the loopback server's own logs (com.sun.net.httpserver) tell of the drop it made on purpose
        Level level = root.getLevel();
        root.setLevel(Level.ALL);
        root.addHandler(recording);
        int exit;
        try {
            exit = fieldbook("sync");
        } finally {
            root.removeHandler(recording);
            root.setLevel(level);
        }

        assertThat(exit).isEqualTo(3);
        assertThat(err).contains("1 photo(s): The connection to the server was lost.")
                .doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(logged.stream().filter(record -> !record.getLoggerName().startsWith("com.sun.net.httpserver"))
                .filter(record -> record.getLevel().intValue() >= Level.WARNING.intValue() || record.getThrown() != null).map(record -> record.getLoggerName() + " " + record.getLevel() + " "
                + record.getMessage() + " " + record.getThrown())).isEmpty();
    }

    @Test
    void theStoreCanBeChosenAfterTheSubcommandToo() {
        assertThat(fieldbook("status", "--store", directory.resolve("other.db").toString())).isZero();

        assertThat(directory.resolve("other.db")).exists();
    }
}
