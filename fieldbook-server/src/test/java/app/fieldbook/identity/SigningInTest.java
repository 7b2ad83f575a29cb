package app.fieldbook.identity;

import static app.fieldbook.Fixtures.expect;
import static org.assertj.core.api.Assertions.assertThat;

import app.fieldbook.Api;
import app.fieldbook.Fixtures;
import app.fieldbook.Fixtures.Person;
import app.fieldbook.FullStackTest;
import java.net.URI;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;

@FullStackTest
class SigningInTest {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    PasswordEncoder passwords;

    @Autowired
    Credentials credentials;

    Fixtures world;
    String site;

    @BeforeEach
    void world() {
        world = new Fixtures(port);
        site = world.site();
    }

    @Test
    void aWebSessionIsAnHttpOnlySameSiteCookieAndWritesNeedTheCsrfToken() throws Exception {
        Person worker = world.worker(site);
        Browser browser = new Browser();
        HttpResponse<String> signIn = browser.send("POST", "/api/v1/auth/session",
                "{\"login\":\"" + worker.login() + "\",\"password\":\"" + Fixtures.PASSWORD + "\"}", null);
        assertThat(signIn.statusCode()).isEqualTo(200);
        String cookie = signIn.headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("FIELDBOOK_SESSION=")).findFirst().orElseThrow();
        assertThat(cookie).contains("HttpOnly").contains("SameSite=Lax").contains("Path=/");

        assertThat(browser.send("GET", "/api/v1/auth/me", null, null).body()).contains(worker.login());

        String report = "{\"siteId\":\"" + site + "\",\"date\":\"2026-07-01\"}";
        assertThat(browser.send("POST", "/api/v1/reports", report, null).statusCode()).isEqualTo(403);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM daily_reports WHERE author_id = ?")
                .param(java.util.UUID.fromString(worker.id())).query(Long.class).single()).isZero();

        String csrf = browser.cookie("XSRF-TOKEN");
        assertThat(csrf).as("the CSRF cookie is set for the web app").isNotNull();
        assertThat(browser.send("POST", "/api/v1/reports", report, csrf).statusCode()).isEqualTo(201);
    }

    @Test
    void answersToASessionsRequestsSentTogetherWithoutTheTokenCookieAllSetTheSameTokenForAsLongAsTheSession()
            throws Exception {
        Person worker = world.worker(site);
        HttpResponse<String> signIn = new Browser().send("POST", "/api/v1/auth/session",
                "{\"login\":\"" + worker.login() + "\",\"password\":\"" + Fixtures.PASSWORD + "\"}", null);
        String session = signIn.headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("FIELDBOOK_SESSION=")).findFirst().orElseThrow().split(";")[0];
        // the browser opened again: the session cookie is kept, and the app's first write and the Service
        // Worker's check go out together, before either is answered
        HttpClient http = HttpClient.newHttpClient();
        List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> together = new java.util.ArrayList<>();
        for (String path : List.of("/api/v1/auth/me", "/sw.js", "/api/v1/auth/me", "/")) {
            together.add(http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .header("Cookie", session).build(), HttpResponse.BodyHandlers.ofString()));
        }
        List<String> tokenCookies = together.stream().map(java.util.concurrent.CompletableFuture::join)
                .map(answer -> answer.headers().allValues("Set-Cookie").stream()
                        .filter(c -> c.startsWith("XSRF-TOKEN=")).findFirst().orElseThrow())
                .toList();
        assertThat(tokenCookies.stream().map(c -> c.split(";")[0]).distinct()).hasSize(1);
        assertThat(tokenCookies.getFirst()).contains("Max-Age=" + Duration.ofHours(12).toSeconds());

        String token = tokenCookies.getFirst().split(";")[0].substring("XSRF-TOKEN=".length());
        HttpResponse<String> write = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/api/v1/reports"))
                .header("Cookie", session + "; XSRF-TOKEN=" + token).header("X-XSRF-TOKEN", token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"siteId\":\"" + site + "\",\"date\":\"2026-07-03\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(write.statusCode()).isEqualTo(201);
        HttpResponse<String> other = new Browser().send("POST", "/api/v1/auth/session",
                "{\"login\":\"" + worker.login() + "\",\"password\":\"" + Fixtures.PASSWORD + "\"}", null);
        String otherSession = other.headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("FIELDBOOK_SESSION=")).findFirst().orElseThrow().split(";")[0];
        HttpResponse<String> forged = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/api/v1/reports"))
                .header("Cookie", otherSession).header("X-XSRF-TOKEN", token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"siteId\":\"" + site + "\",\"date\":\"2026-07-04\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(forged.statusCode()).as("one session's token is not another's").isEqualTo(403);
    }

    @Test
    void aBearerTokenRequestNeedsNoCsrfTokenAndIsGivenNone() throws Exception {
        Person worker = world.worker(site);
        HttpClient http = HttpClient.newHttpClient();
        for (String[] request : List.of(new String[] {"GET", "/api/v1/auth/me", null},
                new String[] {"POST", "/api/v1/reports", "{\"siteId\":\"" + site + "\",\"date\":\"2026-07-02\"}"})) {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + request[1]))
                    .method(request[0], request[2] == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(request[2]))
                    .header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + worker.api().token()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(request[1]).isBetween(200, 201);
            assertThat(answer.headers().allValues("Set-Cookie")).as(request[1]).isEmpty();
        }
    }

    @Test
    void signingInAgainIssuesANewSessionAndEndsTheOldOne() throws Exception {
        Person worker = world.worker(site);
        Browser browser = new Browser();
        String credentials = "{\"login\":\"" + worker.login() + "\",\"password\":\"" + Fixtures.PASSWORD + "\"}";
        browser.send("POST", "/api/v1/auth/session", credentials, null);
        String first = browser.cookie("FIELDBOOK_SESSION");
        browser.send("POST", "/api/v1/auth/session", credentials, browser.cookie("XSRF-TOKEN"));
        String second = browser.cookie("FIELDBOOK_SESSION");
        assertThat(second).isNotEqualTo(first);
        assertThat(new Browser().withCookie("FIELDBOOK_SESSION", first).send("GET", "/api/v1/auth/me", null, null)
                .statusCode()).isEqualTo(401);
    }

    @Test
    void signingOutEndsTheSessionAtOnce() throws Exception {
        Person worker = world.worker(site);
        Browser browser = new Browser();
        browser.send("POST", "/api/v1/auth/session",
                "{\"login\":\"" + worker.login() + "\",\"password\":\"" + Fixtures.PASSWORD + "\"}", null);
        String session = browser.cookie("FIELDBOOK_SESSION");
        assertThat(browser.send("DELETE", "/api/v1/auth/session", null, browser.cookie("XSRF-TOKEN")).statusCode())
                .isEqualTo(204);
        assertThat(new Browser().withCookie("FIELDBOOK_SESSION", session).send("GET", "/api/v1/auth/me", null, null)
                .statusCode()).isEqualTo(401);
    }

    @Test
    void onASharedDeviceTheNextPersonsSessionHasATokenOfItsOwnAndThePreviousOneIsRefused() throws Exception {
        Person first = world.worker(site);
        Person next = world.worker(site);
        Browser tablet = new Browser();
        tablet.send("POST", "/api/v1/auth/session",
                "{\"login\":\"" + first.login() + "\",\"password\":\"" + Fixtures.PASSWORD + "\"}", null);
        String firstToken = tablet.cookie("XSRF-TOKEN");
        assertThat(firstToken).as("the token comes with the session").isNotNull();
        assertThat(tablet.send("DELETE", "/api/v1/auth/session", null, firstToken).statusCode()).isEqualTo(204);
        assertThat(tablet.cookie("XSRF-TOKEN")).as("signing out removes the token").isNull();

        tablet.send("POST", "/api/v1/auth/session",
                "{\"login\":\"" + next.login() + "\",\"password\":\"" + Fixtures.PASSWORD + "\"}", null);
        String nextToken = tablet.cookie("XSRF-TOKEN");

        assertThat(nextToken).isNotNull().isNotEqualTo(firstToken);
        String report = "{\"siteId\":\"" + site + "\",\"date\":\"2026-07-05\"}";
        assertThat(tablet.send("POST", "/api/v1/reports", report, firstToken).statusCode())
                .as("a write with the token the previous person knew").isEqualTo(403);
        assertThat(tablet.send("POST", "/api/v1/reports", report, nextToken).statusCode()).isEqualTo(201);
    }

    @Test
    void aWebSessionUnusedForLongerThanTheIdleTimeoutEndsAndTheRefusalIsAudited() throws Exception {
        Person worker = world.worker(site);
        String used = signInBrowser(worker);
        String idle = signInBrowser(worker);
        OffsetDateTime now = OffsetDateTime.now();
        // the default idle timeout is 2 hours
        setLastUsed(used, now.minusHours(2).plusMinutes(5));
        setLastUsed(idle, now.minusHours(2).minusMinutes(1));

        assertThat(me(used).statusCode()).isEqualTo(200);
        assertThat(lastUsed(used)).as("a request keeps the session alive").isAfter(now.minusMinutes(5));
        assertThat(me(idle).statusCode()).isEqualTo(401);
        assertThat(refusals(worker)).containsExactly("SESSION idle");
    }

    @Test
    void aWebSessionEndsTwelveHoursAfterSignInEvenWhileItIsUsed() throws Exception {
        Person worker = world.worker(site);
        String session = signInBrowser(worker);
        assertThat(jdbc.sql("SELECT created_at, expires_at FROM credentials WHERE secret_hash = ?")
                .param(Secrets.hash(session))
                .query((rs, n) -> Duration.between(rs.getObject(1, OffsetDateTime.class), rs.getObject(2, OffsetDateTime.class)))
                .single()).isEqualTo(Duration.ofHours(12));

        // twelve hours later, used a minute ago
        jdbc.sql("UPDATE credentials SET expires_at = ?, last_used_at = ? WHERE secret_hash = ?")
                .params(OffsetDateTime.now().minusSeconds(1), OffsetDateTime.now().minusMinutes(1), Secrets.hash(session))
                .update();
        assertThat(me(session).statusCode()).isEqualTo(401);
        assertThat(refusals(worker)).containsExactly("SESSION expired");
    }

    @Test
    void everyRefusedCredentialIsAuditedWithItsReasonButNeverItsSecret() throws Exception {
        Person worker = world.worker(site);
        Api revoked = world.anonymous().signIn(worker.login(), Fixtures.PASSWORD);
        expect(revoked.delete("/api/v1/auth/tokens/current"), 204);
        assertThat(revoked.get("/api/v1/reports").status()).isEqualTo(401);
        String unknown = "not-a-token-" + java.util.UUID.randomUUID();
        long before = refusalsOfNobody();
        assertThat(world.anonymous().withToken(unknown).get("/api/v1/auth/me").status()).isEqualTo(401);
        String session = signInBrowser(worker);
        expect(world.admin().put("/api/v1/users/" + worker.id(), Map.of("version",
                expect(world.admin().get("/api/v1/users/" + worker.id()), 200).version(), "name", "Gone",
                "email", worker.login() + "@test.fieldbook.app", "role", "WORKER", "active", false)), 200);
        assertThat(me(session).statusCode()).isEqualTo(401);

        assertThat(refusals(worker)).containsExactly(
                "TOKEN revoked",
                "SESSION revoked");
        assertThat(refusalsOfNobody()).isEqualTo(before + 1);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_events WHERE changes LIKE ? OR changes LIKE ? OR changes LIKE ?")
                .params("%" + revoked.token() + "%", "%" + unknown + "%", "%" + session + "%").query(Long.class).single())
                .as("secrets in the audit trail").isZero();
    }

    @Test
    void aPageFileAskedForWithAnEndedSessionsCookieIsServedAndAuditsNothing() throws Exception {
        Person worker = world.worker(site);
        String session = signInBrowser(worker);
        jdbc.sql("UPDATE credentials SET revoked_at = ? WHERE secret_hash = ?")
                .params(OffsetDateTime.now(), Secrets.hash(session)).update();
        HttpResponse<String> file = new Browser().withCookie("FIELDBOOK_SESSION", session)
                .send("GET", "/app/main.js", null, null);
        assertThat(file.statusCode()).isEqualTo(200);
        assertThat(refusals(worker)).isEmpty();
    }

    private String signInBrowser(Person worker) throws Exception {
        Browser browser = new Browser();
        assertThat(browser.send("POST", "/api/v1/auth/session",
                "{\"login\":\"" + worker.login() + "\",\"password\":\"" + Fixtures.PASSWORD + "\"}", null)
                .statusCode()).isEqualTo(200);
        return browser.cookie("FIELDBOOK_SESSION");
    }

    private HttpResponse<String> me(String session) throws Exception {
        return new Browser().withCookie("FIELDBOOK_SESSION", session).send("GET", "/api/v1/auth/me", null, null);
    }

    private void setLastUsed(String session, OffsetDateTime when) {
        jdbc.sql("UPDATE credentials SET last_used_at = ? WHERE secret_hash = ?").params(when, Secrets.hash(session))
                .update();
    }

    private OffsetDateTime lastUsed(String session) {
        return jdbc.sql("SELECT last_used_at FROM credentials WHERE secret_hash = ?").param(Secrets.hash(session))
                .query(OffsetDateTime.class).single();
    }

    /** The audit trail's refused credentials of this person, oldest first: what each recorded. */
    private List<String> refusals(Person worker) {
        return jdbc.sql("""
                SELECT changes FROM audit_events
                 WHERE action = 'CREDENTIAL_REFUSED' AND entity_id = ? ORDER BY occurred_at, id""")
                .param(worker.id()).query(String.class).list().stream()
                .map(changes -> after(changes, "credential") + " " + after(changes, "reason"))
                .toList();
    }

    private static String after(String changes, String field) {
        java.util.regex.Matcher value = java.util.regex.Pattern
                .compile("\"" + field + "\":\\{[^}]*\"after\":\"([^\"]*)\"").matcher(changes);
        return value.find() ? value.group(1) : "(none in " + changes + ")";
    }

    private long refusalsOfNobody() {
        return jdbc.sql("""
                SELECT COUNT(*) FROM audit_events
                 WHERE action = 'CREDENTIAL_REFUSED' AND entity_id IS NULL AND changes LIKE '%unknown%'""")
                .query(Long.class).single();
    }

    @Test
    void revokingATokenEndsItAtOnce() {
        Person worker = world.worker(site);
        expect(worker.api().get("/api/v1/auth/me"), 200);
        expect(worker.api().delete("/api/v1/auth/tokens/current"), 204);
        assertThat(worker.api().get("/api/v1/auth/me").status()).isEqualTo(401);
    }

    @Test
    void credentialsThatEndedAWeekAgoAreDeletedAndLiveOnesStay() {
        Person worker = world.worker(site);
        Api live = world.anonymous().signIn(worker.login(), Fixtures.PASSWORD);
        Api revoked = world.anonymous().signIn(worker.login(), Fixtures.PASSWORD);
        Api expired = world.anonymous().signIn(worker.login(), Fixtures.PASSWORD);
        Api endedYesterday = world.anonymous().signIn(worker.login(), Fixtures.PASSWORD);
        expect(revoked.delete("/api/v1/auth/tokens/current"), 204);
        java.time.OffsetDateTime now = java.time.OffsetDateTime.now();
        jdbc.sql("UPDATE credentials SET revoked_at = ? WHERE secret_hash = ?")
                .params(now.minusDays(8), Secrets.hash(revoked.token())).update();
        jdbc.sql("UPDATE credentials SET expires_at = ? WHERE secret_hash = ?")
                .params(now.minusDays(8), Secrets.hash(expired.token())).update();
        jdbc.sql("UPDATE credentials SET expires_at = ? WHERE secret_hash = ?")
                .params(now.minusDays(1), Secrets.hash(endedYesterday.token())).update();

        assertThat(credentials.forgetEnded()).isGreaterThanOrEqualTo(2);

        assertThat(jdbc.sql("SELECT secret_hash FROM credentials WHERE user_id = ?")
                .param(java.util.UUID.fromString(worker.id())).query(String.class).list())
                .containsExactlyInAnyOrder(Secrets.hash(worker.api().token()), Secrets.hash(live.token()),
                        Secrets.hash(endedYesterday.token()));
        expect(live.get("/api/v1/auth/me"), 200);
        expect(worker.api().get("/api/v1/auth/me"), 200);
    }

    @Test
    void tokensAreStoredOnlyAsHashes() {
        Person worker = world.worker(site);
        String token = worker.api().toString();
        List<String> stored = jdbc.sql("SELECT secret_hash FROM credentials WHERE user_id = ?")
                .param(java.util.UUID.fromString(worker.id())).query(String.class).list();
        assertThat(stored).isNotEmpty().allSatisfy(hash -> assertThat(hash).hasSize(64).isNotEqualTo(token));
        String passwordHash = jdbc.sql("SELECT password_hash FROM users WHERE id = ?")
                .param(java.util.UUID.fromString(worker.id())).query(String.class).single();
        assertThat(passwordHash).startsWith("{argon2@SpringSecurity_v5_8}");
        assertThat(passwords.matches(Fixtures.PASSWORD, passwordHash)).isTrue();
    }

    @Test
    void disablingAUserEndsTheirSessionsAndTokensAtOnce() {
        Person worker = world.worker(site);
        Api second = world.anonymous().signIn(worker.login(), Fixtures.PASSWORD);
        long version = expect(world.admin().get("/api/v1/users/" + worker.id()), 200).version();
        expect(world.admin().put("/api/v1/users/" + worker.id(), Map.of("version", version, "name", "Gone",
                "email", worker.login() + "@test.fieldbook.app", "role", "WORKER", "active", false)), 200);
        assertThat(worker.api().get("/api/v1/auth/me").status()).isEqualTo(401);
        assertThat(second.get("/api/v1/reports").status()).isEqualTo(401);
        assertThat(world.anonymous().post("/api/v1/auth/tokens", Map.of("login", worker.login(),
                "password", Fixtures.PASSWORD)).status()).isEqualTo(401);
    }

    @Test
    void aNewPasswordEndsEveryOldSession() {
        Person worker = world.worker(site);
        expect(world.admin().put("/api/v1/users/" + worker.id() + "/password",
                Map.of("password", "a brand new password")), 200);
        assertThat(worker.api().get("/api/v1/auth/me").status()).isEqualTo(401);
        world.anonymous().signIn(worker.login(), "a brand new password");
    }

    @Test
    void repeatedFailedSignInsAreThrottledEvenWithTheRightPassword() {
        Person worker = world.worker(site);
        for (int attempt = 0; attempt < 5; attempt++) {
            assertThat(world.anonymous().post("/api/v1/auth/tokens", Map.of("login", worker.login(),
                    "password", "guess number " + attempt)).status()).isEqualTo(401);
        }
        Api.Answer throttled = world.anonymous().post("/api/v1/auth/tokens", Map.of("login", worker.login(),
                "password", Fixtures.PASSWORD));
        assertThat(throttled.status()).isEqualTo(429);
        assertThat(throttled.isProblem()).isTrue();
        assertThat(throttled.raw().headers().firstValue("Retry-After")).isPresent();
    }

    @Test
    void anUnknownLoginIsAnsweredLikeAWrongPassword() {
        Person worker = world.worker(site);
        Api.Answer unknown = world.anonymous().post("/api/v1/auth/tokens", Map.of("login", "nobody-" + worker.login(),
                "password", "whatever it is"));
        Api.Answer wrong = world.anonymous().post("/api/v1/auth/tokens", Map.of("login", worker.login(),
                "password", "whatever it is"));
        assertThat(unknown.status()).isEqualTo(wrong.status()).isEqualTo(401);
        assertThat(unknown.body()).isEqualTo(wrong.body());
    }

    @Test
    void anAdministratorCannotDisableThemself() {
        Person admin = world.administrator();
        long version = expect(admin.api().get("/api/v1/users/" + admin.id()), 200).version();
        Api.Answer answer = admin.api().put("/api/v1/users/" + admin.id(), Map.of("version", version, "name", "Me",
                "email", admin.login() + "@test.fieldbook.app", "role", "ADMINISTRATOR", "active", false));
        assertThat(answer.status()).isEqualTo(409);
        expect(admin.api().get("/api/v1/auth/me"), 200);
    }

    /** A cookie-keeping HTTP client, like a browser. */
    private final class Browser {

        private final java.net.CookieManager cookies = new java.net.CookieManager();
        private final HttpClient http = HttpClient.newBuilder().cookieHandler(cookies).build();

        Browser withCookie(String name, String value) {
            var cookie = new java.net.HttpCookie(name, value);
            cookie.setPath("/");
            cookie.setVersion(0);
            cookies.getCookieStore().add(URI.create("http://127.0.0.1:" + port + "/"), cookie);
            return this;
        }

        String cookie(String name) {
            return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals(name))
                    .map(java.net.HttpCookie::getValue).reduce((a, b) -> b).orElse(null);
        }

        HttpResponse<String> send(String method, String path, String json, String csrf) throws Exception {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(json));
            if (json != null) {
                request.header("Content-Type", "application/json");
            }
            if (csrf != null) {
                request.header("X-XSRF-TOKEN", csrf);
            }
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
    }
}
