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

    @Test
    void overTlsOnlyTheHostOnlyCookieCountsAndSigningOutEndsBoth() {
        Map<String, String> login = Map.of("login", "test-admin", "password", "granite-kettle-orbit");
        String plain = cookieValue(Api.anonymous(port).post("/api/v1/auth/session", login), "FIELDBOOK_SESSION=");
        assertThat(Api.anonymous(port).send("GET", "/api/v1/auth/me", null, Map.of("Cookie", "FIELDBOOK_SESSION="
                + plain)).status()).as("the plain cookie over plain HTTP").isEqualTo(200);
        Api.Answer planted = Api.anonymous(port).send("GET", "/api/v1/auth/me", null,
                Map.of("Cookie", "FIELDBOOK_SESSION=" + plain, "X-Forwarded-Proto", "https"));
        assertThat(planted.status()).as("a plain cookie over TLS, which a sibling subdomain could have set")
                .isEqualTo(401);

        Api.Answer opened = Api.anonymous(port).send("POST", "/api/v1/auth/session", login, OVER_TLS);
        String secure = cookieValue(opened, "__Host-FIELDBOOK_SESSION=");
        Api.Answer signedOut = Api.anonymous(port).send("DELETE", "/api/v1/auth/session", null, Map.of("Cookie",
                "__Host-FIELDBOOK_SESSION=" + secure + "; XSRF-TOKEN=csrf-token-of-this-test", "X-Forwarded-Proto",
                "https", "X-XSRF-TOKEN", "csrf-token-of-this-test"));
        assertThat(signedOut.status()).as(signedOut.toString()).isEqualTo(204);
        List<String> cleared = signedOut.raw().headers().allValues("Set-Cookie");
        assertThat(cleared).anySatisfy(c -> assertThat(c).startsWith("__Host-FIELDBOOK_SESSION=;").contains("Max-Age=0"));
        assertThat(cleared).anySatisfy(c -> assertThat(c).startsWith("FIELDBOOK_SESSION=;").contains("Max-Age=0"));
    }

    private static String cookieValue(Api.Answer answer, String prefix) {
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        String cookie = answer.raw().headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(prefix))
                .findFirst().orElseThrow();
        return cookie.substring(prefix.length(), cookie.indexOf(';'));
    }

    @Test
    void anIpv6AddressCountsAsItsNetworkSoOneHostCannotGuessFromCountlessAddresses() {
        assertThat(LoginThrottle.counted("2001:db8:1:2:aaaa:bbbb:cccc:dddd")).isEqualTo("2001:db8:1:2::/64");
        assertThat(LoginThrottle.counted("2001:db8:1:2::1")).isEqualTo(LoginThrottle.counted("2001:db8:1:2:ffff::9"));
        assertThat(LoginThrottle.counted("2001:db8:1:3::1")).isNotEqualTo(LoginThrottle.counted("2001:db8:1:2::1"));
        assertThat(LoginThrottle.counted("203.0.113.7")).isEqualTo("203.0.113.7");

        Fixtures world = new Fixtures(port);
        Person worker = world.worker(world.site());
        for (int attempt = 0; attempt < 5; attempt++) {
            world.anonymous().send("POST", "/api/v1/auth/tokens", Map.of("login", worker.login(), "password",
                    "guess number " + attempt), Map.of("X-Forwarded-For", "2001:db8:77:1::" + (attempt + 1)));
        }
        assertThat(world.anonymous().send("POST", "/api/v1/auth/tokens", Map.of("login", worker.login(),
                "password", Fixtures.PASSWORD), Map.of("X-Forwarded-For", "2001:db8:77:1::99")).status())
                .as("another address of the same network").isEqualTo(429);
    }
}
