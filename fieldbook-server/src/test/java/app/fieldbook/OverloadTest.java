package app.fieldbook;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.context.TestPropertySource;

/**
 * A server whose database connections are all taken answers 503 with Retry-After within the pool's short
 * wait, never 500: on a request whose credential lookup cannot get a connection, and on one whose handler
 * cannot. A sign-in checks its password (slow by design) on a thread of its own, holding no connection.
 * Its own application context, with a pool of three connections (Flyway needs them all at start-up on
 * PostgreSQL: its lock, the migration, the after-migrate script).
 */
@FullStackTest
@Import(OverloadTest.HeldPasswordCheck.class)
@TestPropertySource(properties = {"spring.datasource.hikari.maximum-pool-size=3",
        "spring.datasource.hikari.connection-timeout=250"})
class OverloadTest {

    @LocalServerPort
    int port;

    @Autowired
    DataSource dataSource;

    @Test
    void requestsThatCannotGetADatabaseConnectionAreAnsweredBusyWithRetryAfter() throws Exception {
        Api admin = Api.anonymous(port).signIn("test-admin", "granite-kettle-orbit");
        try (Connection taken = dataSource.getConnection(); Connection alsoTaken = dataSource.getConnection();
                Connection lastOne = dataSource.getConnection()) {
            Api.Answer authenticated = admin.get("/api/v1/auth/me");
            assertBusy(authenticated);

            Api.Answer signIn = Api.anonymous(port).post("/api/v1/auth/tokens",
                    Map.of("login", "test-admin", "password", "granite-kettle-orbit"));
            assertBusy(signIn);
        }
        assertThat(admin.get("/api/v1/auth/me").status()).isEqualTo(200);
    }

    @Test
    void aSignInHoldsNoDatabaseConnectionAndNoCarrierThreadWhileItsPasswordIsChecked() throws Exception {
        HeldPasswordCheck.arm();
        CompletableFuture<Api.Answer> signIn = CompletableFuture.supplyAsync(() -> Api.anonymous(port)
                .post("/api/v1/auth/tokens", Map.of("login", "test-admin", "password", HeldPasswordCheck.PASSWORD)));
        try {
            assertThat(HeldPasswordCheck.started.await(20, TimeUnit.SECONDS)).as("the password check began").isTrue();
            assertThat(HeldPasswordCheck.onVirtualThread).as("checked on a virtual thread's carrier").isFalse();
            try (Connection one = dataSource.getConnection(); Connection two = dataSource.getConnection();
                    Connection three = dataSource.getConnection()) {
                assertThat(one.isValid(1) && two.isValid(1) && three.isValid(1)).as("every connection is free meanwhile")
                        .isTrue();
            }
        } finally {
            HeldPasswordCheck.release();
        }
        assertThat(signIn.get(20, TimeUnit.SECONDS).status()).isEqualTo(401);
        assertThat(Api.anonymous(port).signIn("test-admin", "granite-kettle-orbit").token()).isNotBlank();
    }

    /** The application's password encoder, except that checking {@link #PASSWORD} waits until released. */
    @TestConfiguration
    static class HeldPasswordCheck {

        static final String PASSWORD = "held while the test looks";
        static volatile CountDownLatch started = new CountDownLatch(1);
        static volatile CountDownLatch released = new CountDownLatch(1);
        static volatile boolean onVirtualThread;

        static void arm() {
            started = new CountDownLatch(1);
            released = new CountDownLatch(1);
        }

        static void release() {
            released.countDown();
        }

        @Bean
        @Primary
        PasswordEncoder heldPasswordEncoder(List<PasswordEncoder> encoders) {
            PasswordEncoder application = encoders.stream().filter(encoder -> !(encoder instanceof Held)).findFirst()
                    .orElseThrow();
            return new Held(application);
        }

        private record Held(PasswordEncoder application) implements PasswordEncoder {

            @Override
            public String encode(CharSequence password) {
                return application.encode(password);
            }

            @Override
            public boolean matches(CharSequence password, String hash) {
                if (PASSWORD.contentEquals(password)) {
                    onVirtualThread = Thread.currentThread().isVirtual();
                    started.countDown();
                    try {
                        released.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return false;
                }
                return application.matches(password, hash);
            }
        }
    }

    private static void assertBusy(Api.Answer answer) {
        assertThat(answer.status()).as(answer.toString()).isEqualTo(503);
        assertThat(answer.isProblem()).isTrue();
        assertThat(answer.problemType()).endsWith("/server-busy");
        assertThat(answer.raw().headers().firstValue("Retry-After")).isPresent();
    }
}
