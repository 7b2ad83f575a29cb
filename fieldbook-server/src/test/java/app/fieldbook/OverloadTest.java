package app.fieldbook;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

/**
 * A server whose database connections are all taken answers 503 with Retry-After within the pool's short
 * wait, never 500: on a request whose credential lookup cannot get a connection, and on one whose handler
 * cannot. Its own application context, with a pool of two connections (Flyway needs both at start-up).
 */
@FullStackTest
@TestPropertySource(properties = {"spring.datasource.hikari.maximum-pool-size=2",
        "spring.datasource.hikari.connection-timeout=250"})
class OverloadTest {

    @LocalServerPort
    int port;

    @Autowired
    DataSource dataSource;

    @Test
    void requestsThatCannotGetADatabaseConnectionAreAnsweredBusyWithRetryAfter() throws Exception {
        Api admin = Api.anonymous(port).signIn("test-admin", "test-admin-password");
        try (Connection taken = dataSource.getConnection(); Connection alsoTaken = dataSource.getConnection()) {
            Api.Answer authenticated = admin.get("/api/v1/auth/me");
            assertBusy(authenticated);

            Api.Answer signIn = Api.anonymous(port).post("/api/v1/auth/tokens",
                    Map.of("login", "test-admin", "password", "test-admin-password"));
            assertBusy(signIn);
        }
        assertThat(admin.get("/api/v1/auth/me").status()).isEqualTo(200);
    }

    private static void assertBusy(Api.Answer answer) {
        assertThat(answer.status()).as(answer.toString()).isEqualTo(503);
        assertThat(answer.isProblem()).isTrue();
        assertThat(answer.problemType()).endsWith("/server-busy");
        assertThat(answer.raw().headers().firstValue("Retry-After")).isPresent();
    }
}
