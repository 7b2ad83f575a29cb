package app.fieldbook.identity;

import static app.fieldbook.Fixtures.expect;
import static org.assertj.core.api.Assertions.assertThat;

import app.fieldbook.Api;
import app.fieldbook.AuthenticatorApp;
import app.fieldbook.DatabaseState;
import app.fieldbook.Fixtures;
import app.fieldbook.Fixtures.Person;
import app.fieldbook.FullStackTest;
import app.fieldbook.SoftwareAuthenticator;
import app.fieldbook.WebSession;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;

/**
 * A person's own account over HTTP: changing the password with the current one, the change an administrator's
 * choice of password demands before anything else, the list of one's sessions and tokens and ending them, and an
 * administrator's reset of a lost second factor (ASVS 6.2.2, 6.2.3, 6.4.1, 6.4.4, 7.4.3, 7.5.2).
 */
@FullStackTest
class AccountSelfServiceTest {

    private static final String CHANGE_REQUIRED = "https://fieldbook.app/problems/password-change-required";
    private static final String NEW_PASSWORD = "violet ferry lantern 42";

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    Fixtures world;
    String site;

    @BeforeEach
    void world() {
        world = new Fixtures(port);
        site = world.site();
    }

    @Test
    void aPersonChangesTheirPasswordGivingTheCurrentOneAndEveryOtherSessionEnds() {
        Person worker = world.worker(site);
        Api laptop = world.anonymous().signIn(worker.login(), Fixtures.PASSWORD);
        WebSession browser = signedIn(worker.login(), Fixtures.PASSWORD);
        String hash = passwordHash(worker);

        Api.Answer changed = worker.api().put("/api/v1/auth/password", Map.of("currentPassword", Fixtures.PASSWORD,
                "newPassword", NEW_PASSWORD));
        assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
        assertThat(changed.body().path("sessionsEnded").asInt()).isEqualTo(2);

        assertThat(worker.api().get("/api/v1/auth/me").status()).as("the session it came with stays").isEqualTo(200);
        assertThat(laptop.get("/api/v1/auth/me").status()).isEqualTo(401);
        assertThat(browser.send("GET", "/api/v1/auth/me", null).status()).isEqualTo(401);
        assertThat(passwordHash(worker)).isNotEqualTo(hash).startsWith("{argon2");
        assertThat(world.anonymous().post("/api/v1/auth/tokens", Map.of("login", worker.login(),
                "password", Fixtures.PASSWORD)).status()).isEqualTo(401);
        world.anonymous().signIn(worker.login(), NEW_PASSWORD);
        assertThat(jdbc.sql("""
                SELECT changes FROM audit_events WHERE action = 'USER_PASSWORD_CHANGED' AND entity_id = ?
                 ORDER BY id DESC""").param(worker.id()).query(String.class).list().getFirst())
                .contains("\"sessionsEnded\"", "\"changeRequired\"").doesNotContain(NEW_PASSWORD, Fixtures.PASSWORD);
        assertThat(jdbc.sql("""
                SELECT actor_login FROM audit_events WHERE action = 'USER_PASSWORD_CHANGED' AND entity_id = ?
                 ORDER BY id DESC""").param(worker.id()).query(String.class).list().getFirst())
                .isEqualTo(worker.login());
    }

    @Test
    void aWrongCurrentPasswordIsRefusedCountsAsAFailedSignInAndChangesNothingElse() {
        Person worker = world.worker(site);
        Api laptop = world.anonymous().signIn(worker.login(), Fixtures.PASSWORD);
        String hash = passwordHash(worker);
        for (int attempt = 0; attempt < 5; attempt++) {
            Api.Answer wrong = worker.api().put("/api/v1/auth/password", Map.of("currentPassword",
                    "guess number " + attempt, "newPassword", NEW_PASSWORD));
            assertThat(wrong.status()).as(wrong.toString()).isEqualTo(403);
            assertThat(wrong.problemType()).endsWith("/wrong-password");
        }
        assertThat(passwordHash(worker)).isEqualTo(hash);
        assertThat(laptop.get("/api/v1/auth/me").status()).as("no session ended").isEqualTo(200);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM login_failures WHERE login = ?").param(worker.login())
                .query(Long.class).single()).isEqualTo(5);
        assertThat(jdbc.sql("""
                SELECT COUNT(*) FROM audit_events WHERE action = 'SIGN_IN_FAILED' AND actor_login = ?
                   AND changes LIKE '%wrong password to change the password%'""").param(worker.login())
                .query(Long.class).single()).isEqualTo(5);

        Api.Answer throttled = worker.api().put("/api/v1/auth/password", Map.of("currentPassword", Fixtures.PASSWORD,
                "newPassword", NEW_PASSWORD));
        assertThat(throttled.status()).as("even with the right password").isEqualTo(429);
        assertThat(throttled.raw().headers().firstValue("Retry-After")).isPresent();
        assertThat(passwordHash(worker)).isEqualTo(hash);
    }

    @Test
    void aNewPasswordThePolicyRefusesOrTheCurrentOneAgainIsAFieldErrorAndWritesNothing() {
        Person worker = world.worker(site);
        DatabaseState database = new DatabaseState(jdbc);
        String before = database.checksum();
        for (String refused : List.of("Password1234", worker.login() + " and more", Fixtures.PASSWORD, "too short")) {
            Api.Answer answer = worker.api().put("/api/v1/auth/password", Map.of("currentPassword", Fixtures.PASSWORD,
                    "newPassword", refused));
            assertThat(answer.status()).as(refused + ": " + answer).isEqualTo(400);
            assertThat(answer.isProblem()).isTrue();
            assertThat(answer.body().path("errors").get(0).path("field").asString()).isEqualTo("newPassword");
            assertThat(answer.toString()).doesNotContain(refused);
        }
        assertThat(worker.api().put("/api/v1/auth/password", Map.of("newPassword", NEW_PASSWORD)).status())
                .isEqualTo(400);
        assertThat(database.checksum()).isEqualTo(before);
    }

    @Test
    void aPasswordAnAdministratorChoseMustBeChangedBeforeAnythingElse() {
        Person newcomer = world.newcomer("WORKER");
        expect(world.admin().put("/api/v1/users/" + newcomer.id() + "/sites", Map.of("siteIds", List.of(site))), 200);
        assertThat(world.admin().get("/api/v1/users/" + newcomer.id()).body().path("passwordChangeRequired")
                .asBoolean()).isTrue();
        Api.Answer issued = expect(world.anonymous().post("/api/v1/auth/tokens", Map.of("login", newcomer.login(),
                "password", Fixtures.FIRST_PASSWORD)), 201);
        assertThat(issued.body().path("passwordChangeRequired").asBoolean()).isTrue();
        Api api = world.anonymous().withToken(issued.body().path("token").asString());

        Api.Answer sites = api.get("/api/v1/sites");
        assertThat(sites.status()).isEqualTo(403);
        assertThat(sites.problemType()).isEqualTo(CHANGE_REQUIRED);
        assertThat(api.post("/api/v1/reports", Fixtures.report(site, java.time.LocalDate.of(2026, 4, 1))).problemType())
                .isEqualTo(CHANGE_REQUIRED);
        assertThat(api.get("/api/v1/auth/me").status()).isEqualTo(200);
        assertThat(jdbc.sql("""
                SELECT COUNT(*) FROM audit_events WHERE action = 'ACCESS_DENIED' AND actor_login = ?
                   AND changes LIKE '%password chosen by an administrator%'""").param(newcomer.login())
                .query(Long.class).single()).isEqualTo(2);

        expect(api.put("/api/v1/auth/password", Map.of("currentPassword", Fixtures.FIRST_PASSWORD,
                "newPassword", Fixtures.PASSWORD)), 200);
        assertThat(api.get("/api/v1/sites").status()).as("the same token, changed").isEqualTo(200);
        assertThat(world.admin().get("/api/v1/users/" + newcomer.id()).body().path("passwordChangeRequired")
                .asBoolean()).isFalse();
        assertThat(expect(world.anonymous().post("/api/v1/auth/tokens", Map.of("login", newcomer.login(),
                "password", Fixtures.PASSWORD)), 201).body().path("passwordChangeRequired").asBoolean()).isFalse();
    }

    @Test
    void aPasswordAnAdministratorSetsEndsEverySessionAndMustBeChangedButNotTheirOwn() {
        Person worker = world.worker(site);
        expect(world.admin().put("/api/v1/users/" + worker.id() + "/password", Map.of("password", NEW_PASSWORD)), 200);
        assertThat(worker.api().get("/api/v1/auth/me").status()).isEqualTo(401);
        WebSession browser = new WebSession(world.anonymous().base());
        Api.Answer opened = expect(browser.send("POST", "/api/v1/auth/session", Map.of("login", worker.login(),
                "password", NEW_PASSWORD)), 200);
        assertThat(opened.body().path("passwordChangeRequired").asBoolean()).isTrue();
        assertThat(browser.send("GET", "/api/v1/reports", null).problemType()).isEqualTo(CHANGE_REQUIRED);
        assertThat(jdbc.sql("""
                SELECT changes FROM audit_events WHERE action = 'USER_PASSWORD_CHANGED' AND entity_id = ?
                 ORDER BY id DESC""").param(worker.id()).query(String.class).list().getFirst())
                .contains("\"changeRequired\"", "true");

        Person admin = world.administrator();
        DatabaseState database = new DatabaseState(jdbc);
        String before = database.checksum();
        Api.Answer own = admin.api().put("/api/v1/users/" + admin.id() + "/password", Map.of("password", NEW_PASSWORD));
        assertThat(own.status()).isEqualTo(409);
        assertThat(own.problemType()).endsWith("/own-account");
        assertThat(database.checksum()).isEqualTo(before);
    }

    @Test
    void theFirstAdministratorFromTheSettingsIsNotAskedToChangeTheirPassword() {
        assertThat(expect(world.anonymous().post("/api/v1/auth/tokens", Map.of("login", "test-admin",
                "password", "granite-kettle-orbit")), 201).body().path("passwordChangeRequired").asBoolean())
                .isFalse();
        assertThat(jdbc.sql("SELECT password_change_required FROM users WHERE login = 'test-admin'")
                .query(Boolean.class).single()).isFalse();
    }

    @Test
    void everyEndpointButChangingThePasswordAndSigningInAndOutRefusesAPersonWhoMustChangeIt() {
        Person newcomer = world.newcomer("EXECUTIVE");
        WebSession browser = signedIn(newcomer.login(), Fixtures.FIRST_PASSWORD);
        List<String[]> endpoints = new ArrayList<>();
        mappings.getHandlerMethods().forEach((info, handler) -> {
            if (handler.getBeanType().getPackageName().startsWith("app.fieldbook")) {
                for (var method : info.getMethodsCondition().getMethods()) {
                    for (String path : info.getPathPatternsCondition().getPatternValues()) {
                        endpoints.add(new String[] {method.name(), path});
                    }
                }
            }
        });
        endpoints.sort(Comparator.comparing((String[] e) -> open(e[0], e[1])).thenComparing(e -> e[1]));
        assertThat(endpoints).hasSizeGreaterThan(40);
        long denied = deniedOf(newcomer);
        String before = new DatabaseState(jdbc).checksum();
        SoftAssertions softly = new SoftAssertions();
        int gated = 0;
        for (String[] endpoint : endpoints) {
            if (open(endpoint[0], endpoint[1])) {
                continue;
            }
            gated++;
            String path = endpoint[1].replaceAll("\\{[^}]+}", UUID.randomUUID().toString());
            Api.Answer answer = browser.send(endpoint[0], path, endpoint[0].equals("GET") ? null : Map.of());
            softly.assertThat(answer.status()).as("%s %s: %s", endpoint[0], endpoint[1], answer).isEqualTo(403);
            softly.assertThat(answer.problemType()).as("%s %s", endpoint[0], endpoint[1]).isEqualTo(CHANGE_REQUIRED);
        }
        softly.assertAll();
        assertThat(gated).isGreaterThan(35);
        assertThat(new DatabaseState(jdbc).checksum()).as("the refused requests wrote nothing").isEqualTo(before);
        assertThat(deniedOf(newcomer)).isEqualTo(denied + gated);
        assertThat(browser.send("GET", "/api/v1/auth/me", null).status()).isEqualTo(200);
        expect(browser.send("PUT", "/api/v1/auth/password", Map.of("currentPassword", Fixtures.FIRST_PASSWORD,
                "newPassword", Fixtures.PASSWORD)), 200);
        assertThat(browser.send("GET", "/api/v1/sites", null).status()).isEqualTo(200);
        expect(browser.send("DELETE", "/api/v1/auth/session", null), 204);
    }

    /** Open to a person who must change their password: changing it, signing in and out, asking who they are. */
    private static boolean open(String method, String path) {
        return !path.startsWith("/api/") || List.of("PUT /api/v1/auth/password", "GET /api/v1/auth/me",
                "POST /api/v1/auth/session", "DELETE /api/v1/auth/session", "POST /api/v1/auth/session/second-factor",
                "POST /api/v1/auth/tokens", "DELETE /api/v1/auth/tokens/current",
                "POST /api/v1/auth/passkey-session/options", "POST /api/v1/auth/passkey-session")
                .contains(method + " " + path);
    }

    @Test
    void aPersonSeesTheirOpenSessionsWithoutSecretsAndEndsOneOrEveryOther() {
        Person worker = world.worker(site);
        Api.Answer issued = expect(world.anonymous().post("/api/v1/auth/tokens", Map.of("login", worker.login(),
                "password", Fixtures.PASSWORD, "label", "Laptop in the site office")), 201);
        Api laptop = world.anonymous().withToken(issued.body().path("token").asString());
        WebSession browser = signedIn(worker.login(), Fixtures.PASSWORD);
        Person other = world.worker(site);

        Api.Answer listed = expect(worker.api().get("/api/v1/auth/sessions"), 200);
        JsonNode sessions = listed.body();
        assertThat(sessions).hasSize(3);
        assertThat(listed.toString()).doesNotContain(worker.api().token(), laptop.token(), "secret");
        JsonNode current = only(sessions, "current", "true");
        assertThat(current.path("kind").asString()).isEqualTo("token");
        JsonNode web = only(sessions, "kind", "session");
        assertThat(web.path("userAgent").asString()).isEqualTo("Fieldbook tests (WebSession)");
        assertThat(web.path("createdAt").isNull()).isFalse();
        assertThat(web.path("lastUsedAt").isNull()).isFalse();
        String laptopId = only(sessions, "label", "Laptop in the site office").path("id").asString();

        assertThat(worker.api().delete("/api/v1/auth/sessions/" + current.path("id").asString()).problemType())
                .endsWith("/current-session");
        Api.Answer othersSession = worker.api().delete("/api/v1/auth/sessions/"
                + expect(other.api().get("/api/v1/auth/sessions"), 200).body().get(0).path("id").asString());
        assertThat(othersSession.status()).isEqualTo(404);
        assertThat(other.api().get("/api/v1/auth/me").status()).isEqualTo(200);

        expect(worker.api().delete("/api/v1/auth/sessions/" + laptopId), 204);
        assertThat(laptop.get("/api/v1/auth/me").status()).isEqualTo(401);
        assertThat(worker.api().delete("/api/v1/auth/sessions/" + laptopId).status()).as("ended already")
                .isEqualTo(404);
        assertThat(browser.send("GET", "/api/v1/auth/me", null).status()).isEqualTo(200);

        Api.Answer ended = expect(worker.api().delete("/api/v1/auth/sessions"), 200);
        assertThat(ended.body().path("sessionsEnded").asInt()).isEqualTo(1);
        assertThat(browser.send("GET", "/api/v1/auth/me", null).status()).isEqualTo(401);
        assertThat(expect(worker.api().get("/api/v1/auth/sessions"), 200).body()).hasSize(1);
        assertThat(jdbc.sql("""
                SELECT changes FROM audit_events WHERE action = 'USER_SESSIONS_ENDED' AND entity_id = ? ORDER BY id""")
                .param(worker.id()).query(String.class).list()).hasSize(2)
                .first().asString().contains(laptopId);
    }

    @Test
    void anAdministratorResetsAnotherPersonsLostSecondFactorAndEndsTheirSessionsButNotTheirOwn() {
        Person worker = world.worker(site);
        AuthenticatorApp app = new AuthenticatorApp(expect(worker.api().post("/api/v1/auth/second-factor/totp", Map.of("password", Fixtures.PASSWORD)), 200)
                .body().path("key").asString());
        expect(worker.api().post("/api/v1/auth/second-factor/totp/confirmation", Map.of("code", app.nextCode())), 200);
        JsonNode options = expect(worker.api().post("/api/v1/auth/passkeys/registration-options", Map.of("password", Fixtures.PASSWORD)), 200).body();
        expect(worker.api().post("/api/v1/auth/passkeys", Map.of("label", "Phone",
                "credential", new SoftwareAuthenticator("http://127.0.0.1:" + port).register(options))), 201);
        assertThat(world.admin().get("/api/v1/users/" + worker.id()).body().path("secondFactor").asBoolean()).isTrue();
        Person executive = world.executive();
        assertThat(executive.api().delete("/api/v1/users/" + worker.id() + "/second-factor").status()).isEqualTo(403);

        expect(world.admin().delete("/api/v1/users/" + worker.id() + "/second-factor"), 204);

        assertThat(worker.api().get("/api/v1/auth/me").status()).isEqualTo(401);
        for (String table : List.of("totp_factors", "recovery_codes", "passkeys")) {
            assertThat(jdbc.sql("SELECT COUNT(*) FROM " + table + " WHERE user_id = ?").param(UUID.fromString(worker.id()))
                    .query(Long.class).single()).as(table).isZero();
        }
        assertThat(world.admin().get("/api/v1/users/" + worker.id()).body().path("secondFactor").asBoolean()).isFalse();
        assertThat(world.anonymous().post("/api/v1/auth/session", Map.of("login", worker.login(),
                "password", Fixtures.PASSWORD)).status()).as("the password alone signs in again").isEqualTo(200);
        assertThat(jdbc.sql("SELECT changes FROM audit_events WHERE action = 'USER_SECOND_FACTOR_RESET' AND entity_id = ?")
                .param(worker.id()).query(String.class).single()).contains("passkeys", "authenticatorApp");

        Person admin = world.administrator();
        DatabaseState database = new DatabaseState(jdbc);
        String before = database.checksum();
        Api.Answer none = world.admin().delete("/api/v1/users/" + worker.id() + "/second-factor");
        assertThat(none.status()).isEqualTo(409);
        assertThat(none.problemType()).endsWith("/no-second-factor");
        Api.Answer own = admin.api().delete("/api/v1/users/" + admin.id() + "/second-factor");
        assertThat(own.status()).isEqualTo(409);
        assertThat(own.problemType()).endsWith("/own-account");
        assertThat(world.admin().delete("/api/v1/users/" + UUID.randomUUID() + "/second-factor").status())
                .isEqualTo(404);
        assertThat(database.checksum()).isEqualTo(before);
    }

    @Test
    void anAdministratorEndsEverySessionOfAnotherPersonButNotTheirOwnAndNothingElseChanges() {
        Person worker = world.worker(site);
        Api phone = world.anonymous().signIn(worker.login(), Fixtures.PASSWORD);
        WebSession laptop = signedIn(worker.login(), Fixtures.PASSWORD);
        Person executive = world.executive();
        assertThat(executive.api().delete("/api/v1/users/" + worker.id() + "/sessions").status()).isEqualTo(403);
        assertThat(phone.get("/api/v1/auth/me").status()).isEqualTo(200);
        String hashBefore = passwordHash(worker);

        Api.Answer ended = expect(world.admin().delete("/api/v1/users/" + worker.id() + "/sessions"), 200);

        assertThat(ended.body().path("sessionsEnded").asInt()).isEqualTo(3);
        assertThat(worker.api().get("/api/v1/auth/me").status()).isEqualTo(401);
        assertThat(phone.get("/api/v1/auth/me").status()).isEqualTo(401);
        assertThat(laptop.send("GET", "/api/v1/auth/me", null).status()).isEqualTo(401);
        assertThat(passwordHash(worker)).as("the password stays").isEqualTo(hashBefore);
        assertThat(jdbc.sql("SELECT changes FROM audit_events WHERE action = 'USER_SESSIONS_ENDED' AND entity_id = ?")
                .param(worker.id()).query(String.class).single())
                .contains("\"sessionsEnded\":{\"before\":null,\"after\":3}");
        assertThat(world.anonymous().signIn(worker.login(), Fixtures.PASSWORD).get("/api/v1/auth/me").status())
                .as("the password signs in again").isEqualTo(200);

        Person admin = world.administrator();
        DatabaseState database = new DatabaseState(jdbc);
        String before = database.checksum();
        Api.Answer own = admin.api().delete("/api/v1/users/" + admin.id() + "/sessions");
        assertThat(own.status()).isEqualTo(409);
        assertThat(own.problemType()).endsWith("/own-account");
        assertThat(world.admin().delete("/api/v1/users/" + UUID.randomUUID() + "/sessions").status()).isEqualTo(404);
        assertThat(database.checksum()).isEqualTo(before);
    }

    private WebSession signedIn(String login, String password) {
        WebSession browser = new WebSession(world.anonymous().base());
        expect(browser.send("POST", "/api/v1/auth/session", Map.of("login", login, "password", password)), 200);
        return browser;
    }

    private static JsonNode only(JsonNode sessions, String field, String value) {
        List<JsonNode> found = new ArrayList<>();
        sessions.forEach(session -> {
            if (session.path(field).asString().equals(value)) {
                found.add(session);
            }
        });
        assertThat(found).as("sessions with %s %s in %s", field, value, sessions).hasSize(1);
        return found.getFirst();
    }

    private String passwordHash(Person person) {
        return jdbc.sql("SELECT password_hash FROM users WHERE id = ?").param(UUID.fromString(person.id()))
                .query(String.class).single();
    }

    private long deniedOf(Person person) {
        return jdbc.sql("SELECT COUNT(*) FROM audit_events WHERE action = 'ACCESS_DENIED' AND actor_login = ?")
                .param(person.login()).query(Long.class).single();
    }
}
