package app.fieldbook.identity;

import static app.fieldbook.Fixtures.expect;
import static org.assertj.core.api.Assertions.assertThat;

import app.fieldbook.Api;
import app.fieldbook.AuthenticatorApp;
import app.fieldbook.Fixtures;
import app.fieldbook.Fixtures.Person;
import app.fieldbook.FullStackTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import org.springframework.test.context.TestPropertySource;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The second factor with the requirement as it is by default (managers, executives and administrators must
 * have one): enrolment, the two-step web sign-in, bearer tokens only with a code, recovery codes, replay,
 * the throttle, and the gate that keeps a privileged person without one to enrolment. An administrator
 * enrolled once for this application context ({@link EnrolledAdministrators}) builds the world.
 */
@FullStackTest
@TestPropertySource(properties = "fieldbook.identity.second-factor.required-for=MANAGER,EXECUTIVE,ADMINISTRATOR")
class SecondFactorTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String ENROLMENT_REQUIRED = "https://fieldbook.app/problems/second-factor-enrolment-required";

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    org.springframework.context.ApplicationContext context;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    Fixtures world;
    String site;

    @BeforeEach
    void world() {
        world = new Fixtures(port, EnrolledAdministrators.of(context, port));
        site = world.site();
    }

    @Test
    void aPersonWithAnAuthenticatorAppSignsInInTwoStepsAndEachChallengeIsUsedOnce() throws Exception {
        Person worker = world.worker(site);
        AuthenticatorApp app = enrol(worker.api()).app();

        Browser browser = new Browser();
        HttpResponse<String> first = browser.signIn(worker.login(), Fixtures.PASSWORD);
        assertThat(first.statusCode()).isEqualTo(401);
        JsonNode problem = browser.json(first);
        assertThat(problem.path("type").asString()).endsWith("/second-factor-required");
        assertThat(problem.path("methods").toString()).contains("totp", "recovery-code");
        assertThat(browser.cookie("FIELDBOOK_SESSION")).as("no session after the password alone").isNull();
        String challenge = problem.path("challenge").asString();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM sign_in_challenges WHERE secret_hash = ?")
                .param(Secrets.hash(challenge)).query(Long.class).single()).as("stored only hashed").isOne();

        HttpResponse<String> wrong = browser.secondStep(challenge, Map.of("code", wrongCode(app)));
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(browser.json(wrong).path("type").asString()).endsWith("/second-factor-refused");
        assertThat(browser.cookie("FIELDBOOK_SESSION")).isNull();

        HttpResponse<String> second = browser.secondStep(challenge, Map.of("code", app.nextCode()));
        assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
        assertThat(browser.json(second).path("user").path("login").asString()).isEqualTo(worker.login());
        assertThat(browser.send("GET", "/api/v1/auth/me", null).statusCode()).isEqualTo(200);

        HttpResponse<String> again = new Browser().secondStep(challenge, Map.of("code", wrongCode(app)));
        assertThat(again.statusCode()).isEqualTo(401);
        assertThat(browser.json(again).path("type").asString()).endsWith("/sign-in-challenge-ended");

        assertThat(actions(worker)).contains("SECOND_FACTOR_ENROLLED", "SIGNED_IN");
        assertThat(jdbc.sql("""
                SELECT changes FROM audit_events WHERE action = 'SIGNED_IN' AND entity_id = ? ORDER BY id DESC""")
                .param(worker.id()).query(String.class).list().getFirst()).contains("session, totp");
        assertThat(jdbc.sql("""
                SELECT changes FROM audit_events WHERE action = 'SIGN_IN_FAILED' AND actor_login = ?""")
                .param(worker.login()).query(String.class).list()).anySatisfy(changes ->
                        assertThat(changes).contains("second factor: wrong code"));
    }

    @Test
    void aCodeIsAcceptedOnceAndACodeOfAStepUsedBeforeIsRefused() {
        Person worker = world.worker(site);
        AuthenticatorApp app = enrol(worker.api()).app();
        String next = app.nextCode();
        expect(token(worker, Map.of("code", next)), 201);
        Api.Answer replayed = token(worker, Map.of("code", next));
        assertThat(replayed.status()).isEqualTo(401);
        assertThat(replayed.problemType()).endsWith("/second-factor-refused");
        Api.Answer older = token(worker, Map.of("code", app.code(AuthenticatorApp.currentStep() - 1)));
        assertThat(older.status()).as("a step before the last one used").isEqualTo(401);
    }

    @Test
    void aBearerTokenIsIssuedOnlyWithTheCodeBesideThePassword() {
        Person worker = world.worker(site);
        AuthenticatorApp app = enrol(worker.api()).app();
        long tokensBefore = tokensOf(worker);

        Api.Answer withoutCode = token(worker, Map.of());
        assertThat(withoutCode.status()).isEqualTo(401);
        assertThat(withoutCode.isProblem()).isTrue();
        assertThat(withoutCode.problemType()).endsWith("/second-factor-required");
        Api.Answer wrongPasswordRightCode = world.anonymous().post("/api/v1/auth/tokens", Map.of(
                "login", worker.login(), "password", "not the password", "code", app.currentCode()));
        assertThat(wrongPasswordRightCode.status()).isEqualTo(401);
        assertThat(wrongPasswordRightCode.problemType()).endsWith("/sign-in-refused");
        assertThat(tokensOf(worker)).isEqualTo(tokensBefore);

        Api.Answer issued = token(worker, Map.of("code", app.nextCode()));
        expect(issued, 201);
        expect(world.anonymous().withToken(issued.body().path("token").asString()).get("/api/v1/sites"), 200);
    }

    @Test
    void eachRecoveryCodeWorksOnceAndTheAnswerSaysHowManyAreLeft() {
        Person worker = world.worker(site);
        Enrolled enrolled = enrol(worker.api());
        assertThat(enrolled.recoveryCodes()).hasSize(10).doesNotHaveDuplicates()
                .allSatisfy(code -> assertThat(code).matches("[A-Z2-7]{4}(-[A-Z2-7]{4}){3}"));
        String code = enrolled.recoveryCodes().get(3);

        Api.Answer used = token(worker, Map.of("recoveryCode", code.toLowerCase().replace("-", " ")));
        expect(used, 201);
        assertThat(used.body().path("recoveryCodesLeft").asInt()).isEqualTo(9);
        Api.Answer again = token(worker, Map.of("recoveryCode", code));
        assertThat(again.status()).isEqualTo(401);
        assertThat(again.problemType()).endsWith("/second-factor-refused");
        expect(worker.api().get("/api/v1/auth/second-factor"), 200);
        assertThat(worker.api().get("/api/v1/auth/second-factor").body().path("recoveryCodesLeft").asInt())
                .isEqualTo(9);
        assertThat(jdbc.sql("""
                SELECT changes FROM audit_events WHERE action = 'RECOVERY_CODE_USED' AND entity_id = ?""")
                .param(worker.id()).query(String.class).single()).contains("recoveryCodesLeft").contains("9");
    }

    @Test
    void theAppsKeyIsStoredEncryptedAndTheRecoveryCodesOnlyAsHashes() {
        Person worker = world.worker(site);
        Api.Answer started = expect(worker.api().post("/api/v1/auth/second-factor/totp", Map.of("password", Fixtures.PASSWORD)), 200);
        String key = started.body().path("key").asString();
        assertThat(Totp.fromBase32(key)).hasSize(20);
        assertThat(started.body().path("uri").asString()).startsWith("otpauth://totp/Fieldbook:" + worker.login())
                .contains("secret=" + key);
        String code = new AuthenticatorApp(key).nextCode();
        List<String> codes = new ArrayList<>();
        expect(worker.api().post("/api/v1/auth/second-factor/totp/confirmation", Map.of("code", code)), 200)
                .body().path("recoveryCodes").forEach(c -> codes.add(c.asString()));

        String sealed = jdbc.sql("SELECT sealed_key FROM totp_factors WHERE user_id = ?")
                .param(UUID.fromString(worker.id())).query(String.class).single();
        assertThat(sealed).doesNotContain(key);
        assertThat(java.util.HexFormat.of().formatHex(java.util.Base64.getDecoder().decode(sealed)))
                .doesNotContain(java.util.HexFormat.of().formatHex(Totp.fromBase32(key)));
        String stored = jdbc.sql("SELECT code_hash FROM recovery_codes WHERE user_id = ?")
                .param(UUID.fromString(worker.id())).query(String.class).list().toString();
        String audit = jdbc.sql("SELECT COALESCE(changes, '') FROM audit_events WHERE entity_id = ?")
                .param(worker.id()).query(String.class).list().toString();
        for (String recovery : codes) {
            assertThat(stored).doesNotContain(recovery).doesNotContain(recovery.replace("-", ""));
            assertThat(audit).doesNotContain(recovery);
        }
        assertThat(audit).doesNotContain(key);
    }

    @Test
    void theEnrolmentAnswerShowsTheAppsAddressAsAQrCodeThatNoCacheKeeps() {
        Person worker = world.worker(site);
        Api.Answer started = expect(worker.api().post("/api/v1/auth/second-factor/totp", Map.of("password", Fixtures.PASSWORD)), 200);
        String uri = started.body().path("uri").asString();
        assertThat(uri).startsWith("otpauth://totp/");
        assertThat(app.fieldbook.QrCodes.readSvg(started.body().path("qrCode").asString())).isEqualTo(uri);
        assertThat(started.raw().headers().firstValue("Cache-Control").orElseThrow()).contains("no-store");
        Api.Answer again = expect(worker.api().post("/api/v1/auth/second-factor/totp", Map.of("password", Fixtures.PASSWORD)), 200);
        assertThat(app.fieldbook.QrCodes.readSvg(again.body().path("qrCode").asString()))
                .as("a new enrolment, a new key and its code").isEqualTo(again.body().path("uri").asString())
                .isNotEqualTo(uri);
    }

    @Test
    void wrongCodesCountAsFailedSignInsAndAreThrottled() throws Exception {
        Person worker = world.worker(site);
        AuthenticatorApp app = enrol(worker.api()).app();
        Browser browser = new Browser();
        String challenge = browser.json(browser.signIn(worker.login(), Fixtures.PASSWORD)).path("challenge").asString();
        for (int attempt = 0; attempt < 5; attempt++) {
            assertThat(browser.secondStep(challenge, Map.of("code", wrongCode(app))).statusCode()).isEqualTo(401);
        }
        String right = app.nextCode();
        HttpResponse<String> throttled = browser.secondStep(challenge, Map.of("code", right));
        assertThat(throttled.statusCode()).as("even with the right code").isEqualTo(429);
        assertThat(throttled.headers().firstValue("Retry-After")).isPresent();
        assertThat(browser.cookie("FIELDBOOK_SESSION")).isNull();
        assertThat(token(worker, Map.of("code", right)).status()).as("a token as well").isEqualTo(429);
    }

    @Test
    void aPrivilegedPersonWithoutASecondFactorReachesOnlyEnrolmentUntilTheyEnrol() throws Exception {
        Person manager = world.account("MANAGER");
        long tokensBefore = tokensOf(manager);
        Api.Answer token = world.anonymous().post("/api/v1/auth/tokens", Map.of("login", manager.login(),
                "password", Fixtures.PASSWORD));
        assertThat(token.status()).isEqualTo(403);
        assertThat(token.problemType()).isEqualTo(ENROLMENT_REQUIRED);
        assertThat(token.body().path("detail").asString()).contains("enrol");
        assertThat(tokensOf(manager)).isEqualTo(tokensBefore);

        Browser browser = new Browser();
        HttpResponse<String> opened = browser.signIn(manager.login(), Fixtures.PASSWORD);
        assertThat(opened.statusCode()).isEqualTo(200);
        assertThat(browser.json(opened).path("secondFactorEnrolmentRequired").asBoolean()).isTrue();
        HttpResponse<String> sites = browser.send("GET", "/api/v1/sites", null);
        assertThat(sites.statusCode()).isEqualTo(403);
        assertThat(browser.json(sites).path("type").asString()).isEqualTo(ENROLMENT_REQUIRED);
        assertThat(browser.send("GET", "/api/v1/auth/me", null).statusCode()).isEqualTo(200);
        assertThat(browser.json(browser.send("GET", "/api/v1/auth/second-factor", null)).path("required").asBoolean())
                .isTrue();
        assertThat(jdbc.sql("""
                SELECT COUNT(*) FROM audit_events WHERE action = 'ACCESS_DENIED' AND actor_login = ?
                   AND changes LIKE '%second factor required%'""").param(manager.login()).query(Long.class).single())
                .isOne();

        AuthenticatorApp app = enrol(browser).app();
        assertThat(browser.send("GET", "/api/v1/sites", null).statusCode()).as("the same session, enrolled")
                .isEqualTo(200);
        expect(token(manager, Map.of("code", app.nextCode())), 201);
    }

    @Test
    void anAdministratorResetsALostSecondFactorAndTheManagerMustEnrolAgain() throws Exception {
        Person manager = world.account("MANAGER");
        Browser phone = new Browser();
        phone.signInOrFail(manager.login());
        AuthenticatorApp app = enrol(phone).app();
        Api laptop = world.anonymous().withToken(expect(token(manager, Map.of("code", app.nextCode())), 201)
                .body().path("token").asString());
        assertThat(laptop.get("/api/v1/sites").status()).isEqualTo(200);

        expect(world.admin().delete("/api/v1/users/" + manager.id() + "/second-factor"), 204);

        assertThat(laptop.get("/api/v1/auth/me").status()).as("every token ended").isEqualTo(401);
        assertThat(phone.send("GET", "/api/v1/auth/me", null).statusCode()).as("every session ended").isEqualTo(401);
        assertThat(world.anonymous().post("/api/v1/auth/tokens", Map.of("login", manager.login(),
                "password", Fixtures.PASSWORD, "code", app.nextCode())).problemType()).isEqualTo(ENROLMENT_REQUIRED);
        Browser again = new Browser();
        HttpResponse<String> opened = again.signIn(manager.login(), Fixtures.PASSWORD);
        assertThat(opened.statusCode()).as("the password alone, no code asked").isEqualTo(200);
        assertThat(again.json(opened).path("secondFactorEnrolmentRequired").asBoolean()).isTrue();
        assertThat(again.json(again.send("GET", "/api/v1/sites", null)).path("type").asString())
                .isEqualTo(ENROLMENT_REQUIRED);
        assertThat(actions(manager)).contains("USER_SECOND_FACTOR_RESET");
        enrol(again);
        assertThat(again.send("GET", "/api/v1/sites", null).statusCode()).isEqualTo(200);
    }

    @Test
    void everyEndpointButSigningInAndEnrolmentRefusesAPrivilegedPersonWithoutASecondFactor() throws Exception {
        Person executive = world.account("EXECUTIVE");
        Browser browser = new Browser();
        assertThat(browser.signIn(executive.login(), Fixtures.PASSWORD).statusCode()).isEqualTo(200);
        long denied = jdbc.sql("SELECT COUNT(*) FROM audit_events WHERE action = 'ACCESS_DENIED' AND actor_login = ?")
                .param(executive.login()).query(Long.class).single();

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
        // the gated ones first, together, so that the database can be compared around them; signing out last
        endpoints.sort(Comparator.comparing((String[] e) -> !gated(e[1]))
                .thenComparing(e -> e[0].equals("DELETE") && e[1].startsWith("/api/v1/auth/"))
                .thenComparing(e -> e[1]));
        assertThat(endpoints).hasSizeGreaterThan(40);
        SoftAssertions softly = new SoftAssertions();
        int gated = 0;
        String before = new app.fieldbook.DatabaseState(jdbc).checksum();
        String after = null;
        for (String[] endpoint : endpoints) {
            if (!gated(endpoint[1]) && after == null) {
                after = new app.fieldbook.DatabaseState(jdbc).checksum();
            }
            String path = endpoint[1].replaceAll("\\{[^}]+}", UUID.randomUUID().toString());
            HttpResponse<String> answer = browser.send(endpoint[0], path, endpoint[0].equals("GET") ? null : "{}");
            String type = answer.statusCode() == 403 ? browser.json(answer).path("type").asString() : "";
            if (gated(endpoint[1])) {
                gated++;
                softly.assertThat(answer.statusCode()).as("%s %s: %s", endpoint[0], endpoint[1], answer.body())
                        .isEqualTo(403);
                softly.assertThat(type).as("%s %s", endpoint[0], endpoint[1]).isEqualTo(ENROLMENT_REQUIRED);
            } else {
                softly.assertThat(type).as("%s %s is open for enrolling", endpoint[0], endpoint[1])
                        .isNotEqualTo(ENROLMENT_REQUIRED);
            }
        }
        softly.assertAll();
        assertThat(gated).isGreaterThan(35);
        assertThat(after).as("the refused requests wrote nothing").isEqualTo(before);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_events WHERE action = 'ACCESS_DENIED' AND actor_login = ?")
                .param(executive.login()).query(Long.class).single()).isEqualTo(denied + gated);
    }

    /** Every endpoint but those of signing in and out and of enrolment (and the web app's public files). */
    private static boolean gated(String path) {
        return path.startsWith("/api/") && !path.startsWith("/api/v1/auth/");
    }

    @Test
    void aPrivilegedPersonCannotRemoveTheirLastSecondFactorAndAWorkerCanWithTheirPassword() {
        Person manager = world.account("MANAGER");
        Browser browser = new Browser();
        browser.signInOrFail(manager.login());
        AuthenticatorApp managerApp = enrol(browser).app();
        Api managerApi = world.anonymous().withToken(token(manager, Map.of("code", managerApp.nextCode()))
                .body().path("token").asString());
        Api.Answer last = managerApi.post("/api/v1/auth/second-factor/removal", Map.of("password", Fixtures.PASSWORD));
        assertThat(last.status()).isEqualTo(409);
        assertThat(last.problemType()).endsWith("/last-second-factor");
        assertThat(managerApi.get("/api/v1/auth/second-factor").body().path("totp").asBoolean()).isTrue();

        Person worker = world.worker(site);
        enrol(worker.api());
        Api.Answer wrong = worker.api().post("/api/v1/auth/second-factor/removal", Map.of("password", "a wrong guess"));
        assertThat(wrong.status()).isEqualTo(403);
        assertThat(wrong.problemType()).endsWith("/wrong-proof");
        assertThat(worker.api().get("/api/v1/auth/second-factor").body().path("totp").asBoolean()).isTrue();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM login_failures WHERE login = ?").param(worker.login())
                .query(Long.class).single()).as("a wrong password counts in the throttle").isOne();

        expect(worker.api().post("/api/v1/auth/second-factor/removal", Map.of("password", Fixtures.PASSWORD)), 204);
        assertThat(worker.api().get("/api/v1/auth/second-factor").body().path("totp").asBoolean()).isFalse();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM recovery_codes WHERE user_id = ?")
                .param(UUID.fromString(worker.id())).query(Long.class).single()).isZero();
        expect(token(worker, Map.of()), 201);
        assertThat(actions(worker)).contains("SECOND_FACTOR_REMOVED");
    }

    @Test
    void settingUpAnAuthenticatorAppNeedsThePasswordAgain() {
        Person worker = world.worker(site);
        Api.Answer none = worker.api().post("/api/v1/auth/second-factor/totp", Map.of());
        assertThat(none.status()).as(none.toString()).isEqualTo(400);
        Api.Answer wrong = worker.api().post("/api/v1/auth/second-factor/totp", Map.of("password", "not the password"));
        assertThat(wrong.status()).as(wrong.toString()).isEqualTo(403);
        assertThat(wrong.problemType()).endsWith("/wrong-proof");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM totp_factors WHERE user_id = ?").param(UUID.fromString(worker.id()))
                .query(Long.class).single()).as("no enrolment begun").isZero();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_events WHERE action = 'SIGN_IN_FAILED' AND actor_login = ?")
                .param(worker.login()).query(Long.class).single()).as("recorded as a failed sign-in").isEqualTo(1);
        expect(worker.api().post("/api/v1/auth/second-factor/totp", Map.of("password", Fixtures.PASSWORD)), 200);
    }

    @Test
    void newRecoveryCodesNeedACodeAndEndTheOldOnes() {
        Person worker = world.worker(site);
        Enrolled enrolled = enrol(worker.api());
        Api.Answer withoutProof = worker.api().post("/api/v1/auth/second-factor/recovery-codes", Map.of());
        assertThat(withoutProof.status()).isEqualTo(400);
        Api.Answer renewed = expect(worker.api().post("/api/v1/auth/second-factor/recovery-codes",
                Map.of("code", enrolled.app().nextCode())), 200);
        assertThat(renewed.body().path("recoveryCodes").size()).isEqualTo(10);
        assertThat(token(worker, Map.of("recoveryCode", enrolled.recoveryCodes().getFirst())).status()).isEqualTo(401);
        expect(token(worker, Map.of("recoveryCode", renewed.body().path("recoveryCodes").get(0).asString())), 201);
        assertThat(actions(worker)).contains("RECOVERY_CODES_REGENERATED");
    }

    @Test
    void anEnrolmentCountsOnlyOnceItsFirstCodeIsConfirmed() {
        Person worker = world.worker(site);
        String key = expect(worker.api().post("/api/v1/auth/second-factor/totp", Map.of("password", Fixtures.PASSWORD)), 200).body().path("key").asString();
        assertThat(worker.api().get("/api/v1/auth/second-factor").body().path("totp").asBoolean()).isFalse();
        expect(token(worker, Map.of()), 201);
        Api.Answer wrong = worker.api().post("/api/v1/auth/second-factor/totp/confirmation",
                Map.of("code", wrongCode(new AuthenticatorApp(key))));
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.problemType()).endsWith("/wrong-code");
        assertThat(worker.api().get("/api/v1/auth/second-factor").body().path("totp").asBoolean()).isFalse();
        expect(worker.api().post("/api/v1/auth/second-factor/totp/confirmation",
                Map.of("code", new AuthenticatorApp(key).nextCode())), 200);
        assertThat(worker.api().get("/api/v1/auth/second-factor").body().path("totp").asBoolean()).isTrue();
        assertThat(worker.api().post("/api/v1/auth/second-factor/totp", Map.of("password", Fixtures.PASSWORD)).status()).as("enrolled already")
                .isEqualTo(409);
    }

    private record Enrolled(AuthenticatorApp app, List<String> recoveryCodes) {
    }

    /** Enrols an authenticator app as the client's person: start, then confirm with the app's code. */
    private static Enrolled enrol(Api api) {
        AuthenticatorApp app = new AuthenticatorApp(
                expect(api.post("/api/v1/auth/second-factor/totp", Map.of("password", Fixtures.PASSWORD)), 200).body().path("key").asString());
        List<String> codes = new ArrayList<>();
        expect(api.post("/api/v1/auth/second-factor/totp/confirmation", Map.of("code", app.nextCode())), 200)
                .body().path("recoveryCodes").forEach(code -> codes.add(code.asString()));
        return new Enrolled(app, codes);
    }

    private static Enrolled enrol(Browser browser) {
        try {
            AuthenticatorApp app = new AuthenticatorApp(browser.json(browser.send("POST",
                    "/api/v1/auth/second-factor/totp", JSON.writeValueAsString(Map.of("password", Fixtures.PASSWORD)))).path("key").asString());
            HttpResponse<String> confirmed = browser.send("POST", "/api/v1/auth/second-factor/totp/confirmation",
                    JSON.writeValueAsString(Map.of("code", app.nextCode())));
            assertThat(confirmed.statusCode()).as(confirmed.body()).isEqualTo(200);
            List<String> codes = new ArrayList<>();
            browser.json(confirmed).path("recoveryCodes").forEach(code -> codes.add(code.asString()));
            return new Enrolled(app, codes);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A six-digit code that is none of the three the server accepts now. */
    private static String wrongCode(AuthenticatorApp app) {
        long step = AuthenticatorApp.currentStep();
        List<String> valid = List.of(app.code(step - 1), app.code(step), app.code(step + 1), app.code(step + 2));
        for (int candidate = 0; ; candidate++) {
            String code = "%06d".formatted(candidate);
            if (!valid.contains(code)) {
                return code;
            }
        }
    }

    private Api.Answer token(Person person, Map<String, String> code) {
        Map<String, Object> body = new java.util.HashMap<>(code);
        body.put("login", person.login());
        body.put("password", Fixtures.PASSWORD);
        return world.anonymous().post("/api/v1/auth/tokens", body);
    }

    private long tokensOf(Person person) {
        return jdbc.sql("SELECT COUNT(*) FROM credentials WHERE user_id = ?").param(UUID.fromString(person.id()))
                .query(Long.class).single();
    }

    private List<String> actions(Person person) {
        return jdbc.sql("SELECT action FROM audit_events WHERE entity_id = ? ORDER BY id").param(person.id())
                .query(String.class).list();
    }

    /** A cookie-keeping HTTP client, like a browser, that sends the CSRF token on writes as the web app does. */
    private final class Browser {

        private final java.net.CookieManager cookies = new java.net.CookieManager();
        private final HttpClient http = HttpClient.newBuilder().cookieHandler(cookies).build();

        HttpResponse<String> signIn(String login, String password) throws Exception {
            return send("POST", "/api/v1/auth/session", JSON.writeValueAsString(Map.of("login", login,
                    "password", password)));
        }

        void signInOrFail(String login) {
            try {
                assertThat(signIn(login, Fixtures.PASSWORD).statusCode()).isEqualTo(200);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        HttpResponse<String> secondStep(String challenge, Map<String, String> code) throws Exception {
            Map<String, Object> body = new java.util.HashMap<>(code);
            body.put("challenge", challenge);
            return send("POST", "/api/v1/auth/session/second-factor", JSON.writeValueAsString(body));
        }

        String cookie(String name) {
            return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals(name))
                    .map(java.net.HttpCookie::getValue).filter(v -> !v.isEmpty()).reduce((a, b) -> b).orElse(null);
        }

        JsonNode json(HttpResponse<String> response) {
            return JSON.readTree(response.body());
        }

        HttpResponse<String> send(String method, String path, String json) throws Exception {
            if (!method.equals("GET") && cookie("XSRF-TOKEN") == null) {
                http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/auth/me")).build(),
                        HttpResponse.BodyHandlers.ofString());
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(json));
            if (json != null) {
                request.header("Content-Type", "application/json");
            }
            if (!method.equals("GET") && cookie("XSRF-TOKEN") != null) {
                request.header("X-XSRF-TOKEN", cookie("XSRF-TOKEN"));
            }
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
    }
}
