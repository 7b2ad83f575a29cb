package app.fieldbook.identity;

import static app.fieldbook.Fixtures.expect;
import static org.assertj.core.api.Assertions.assertThat;

import app.fieldbook.Api;
import app.fieldbook.Fixtures;
import app.fieldbook.Fixtures.Person;
import app.fieldbook.FullStackTest;
import app.fieldbook.SoftwareAuthenticator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Passkeys over HTTP, with {@link SoftwareAuthenticator} in place of the browser and its authenticator:
 * registration by a signed-in person, sign-in without a password into a web session, removal, and the
 * assertions that must be refused (another account's, replayed, unverified, from another origin, late),
 * each audited and writing nothing else.
 */
@FullStackTest
class PasskeyTest {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    RegisteringPasskeys registering;

    Fixtures world;
    String site;
    String origin;

    @BeforeEach
    void world() {
        world = new Fixtures(port);
        site = world.site();
        origin = "http://127.0.0.1:" + port;
    }

    @Test
    void aPasskeyRegisteredBySignedInPersonSignsInWithoutAPasswordIntoAWebSession() throws Exception {
        Person worker = world.worker(site);
        SoftwareAuthenticator phone = new SoftwareAuthenticator(origin);
        JsonNode options = expect(worker.api().post("/api/v1/auth/passkeys/registration-options", Map.of("password", Fixtures.PASSWORD)), 200).body();
        assertThat(options.path("rp").path("id").asString()).isEqualTo("127.0.0.1");
        assertThat(options.path("user").path("name").asString()).isEqualTo(worker.login());
        assertThat(options.path("authenticatorSelection").path("userVerification").asString()).isEqualTo("required");
        assertThat(options.path("authenticatorSelection").path("residentKey").asString()).isEqualTo("required");
        assertThat(options.path("attestation").asString()).isEqualTo("none");

        JsonNode registered = expect(worker.api().post("/api/v1/auth/passkeys",
                Map.of("label", "  Work phone ", "credential", phone.register(options))), 201).body();
        assertThat(registered.path("label").asString()).isEqualTo("Work phone");
        assertThat(registered.path("createdAt").isNull()).isFalse();
        assertThat(registered.path("lastUsedAt").isNull()).isTrue();
        assertThat(audited(worker, "USER_PASSKEY_REGISTERED")).containsExactly(registered.path("id").asString());
        assertThat(registering.hasPasskey(UUID.fromString(worker.id()))).isTrue();

        Api.Answer signIn = signIn(phone.signIn(signInOptions()));
        assertThat(signIn.status()).as(signIn.toString()).isEqualTo(200);
        assertThat(signIn.body().path("user").path("login").asString()).isEqualTo(worker.login());
        String cookie = signIn.raw().headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("FIELDBOOK_SESSION=")).findFirst().orElseThrow();
        assertThat(cookie).contains("HttpOnly").contains("SameSite=Lax").contains("Path=/");
        String session = cookie.substring("FIELDBOOK_SESSION=".length(), cookie.indexOf(';'));
        assertThat(me(session).statusCode()).isEqualTo(200);
        assertThat(me(session).body()).contains(worker.login());
        assertThat(jdbc.sql("SELECT kind, label FROM credentials WHERE secret_hash = ?").param(Secrets.hash(session))
                .query((rs, n) -> rs.getString(1) + " " + rs.getString(2)).single())
                .isEqualTo("SESSION web session (passkey)");
        assertThat(signInMethods(worker)).containsExactly("passkey");

        JsonNode listed = expect(worker.api().get("/api/v1/auth/passkeys"), 200).body();
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).path("label").asString()).isEqualTo("Work phone");
        assertThat(listed.get(0).path("lastUsedAt").isNull()).as("used to sign in").isFalse();
    }

    @Test
    void aRemovedPasskeySignsInNoMore() {
        Person worker = world.worker(site);
        SoftwareAuthenticator phone = register(worker, "Old phone");
        String id = expect(worker.api().get("/api/v1/auth/passkeys"), 200).body().get(0).path("id").asString();

        expect(worker.api().delete("/api/v1/auth/passkeys/" + id), 204);
        assertThat(audited(worker, "USER_PASSKEY_REMOVED")).containsExactly(id);
        assertThat(expect(worker.api().get("/api/v1/auth/passkeys"), 200).body()).isEmpty();
        assertThat(registering.hasPasskey(UUID.fromString(worker.id()))).isFalse();

        long sessions = sessionsOf(worker);
        long unknown = failures("unknown passkey");
        Api.Answer refused = signIn(phone.signIn(signInOptions()));
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.problemType()).endsWith("/sign-in-refused");
        assertThat(sessionsOf(worker)).isEqualTo(sessions);
        assertThat(failures("unknown passkey")).isEqualTo(unknown + 1);
    }

    @Test
    void aPersonCannotRemoveAnotherPersonsPasskey() {
        Person owner = world.worker(site);
        Person other = world.worker(site);
        register(owner, "Owner's key");
        String id = expect(owner.api().get("/api/v1/auth/passkeys"), 200).body().get(0).path("id").asString();

        Api.Answer answer = other.api().delete("/api/v1/auth/passkeys/" + id);
        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.problemType()).endsWith("/not-found");
        assertThat(expect(owner.api().get("/api/v1/auth/passkeys"), 200).body()).hasSize(1);
        assertThat(expect(other.api().get("/api/v1/auth/passkeys"), 200).body()).isEmpty();
    }

    @Test
    void anAssertionClaimingAnotherAccountsUserHandleIsRefusedAndWritesNothing() {
        Person victim = world.worker(site);
        Person attacker = world.worker(site);
        SoftwareAuthenticator victims = register(victim, "Victim's key");
        SoftwareAuthenticator attackers = register(attacker, "Attacker's key");
        String before = passkeyState() + sessionsOf(victim) + "/" + sessionsOf(attacker);

        Api.Answer refused = signIn(attackers.signInClaiming(signInOptions(), victims.userHandle()));

        assertThat(refused.status()).isEqualTo(401);
        assertThat(passkeyState() + sessionsOf(victim) + "/" + sessionsOf(attacker)).isEqualTo(before);
        assertThat(failureReasons(attacker)).containsExactly("passkey of another account");
    }

    @Test
    void anAssertionPresentingAnotherPersonsCredentialSignedWithAnotherKeyIsRefusedAndWritesNothing() {
        Person victim = world.worker(site);
        Person attacker = world.worker(site);
        SoftwareAuthenticator victims = register(victim, "Victim's key");
        SoftwareAuthenticator attackers = register(attacker, "Attacker's key");
        String before = passkeyState() + sessionsOf(victim) + "/" + sessionsOf(attacker);

        Map<String, Object> forged = attackers.signInAs(victims, signInOptions());
        @SuppressWarnings("unchecked")
        Map<String, Object> response = (Map<String, Object>) forged.get("response");
        response.put("userHandle", victims.userHandle());
        Api.Answer refused = signIn(forged);

        assertThat(refused.status()).isEqualTo(401);
        assertThat(passkeyState() + sessionsOf(victim) + "/" + sessionsOf(attacker)).isEqualTo(before);
        assertThat(failureReasons(victim)).containsExactly("passkey assertion invalid");
    }

    @Test
    void aReplayedAssertionIsRefusedAndWritesNothing() {
        Person worker = world.worker(site);
        SoftwareAuthenticator phone = register(worker, "Phone");
        Map<String, Object> assertion = phone.signIn(signInOptions());
        assertThat(signIn(assertion).status()).isEqualTo(200);
        String before = passkeyState() + sessionsOf(worker);

        Api.Answer replayed = signIn(assertion);

        assertThat(replayed.status()).isEqualTo(401);
        assertThat(passkeyState() + sessionsOf(worker)).isEqualTo(before);
        assertThat(failureReasons(worker)).containsExactly("passkey challenge unknown, used or expired");
    }

    @Test
    void aChallengeOlderThanItsLifetimeIsRefused() {
        Person worker = world.worker(site);
        SoftwareAuthenticator phone = register(worker, "Phone");
        JsonNode options = signInOptions();
        jdbc.sql("UPDATE passkey_challenges SET expires_at = ? WHERE challenge = ?")
                .params(OffsetDateTime.now().minusSeconds(1), options.path("challenge").asString()).update();

        assertThat(signIn(phone.signIn(options)).status()).isEqualTo(401);
        assertThat(failureReasons(worker)).containsExactly("passkey challenge unknown, used or expired");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM passkey_challenges WHERE challenge = ?")
                .param(options.path("challenge").asString()).query(Long.class).single()).as("used up").isZero();
    }

    @Test
    void aSignInWithoutUserVerificationIsRefused() {
        Person worker = world.worker(site);
        SoftwareAuthenticator phone = register(worker, "Phone");
        long sessions = sessionsOf(worker);

        assertThat(signIn(phone.withoutUserVerification().signIn(signInOptions())).status()).isEqualTo(401);
        assertThat(sessionsOf(worker)).isEqualTo(sessions);
        assertThat(failureReasons(worker)).containsExactly("passkey assertion invalid");
    }

    @Test
    void anAssertionMadeOnAnotherOriginIsRefused() {
        Person worker = world.worker(site);
        SoftwareAuthenticator phone = register(worker, "Phone");
        long sessions = sessionsOf(worker);

        assertThat(signIn(phone.usedFrom("https://fieldbook.example.net").signIn(signInOptions())).status())
                .isEqualTo(401);
        assertThat(sessionsOf(worker)).isEqualTo(sessions);
        assertThat(failureReasons(worker)).containsExactly("passkey assertion invalid");
    }

    @Test
    void aRegistrationWithoutUserVerificationOrAnsweringAnotherPersonsChallengeIsRefusedAndWritesNothing() {
        Person worker = world.worker(site);
        Person other = world.worker(site);
        JsonNode options = expect(worker.api().post("/api/v1/auth/passkeys/registration-options", Map.of("password", Fixtures.PASSWORD)), 200).body();
        String before = passkeyState();

        Api.Answer unverified = worker.api().post("/api/v1/auth/passkeys", Map.of("label", "Unverified",
                "credential", new SoftwareAuthenticator(origin).withoutUserVerification().register(options)));
        assertThat(unverified.status()).as(unverified.toString()).isEqualTo(400);
        assertThat(unverified.problemType()).endsWith("/passkey-refused");
        Api.Answer someoneElses = other.api().post("/api/v1/auth/passkeys", Map.of("label", "Not mine",
                "credential", new SoftwareAuthenticator(origin).register(options)));
        assertThat(someoneElses.status()).as(someoneElses.toString()).isEqualTo(400);
        assertThat(passkeyState()).isEqualTo(before);

        // the challenge was not used up by the refused answers: its owner finishes the registration with it
        expect(worker.api().post("/api/v1/auth/passkeys", Map.of("label", "Mine",
                "credential", new SoftwareAuthenticator(origin).register(options))), 201);
        Api.Answer again = worker.api().post("/api/v1/auth/passkeys", Map.of("label", "Mine again",
                "credential", new SoftwareAuthenticator(origin).register(options)));
        assertThat(again.status()).as("a challenge answers once").isEqualTo(400);
    }

    @Test
    void malformedCredentialsAreAnswered400AsProblemsAndWriteNothing() {
        Person worker = world.worker(site);
        JsonNode options = expect(worker.api().post("/api/v1/auth/passkeys/registration-options", Map.of("password", Fixtures.PASSWORD)), 200).body();
        Map<String, Object> credential = new SoftwareAuthenticator(origin).register(options);
        String before = passkeyState() + auditCount();

        List<Api.Answer> answers = List.of(
                worker.api().post("/api/v1/auth/passkeys", Map.of("label", " ", "credential", credential)),
                worker.api().post("/api/v1/auth/passkeys", Map.of("label", "x".repeat(101), "credential", credential)),
                worker.api().post("/api/v1/auth/passkeys", Map.of("label", "No credential")),
                worker.api().post("/api/v1/auth/passkeys", Map.of("label", "Text", "credential", "a credential")),
                worker.api().post("/api/v1/auth/passkeys", Map.of("label", "Empty", "credential", Map.of())),
                worker.api().post("/api/v1/auth/passkeys", Map.of("label", "Wrong type", "credential",
                        Map.of("id", "abc", "rawId", 42, "response", "none"))),
                world.anonymous().post("/api/v1/auth/passkey-session", Map.of()),
                world.anonymous().sendJson("POST", "/api/v1/auth/passkey-session", "{\"id\":"),
                world.anonymous().post("/api/v1/auth/passkey-session", Map.of("id", "AAAA", "rawId", "AAAA",
                        "type", "public-key", "response", Map.of("clientDataJSON", "bm90IGpzb24",
                                "authenticatorData", "AAAA", "signature", "AAAA"))));

        assertThat(answers).allSatisfy(answer -> {
            assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
            assertThat(answer.isProblem()).as(answer.toString()).isTrue();
            assertThat(answer.problemType()).as(answer.toString()).endsWith("/invalid-request");
        });
        assertThat(passkeyState() + auditCount()).isEqualTo(before);
    }

    @Test
    void addingAPasskeyNeedsThePasswordAgainAndAWrongOneIsAFailedSignInThatAddsNothing() {
        Person worker = world.worker(site);
        String before = passkeyState() + jdbc.sql("SELECT COUNT(*) FROM passkey_challenges").query(Long.class).single();
        Api.Answer none = worker.api().post("/api/v1/auth/passkeys/registration-options", Map.of());
        assertThat(none.status()).as(none.toString()).isEqualTo(400);
        assertThat(none.problemType()).endsWith("/invalid-request");
        Api.Answer wrong = worker.api().post("/api/v1/auth/passkeys/registration-options",
                Map.of("password", "not the password"));
        assertThat(wrong.status()).as(wrong.toString()).isEqualTo(403);
        assertThat(wrong.problemType()).endsWith("/wrong-proof");
        assertThat(passkeyState() + jdbc.sql("SELECT COUNT(*) FROM passkey_challenges").query(Long.class).single())
                .as("no challenge, no passkey").isEqualTo(before);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_events WHERE action = 'SIGN_IN_FAILED' AND actor_login = ?")
                .param(worker.login()).query(Long.class).single()).as("recorded as a failed sign-in")
                .isEqualTo(1);
        register(worker, "Phone");
        assertThat(registering.hasPasskey(UUID.fromString(worker.id()))).isTrue();
    }

    @Test
    void signingInWithAPasskeyNeedsNoCredentialButRegisteringOneDoes() {
        assertThat(world.anonymous().post("/api/v1/auth/passkeys/registration-options",
                Map.of("password", Fixtures.PASSWORD)).status()).isEqualTo(401);
        assertThat(world.anonymous().get("/api/v1/auth/passkeys").status()).isEqualTo(401);
        JsonNode options = signInOptions();
        assertThat(options.path("userVerification").asString()).isEqualTo("required");
        assertThat(options.path("rpId").asString()).isEqualTo("127.0.0.1");
        assertThat(options.path("allowCredentials").isEmpty()).as("any passkey, no login asked").isTrue();
    }

    private SoftwareAuthenticator register(Person person, String label) {
        SoftwareAuthenticator authenticator = new SoftwareAuthenticator(origin);
        JsonNode options = expect(person.api().post("/api/v1/auth/passkeys/registration-options", Map.of("password", Fixtures.PASSWORD)), 200).body();
        expect(person.api().post("/api/v1/auth/passkeys",
                Map.of("label", label, "credential", authenticator.register(options))), 201);
        return authenticator;
    }

    private JsonNode signInOptions() {
        return expect(world.anonymous().post("/api/v1/auth/passkey-session/options"), 200).body();
    }

    private Api.Answer signIn(Map<String, Object> assertion) {
        return world.anonymous().post("/api/v1/auth/passkey-session", assertion);
    }

    private HttpResponse<String> me(String session) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(origin + "/api/v1/auth/me"))
                .header("Cookie", "FIELDBOOK_SESSION=" + session).build(), HttpResponse.BodyHandlers.ofString());
    }

    private long sessionsOf(Person person) {
        return jdbc.sql("SELECT COUNT(*) FROM credentials WHERE user_id = ? AND kind = 'SESSION'")
                .param(UUID.fromString(person.id())).query(Long.class).single();
    }

    /** Every passkey with its signature counter and when it was last used. */
    private String passkeyState() {
        return String.join("\n", jdbc.sql("""
                SELECT id, user_id, signature_count, last_used_at FROM passkeys ORDER BY id""")
                .query((rs, n) -> rs.getString(1) + " " + rs.getString(2) + " " + rs.getLong(3) + " " + rs.getString(4))
                .list()) + "\n" + jdbc.sql("SELECT COUNT(*) FROM passkey_user_handles").query(Long.class).single()
                + "\n";
    }

    private long auditCount() {
        return jdbc.sql("SELECT COUNT(*) FROM audit_events").query(Long.class).single();
    }

    /** The ids of the passkeys this person's audited events of this action name. */
    private List<String> audited(Person person, String action) {
        return jdbc.sql("SELECT changes FROM audit_events WHERE action = ? AND entity_id = ? ORDER BY occurred_at")
                .params(action, person.id()).query(String.class).list().stream()
                .map(changes -> field(changes, "passkey"))
                .toList();
    }

    private List<String> signInMethods(Person person) {
        return jdbc.sql("SELECT changes FROM audit_events WHERE action = 'SIGNED_IN' AND actor_id = ? ORDER BY occurred_at")
                .param(UUID.fromString(person.id())).query(String.class).list().stream()
                .map(changes -> field(changes, "method"))
                .filter(method -> !method.equals("token"))
                .toList();
    }

    private List<String> failureReasons(Person person) {
        return jdbc.sql("""
                SELECT changes FROM audit_events WHERE action = 'SIGN_IN_FAILED' AND actor_login = ?
                 ORDER BY occurred_at""")
                .param(person.login()).query(String.class).list().stream()
                .map(changes -> field(changes, "reason"))
                .toList();
    }

    private long failures(String reason) {
        return jdbc.sql("SELECT COUNT(*) FROM audit_events WHERE action = 'SIGN_IN_FAILED' AND changes LIKE ?")
                .param("%\"" + reason + "\"%").query(Long.class).single();
    }

    /** The value a change of the audit trail recorded for this field (its value after, or before if removed). */
    private static String field(String changes, String name) {
        java.util.regex.Matcher after = java.util.regex.Pattern
                .compile("\"" + name + "\":\\{\"before\":(null|\"[^\"]*\"),\"after\":(null|\"[^\"]*\")\\}")
                .matcher(changes);
        if (!after.find()) {
            return "(no " + name + " in " + changes + ")";
        }
        String value = after.group(2).equals("null") ? after.group(1) : after.group(2);
        return value.replace("\"", "");
    }
}
