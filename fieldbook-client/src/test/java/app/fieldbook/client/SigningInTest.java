package app.fieldbook.client;

import static app.fieldbook.client.TestDevices.NORTH;
import static app.fieldbook.client.TestDevices.content;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.fieldbook.client.LoopbackServer.Fault;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SigningInTest {

    @TempDir
    Path directory;

    private final TestClock clock = TestClock.at("2025-06-02T16:30:00Z");
    private final LoopbackServer server = new LoopbackServer();

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void signingInKeepsTheTokenAndTheAccountAcrossRestarts() {
        try (FieldbookClient client = TestDevices.device(directory, server, clock).open()) {
            Account account = client.signIn(LoopbackServer.LOGIN, LoopbackServer.PASSWORD.toCharArray());
            assertThat(account.id()).isEqualTo(LoopbackServer.USER_ID);
            assertThat(account.name()).isEqualTo("Walter Worker");
        }
        try (FieldbookClient client = FieldbookClient.builder(directory.resolve("client.db")).clock(clock).open()) {
            assertThat(client.signedIn()).isTrue();
            assertThat(client.server()).contains(server.uri());
            assertThat(client.account().orElseThrow().login()).isEqualTo(LoopbackServer.LOGIN);
            client.sync();
        }
        assertThat(server.received("POST", "/api/v1/sync/pull").getFirst().header("Authorization"))
                .isEqualTo("Bearer " + LoopbackServer.TOKEN);
        String label = server.received("POST", "/api/v1/auth/tokens").getFirst().json().get("label").asString();
        assertThat(label).startsWith("Fieldbook client 0.1.0-SNAPSHOT, device ");
    }

    @Test
    void aWrongPasswordIsRefusedAndNothingIsKept() {
        try (FieldbookClient client = TestDevices.device(directory, server, clock).open()) {
            assertThatThrownBy(() -> client.signIn(LoopbackServer.LOGIN, "wrong".toCharArray()))
                    .isInstanceOf(SignInRefused.class).hasMessage("Wrong login or password.");
            assertThat(client.signedIn()).isFalse();
            assertThat(client.account()).isEmpty();
        }
    }

    @Test
    void anAccountWithASecondFactorSignsInOnlyWithItsCode() {
        server.requireSecondFactor("492039");
        try (FieldbookClient client = TestDevices.device(directory, server, clock).open()) {
            assertThatThrownBy(() -> client.signIn(LoopbackServer.LOGIN, LoopbackServer.PASSWORD.toCharArray()))
                    .isInstanceOf(SecondFactorRequired.class).hasMessageContaining("authenticator app");
            assertThatThrownBy(() -> client.signIn(LoopbackServer.LOGIN, LoopbackServer.PASSWORD.toCharArray(),
                    "111111")).isInstanceOf(SignInRefused.class).hasMessage("The code is wrong or was used before.");
            assertThat(client.signedIn()).isFalse();
            client.signIn(LoopbackServer.LOGIN, LoopbackServer.PASSWORD.toCharArray(), " 492039 ");
            assertThat(client.signedIn()).isTrue();
        }
        assertThat(server.received("POST", "/api/v1/auth/tokens").getLast().json().path("code").asString())
                .isEqualTo("492039");
    }

    @Test
    void aThrottledSignInSaysHowLongToWaitAndIsNotRetried() {
        server.failNext("/api/v1/auth/tokens", Fault.status(429, "Retry-After", "120"));
        try (FieldbookClient client = TestDevices.device(directory, server, clock).open()) {
            assertThatThrownBy(() -> client.signIn(LoopbackServer.LOGIN, LoopbackServer.PASSWORD.toCharArray()))
                    .isInstanceOfSatisfying(SignInRefused.class, refused -> {
                        assertThat(refused.retryAfter()).contains(Duration.ofSeconds(120));
                        assertThat(refused.getMessage()).contains("try again in 2 minutes");
                    });
        }
        assertThat(server.received("POST", "/api/v1/auth/tokens")).hasSize(1);
    }

    @Test
    void anExpiredTokenIsNoSignIn() {
        try (FieldbookClient client = TestDevices.device(directory, server, clock).open()) {
            client.signIn(LoopbackServer.LOGIN, LoopbackServer.PASSWORD.toCharArray());
            clock.advance(Duration.ofDays(365 * 80));
            assertThat(client.signedIn()).isFalse();
            assertThatThrownBy(client::sync).isInstanceOf(NotSignedIn.class);
            assertThat(client.account()).as("changes made offline keep their author").isPresent();
        }
    }

    @Test
    void signingInAsSomeoneElseIsRefusedWhileChangesOfThePreviousPersonWait() {
        try (FieldbookClient client = TestDevices.signedIn(TestDevices.device(directory, server, clock), server)) {
            client.createReport(NORTH.id(), LocalDate.of(2025, 6, 2), content("Poured deck 4"));

            assertThatThrownBy(() -> client.signIn("wendy", "secret".toCharArray()))
                    .isInstanceOf(ChangeRefused.class).hasMessageContaining("1 change(s) of walter");
            assertThat(server.received("POST", "/api/v1/auth/tokens")).hasSize(1);
        }
    }

    @Test
    void movingToAnotherServerIsRefusedWhileChangesWait() {
        try (FieldbookClient client = TestDevices.signedIn(TestDevices.device(directory, server, clock), server)) {
            client.createReport(NORTH.id(), LocalDate.of(2025, 6, 2), content("Poured deck 4"));
        }

        assertThatThrownBy(() -> FieldbookClient.open(directory.resolve("client.db"),
                URI.create("https://elsewhere.example.com"))).isInstanceOf(ChangeRefused.class);
        try (FieldbookClient client = FieldbookClient.open(directory.resolve("client.db"), null)) {
            assertThat(client.server()).contains(server.uri());
            assertThat(client.state().outboxDepth()).isEqualTo(1);
        }
    }

    @Test
    void movingToAnotherServerWithNothingWaitingForgetsThePreviousServersData() {
        try (FieldbookClient client = TestDevices.signedIn(TestDevices.device(directory, server, clock), server)) {
            assertThat(client.sites()).hasSize(2);
        }

        try (FieldbookClient client = FieldbookClient.open(directory.resolve("client.db"),
                URI.create("https://elsewhere.example.com/"))) {
            assertThat(client.server()).contains(URI.create("https://elsewhere.example.com"));
            assertThat(client.sites()).isEmpty();
            assertThat(client.account()).isEmpty();
        }
    }

    @Test
    void anAddressThatIsNotAServerIsRefused() {
        assertThatThrownBy(() -> FieldbookClient.open(directory.resolve("client.db"), URI.create("ftp://files")))
                .isInstanceOf(ChangeRefused.class).hasMessageContaining("Not a server address");
    }

    @Test
    void anUnreachableServerIsSaidToBeUnreachable() {
        try (FieldbookClient client = TestDevices.device(directory, server, clock).open()) {
            server.close();
            assertThatThrownBy(() -> client.signIn(LoopbackServer.LOGIN, LoopbackServer.PASSWORD.toCharArray()))
                    .isInstanceOf(ServerUnreachable.class);
        }
    }
}
