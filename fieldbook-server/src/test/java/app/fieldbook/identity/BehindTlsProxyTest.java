package app.fieldbook.identity;

import static org.assertj.core.api.Assertions.assertThat;

import app.fieldbook.Api;
import app.fieldbook.Fixtures;
import app.fieldbook.Fixtures.Person;
import app.fieldbook.TestDatabase;
import java.net.http.HttpHeaders;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.ContextConfiguration;

/**
 * The server as production runs it, behind a proxy that ends TLS and says so in {@code X-Forwarded-Proto}
 * and forwards the client's address in {@code X-Forwarded-For} (the {@code prod} profile's
 * {@code server.forward-headers-strategy=native}, trusted from loopback): HSTS for a year with subdomains on
 * every answer that came over TLS and on none that did not, a host-only Secure session cookie, answers of the
 * API never stored by a cache, and a sign-in throttle that counts failures by where they came from.
 */
@Tag("database")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "server.forward-headers-strategy=native")
@ContextConfiguration(initializers = TestDatabase.class)
@ActiveProfiles("test")
class BehindTlsProxyTest {

    private static final Map<String, String> OVER_TLS = Map.of("X-Forwarded-Proto", "https");

    @LocalServerPort
    int port;

    @Test
    void answersThatCameOverTlsCarryHstsForAYearWithSubdomainsAndOthersDoNot() {
        Api anonymous = Api.anonymous(port);
        for (String path : List.of("/", "/api/v1/reports", "/actuator/health")) {
            HttpHeaders tls = anonymous.send("GET", path, null, OVER_TLS).raw().headers();
            assertThat(tls.firstValue("Strict-Transport-Security")).as(path)
                    .hasValueSatisfying(value -> assertThat(value.replace(" ", ""))
                            .isEqualTo("max-age=31536000;includeSubDomains"));
            HttpHeaders plain = anonymous.get(path).raw().headers();
            assertThat(plain.firstValue("Strict-Transport-Security")).as(path).isEmpty();
        }
    }

    @Test
    void answersOfTheApiAreNeverStoredByACache() {
        Api admin = Api.anonymous(port).signIn("test-admin", "granite-kettle-orbit");
        for (Api.Answer answer : List.of(admin.get("/api/v1/auth/me"), admin.get("/api/v1/sites"),
                admin.send("GET", "/api/v1/reports", null, OVER_TLS), Api.anonymous(port).get("/api/v1/reports"))) {
            assertThat(answer.raw().headers().allValues("Cache-Control")).as(answer.raw().uri().toString())
                    .anySatisfy(value -> assertThat(value).contains("no-store"));
        }
    }

    @Test
    void theSessionCookieOfASignInOverTlsIsSecureAndHostOnly() {
        Api.Answer opened = Api.anonymous(port).send("POST", "/api/v1/auth/session",
                Map.of("login", "test-admin", "password", "granite-kettle-orbit"), OVER_TLS);
        assertThat(opened.status()).as(opened.toString()).isEqualTo(200);
        String cookie = opened.raw().headers().allValues("Set-Cookie").stream()
                .filter(value -> value.contains("SESSION")).findFirst().orElseThrow();
        assertThat(cookie).startsWith("__Host-").contains("Secure").contains("HttpOnly").contains("Path=/")
                .doesNotContainIgnoringCase("Domain=");
    }

    @Test
    void someoneWhoKnowsALoginCannotKeepItsPersonOutByFailingFromElsewhere() {
        Fixtures world = new Fixtures(port);
        Person worker = world.worker(world.site());
        Map<String, String> attacker = Map.of("X-Forwarded-For", "203.0.113.7");
        for (int attempt = 0; attempt < 5; attempt++) {
            assertThat(world.anonymous().send("POST", "/api/v1/auth/tokens", Map.of("login", worker.login(),
                    "password", "guess number " + attempt), attacker).status()).isEqualTo(401);
        }
        assertThat(world.anonymous().send("POST", "/api/v1/auth/tokens", Map.of("login", worker.login(),
                "password", Fixtures.PASSWORD), attacker).status()).as("the attacker's address").isEqualTo(429);
        Api.Answer person = world.anonymous().send("POST", "/api/v1/auth/tokens", Map.of("login", worker.login(),
                "password", Fixtures.PASSWORD), Map.of("X-Forwarded-For", "198.51.100.20"));
        assertThat(person.status()).as("the person's own address: " + person).isEqualTo(201);
    }
}
