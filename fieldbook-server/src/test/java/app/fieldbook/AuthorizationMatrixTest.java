package app.fieldbook;

import static app.fieldbook.Fixtures.created;
import static app.fieldbook.Fixtures.expect;
import static org.assertj.core.api.Assertions.assertThat;

import app.fieldbook.Fixtures.Person;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;

/**
 * Who may call what, as data: one row per HTTP endpoint of Fieldbook's controllers, pinning the status
 * each kind of caller gets. The endpoints are read from the application's own handler mappings, so an
 * endpoint added without a row (or a row left behind by a removed endpoint) fails the build. Every
 * request is sent with real ids of records in the scope the row is about; a write that is refused must
 * leave the database as it was (only its {@code ACCESS_DENIED} or {@code CREDENTIAL_REFUSED} audit event
 * may be added).
 *
 * <p>To add a row: write the method, the path template as the controller declares it (and the media
 * type when the endpoint declares {@code consumes}), the ten statuses in the order of {@link Caller},
 * and the request. A 2xx status means allowed; anything else is a refusal and is checked to write
 * nothing. Requests that change what they act on (submit, delete, ...) take a fresh record for each
 * caller from {@link World}.
 */
@FullStackTest
class AuthorizationMatrixTest {

    /** The callers, in the order of a row's statuses. */
    enum Caller {
        ANONYMOUS, WORKER_OWN_SITE, WORKER_OTHER_SITE, MANAGER_IN_PORTFOLIO, MANAGER_OUTSIDE_PORTFOLIO, EXECUTIVE,
        ADMINISTRATOR, DISABLED_USER, REVOKED_TOKEN, EXPIRED_TOKEN
    }

    private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");

    /**
     * The matrix. Statuses in the order ANONYMOUS, WORKER_OWN_SITE, WORKER_OTHER_SITE, MANAGER_IN_PORTFOLIO,
     * MANAGER_OUTSIDE_PORTFOLIO, EXECUTIVE, ADMINISTRATOR, DISABLED_USER, REVOKED_TOKEN, EXPIRED_TOKEN. The
     * records are on the own site of the worker (who wrote the reports), in the manager's portfolio.
     */
    private static final List<Row> MATRIX = List.of(
            // signing in: open to anyone, whatever credential comes along
            row("POST", "/api/v1/auth/session", "200 200 200 200 200 200 200 200 200 200",
                    c -> c.post(c.path(), c.world.signIn())),
            row("DELETE", "/api/v1/auth/session", "401 204 204 204 204 204 204 401 401 401",
                    c -> c.delete(c.path())),
            row("POST", "/api/v1/auth/tokens", "201 201 201 201 201 201 201 201 201 201",
                    c -> c.post(c.path(), c.world.signIn())),
            row("DELETE", "/api/v1/auth/tokens/current", "401 204 204 204 204 204 204 401 401 401",
                    c -> c.withFreshToken().delete(c.path())),
            row("GET", "/api/v1/auth/me", "401 200 200 200 200 200 200 401 401 401",
                    c -> c.get(c.path())),
            // the second step of a web sign-in, by a person with a second factor (a recovery code per caller)
            row("POST", "/api/v1/auth/session/second-factor", "200 200 200 200 200 200 200 200 200 200",
                    c -> c.post(c.path(), c.world.secondStep())),

            // the caller's own second factor: enrolled, renewed and removed again, in this order
            row("GET", "/api/v1/auth/second-factor", "401 200 200 200 200 200 200 401 401 401",
                    c -> c.get(c.path())),
            row("POST", "/api/v1/auth/second-factor/totp", "401 200 200 200 200 200 200 401 401 401",
                    c -> c.post(c.path(), Map.of("password", Fixtures.PASSWORD))),
            row("POST", "/api/v1/auth/second-factor/totp/confirmation", "401 200 200 200 200 200 200 401 401 401",
                    c -> c.confirmTotp(c.path())),
            row("POST", "/api/v1/auth/second-factor/recovery-codes", "401 200 200 200 200 200 200 401 401 401",
                    c -> c.post(c.path(), Map.of("password", Fixtures.PASSWORD))),
            row("POST", "/api/v1/auth/second-factor/removal", "401 204 204 204 204 204 204 401 401 401",
                    c -> c.post(c.path(), Map.of("password", Fixtures.PASSWORD))),

            // the caller's own password and sessions: the password changed and changed back, a session of the
            // caller's own ended, then every other one
            row("PUT", "/api/v1/auth/password", "401 200 200 200 200 200 200 401 401 401",
                    c -> c.changePasswordAndBack(c.path())),
            row("GET", "/api/v1/auth/sessions", "401 200 200 200 200 200 200 401 401 401",
                    c -> c.get(c.path())),
            row("DELETE", "/api/v1/auth/sessions/{id}", "401 204 204 204 204 204 204 401 401 401",
                    c -> c.delete(c.path(c.anotherOwnSession()))),
            row("DELETE", "/api/v1/auth/sessions", "401 200 200 200 200 200 200 401 401 401",
                    c -> c.delete(c.path())),

            // passkeys: registered, listed and removed by their owner; signing in with one is open to anyone
            row("POST", "/api/v1/auth/passkeys/registration-options", "401 200 200 200 200 200 200 401 401 401",
                    c -> c.post(c.path(), Map.of("password", Fixtures.PASSWORD))),
            row("POST", "/api/v1/auth/passkeys", "401 201 201 201 201 201 201 401 401 401",
                    c -> {
                        Map<String, Object> registration = c.newPasskey();
                        return c.post(c.path(), registration);
                    }),
            row("GET", "/api/v1/auth/passkeys", "401 200 200 200 200 200 200 401 401 401",
                    c -> c.get(c.path())),
            row("DELETE", "/api/v1/auth/passkeys/{id}", "401 204 204 204 204 204 204 401 401 401",
                    c -> c.delete(c.path(c.ownPasskey()))),
            row("POST", "/api/v1/auth/passkey-session/options", "200 200 200 200 200 200 200 200 200 200",
                    c -> c.post(c.path(), null)),
            row("POST", "/api/v1/auth/passkey-session", "200 200 200 200 200 200 200 200 200 200",
                    c -> c.post(c.path(), c.world.passkeySignIn())),

            // administration
            row("GET", "/api/v1/users", "401 403 403 403 403 403 200 401 401 401",
                    c -> c.get(c.path())),
            row("GET", "/api/v1/users/{id}", "401 403 403 403 403 403 200 401 401 401",
                    c -> c.get(c.path(c.world.subjectWorker.id()))),
            row("POST", "/api/v1/users", "401 403 403 403 403 403 201 401 401 401",
                    c -> c.post(c.path(), c.world.newUser())),
            row("PUT", "/api/v1/users/{id}", "401 403 403 403 403 403 200 401 401 401",
                    c -> c.put(c.path(c.world.subjectWorker.id()), c.world.userChange())),
            row("PUT", "/api/v1/users/{id}/password", "401 403 403 403 403 403 200 401 401 401",
                    c -> c.put(c.path(c.world.subjectWorker.id()), Map.of("password", "another long password"))),
            row("DELETE", "/api/v1/users/{id}/second-factor", "401 403 403 403 403 403 204 401 401 401",
                    c -> c.delete(c.path(c.world.withSecondFactor().id()))),
            row("DELETE", "/api/v1/users/{id}/sessions", "401 403 403 403 403 403 200 401 401 401",
                    c -> c.delete(c.path(c.world.subjectWorker.id()))),
            row("GET", "/api/v1/users/{userId}/assignments", "401 403 403 403 403 403 200 401 401 401",
                    c -> c.get(c.path(c.world.subjectWorker.id()))),
            row("PUT", "/api/v1/users/{userId}/sites", "401 403 403 403 403 403 200 401 401 401",
                    c -> c.put(c.path(c.world.subjectWorker.id()), Map.of("siteIds", List.of(c.world.ownSite)))),
            row("PUT", "/api/v1/users/{userId}/portfolios", "401 403 403 403 403 403 200 401 401 401",
                    c -> c.put(c.path(c.world.subjectManager.id()),
                            Map.of("portfolioIds", List.of(c.world.subjectPortfolio)))),

            // sites and portfolios
            row("GET", "/api/v1/sites", "401 200 200 200 200 200 200 401 401 401",
                    c -> c.get(c.path())),
            row("GET", "/api/v1/sites/{id}", "401 200 404 200 404 200 200 401 401 401",
                    c -> c.get(c.path(c.world.ownSite))),
            row("POST", "/api/v1/sites", "401 403 403 403 403 403 201 401 401 401",
                    c -> c.post(c.path(), c.world.newSite())),
            row("PUT", "/api/v1/sites/{id}", "401 403 403 403 403 403 200 401 401 401",
                    c -> c.put(c.path(c.world.ownSite), c.world.siteChange())),
            row("GET", "/api/v1/portfolios", "401 403 403 200 200 200 200 401 401 401",
                    c -> c.get(c.path())),
            row("GET", "/api/v1/portfolios/{id}", "401 403 403 200 404 200 200 401 401 401",
                    c -> c.get(c.path(c.world.ownPortfolio))),
            row("POST", "/api/v1/portfolios", "401 403 403 403 403 403 201 401 401 401",
                    c -> c.post(c.path(), c.world.newPortfolio())),
            row("PUT", "/api/v1/portfolios/{id}", "401 403 403 403 403 403 200 401 401 401",
                    c -> c.put(c.path(c.world.subjectPortfolio), c.world.portfolioChange())),

            // reports
            row("GET", "/api/v1/reports", "401 200 200 200 200 200 403 401 401 401",
                    c -> c.get(c.path() + "?siteId=" + c.world.ownSite)),
            row("POST", "/api/v1/reports", "401 201 422 403 403 403 403 401 401 401",
                    c -> c.post(c.path(), Fixtures.report(c.world.ownSite, c.world.nextDay()))),
            row("GET", "/api/v1/reports/{id}", "401 200 404 200 404 200 403 401 401 401",
                    c -> c.get(c.path(c.world.submittedReport))),
            row("PUT", "/api/v1/reports/{id}", "401 200 404 403 404 403 403 401 401 401",
                    c -> {
                        Versioned draft = c.world.draft();
                        return c.put(c.path(draft.id()), Map.of("version", draft.version(),
                                "content", Fixtures.content("Edited")));
                    }),
            row("DELETE", "/api/v1/reports/{id}", "401 204 404 403 404 403 403 401 401 401",
                    c -> {
                        Versioned draft = c.world.draft();
                        return c.delete(c.path(draft.id()) + "?version=" + draft.version());
                    }),
            row("POST", "/api/v1/reports/{id}/submit", "401 200 404 403 404 403 403 401 401 401",
                    c -> c.post(c.path(c.world.draft().id()), null)),
            row("POST", "/api/v1/reports/{id}/return", "401 403 404 200 404 403 403 401 401 401",
                    c -> c.post(c.path(c.world.submitted()), Map.of("comment", "Add the crane hours"))),
            row("POST", "/api/v1/reports/{id}/approve", "401 403 404 200 404 403 403 401 401 401",
                    c -> c.post(c.path(c.world.submitted()), null)),
            row("POST", "/api/v1/reports/{id}/reopen", "401 403 404 200 404 403 403 401 401 401",
                    c -> c.post(c.path(c.world.approved()), Map.of("comment", "Figures were wrong"))),

            // photos
            row("POST", "/api/v1/reports/{reportId}/photos", MediaType.MULTIPART_FORM_DATA_VALUE,
                    "401 201 404 403 403 403 403 401 401 401",
                    c -> c.upload(c.path(c.world.draft().id()))),
            row("POST", "/api/v1/reports/{reportId}/photos", MediaType.IMAGE_JPEG_VALUE,
                    "401 201 404 403 403 403 403 401 401 401",
                    c -> c.postBytes(c.path(c.world.draft().id()), World.JPEG, MediaType.IMAGE_JPEG_VALUE)),
            row("GET", "/api/v1/reports/{reportId}/photos", "401 200 404 200 404 200 403 401 401 401",
                    c -> c.get(c.path(c.world.submittedReport))),
            row("GET", "/api/v1/photos/{id}", "401 200 404 200 404 200 403 401 401 401",
                    c -> c.get(c.path(c.world.photo))),
            row("GET", "/api/v1/photos/{id}/content", "401 200 404 200 404 200 403 401 401 401",
                    c -> c.get(c.path(c.world.photo))),
            row("GET", "/api/v1/photos/{id}/thumbnail", "401 200 404 200 404 200 403 401 401 401",
                    c -> c.get(c.path(c.world.photo))),
            row("PUT", "/api/v1/photos/{id}/caption", "401 200 404 403 403 403 403 401 401 401",
                    c -> {
                        Versioned photo = c.world.photoOnDraft();
                        return c.put(c.path(photo.id()), Map.of("caption", "North gate", "version", photo.version()));
                    }),
            row("DELETE", "/api/v1/photos/{id}", "401 204 404 403 403 403 403 401 401 401",
                    c -> {
                        Versioned photo = c.world.photoOnDraft();
                        return c.delete(c.path(photo.id()) + "?version=" + photo.version());
                    }),

            // audit trail
            row("GET", "/api/v1/audit/events", "401 403 403 200 200 200 200 401 401 401",
                    c -> c.get(c.path() + "?siteId=" + c.world.ownSite)),
            row("GET", "/api/v1/audit/reads", "401 403 403 200 200 200 200 401 401 401",
                    c -> c.get(c.path() + "?siteId=" + c.world.ownSite)),
            row("GET", "/api/v1/audit/verification", "401 403 403 403 403 403 200 401 401 401",
                    c -> c.get(c.path())),

            // operations: the alerts evaluated in the server and the sync health by site, for administrators
            row("GET", "/api/v1/operations/alerts", "401 403 403 403 403 403 200 401 401 401",
                    c -> c.get(c.path())),
            row("GET", "/api/v1/operations/sync-health", "401 403 403 403 403 403 200 401 401 401",
                    c -> c.get(c.path())),

            // insights: the month-end of a site, for managers (their portfolios) and executives
            row("GET", "/api/v1/insights/month-end", "401 403 403 200 404 200 403 401 401 401",
                    c -> c.get(c.path() + "?month=2026-03&siteId=" + c.world.ownSite)),
            row("GET", "/api/v1/insights/month-end.csv", "401 403 403 200 404 200 403 401 401 401",
                    c -> c.get(c.path() + "?month=2026-03&siteId=" + c.world.ownSite)),
            row("GET", "/api/v1/insights/month-end.pdf", "401 403 403 200 404 200 403 401 401 401",
                    c -> c.get(c.path() + "?month=2026-03&siteId=" + c.world.ownSite)),
            // insights: the dashboard's data of a site, to the same people as its month-end
            row("GET", "/api/v1/insights/dashboard", "401 403 403 200 404 200 403 401 401 401",
                    c -> c.get(c.path() + "?month=2026-03&siteId=" + c.world.ownSite)),

            // offline sync
            row("POST", "/api/v1/sync/push", "401 200 200 200 200 200 403 401 401 401",
                    c -> c.post(c.path(), c.world.device.push(List.of()))),
            row("POST", "/api/v1/sync/pull", "401 200 200 200 200 200 403 401 401 401",
                    c -> c.post(c.path(), c.world.device.pull())),
            row("GET", "/api/v1/sync/conflicts", "401 200 200 200 200 200 403 401 401 401",
                    c -> c.get(c.path())),
            row("POST", "/api/v1/sync/conflicts/{id}/resolution", "401 200 404 200 404 403 403 401 401 401",
                    c -> c.post(c.path(c.world.conflict()), Map.of("choice", "CLIENT"))),
            row("POST", "/api/v1/sync/uploads", "401 200 404 403 404 403 403 401 401 401",
                    c -> c.send("POST", c.path(), c.world.uploadStart(c.world.announcedPhoto()),
                            c.world.device.header())),
            row("GET", "/api/v1/sync/uploads/{photoId}", "401 200 404 200 404 200 403 401 401 401",
                    c -> c.get(c.path(c.world.startedUpload))),
            row("PATCH", "/api/v1/sync/uploads/{photoId}", "application/offset+octet-stream",
                    "401 200 404 403 404 403 403 401 401 401",
                    c -> c.append(c.path(c.world.startedUploadOfAnnouncedPhoto()))),

            // the web app's scripts: public
            row("GET", "/sw.js", "200 200 200 200 200 200 200 200 200 200", c -> c.get(c.path())),
            row("GET", "/app/version.js", "200 200 200 200 200 200 200 200 200 200", c -> c.get(c.path())));

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    @Test
    void everyEndpointOfFieldbookHasExactlyOneRowAndEveryRowAnEndpoint() {
        List<Endpoint> endpoints = fieldbookEndpoints();
        assertThat(endpoints).as("endpoints found in the handler mappings").hasSizeGreaterThan(40);
        for (Endpoint endpoint : endpoints) {
            assertThat(MATRIX.stream().filter(endpoint::isCoveredBy).map(Row::endpoint))
                    .as("rows of AuthorizationMatrixTest.MATRIX for %s", endpoint).hasSize(1);
        }
        for (Row row : MATRIX) {
            assertThat(endpoints.stream().filter(endpoint -> endpoint.isCoveredBy(row)))
                    .as("endpoints of the row %s", row.endpoint()).hasSize(1);
        }
    }

    @TestFactory
    Stream<DynamicTest> everyCallerGetsTheAnswerItsRowPinsAndARefusedWriteChangesNothing() {
        World world = new World(new Fixtures(port), jdbc);
        DatabaseState database = new DatabaseState(jdbc);
        return MATRIX.stream().map(row -> DynamicTest.dynamicTest(row.endpoint(), () -> {
            SoftAssertions softly = new SoftAssertions();
            for (Caller caller : Caller.values()) {
                int expected = row.expected().get(caller);
                boolean refusedWrite = WRITES.contains(row.method()) && (expected < 200 || expected > 299);
                Call call = new Call(row, world, world.api(caller), refusedWrite ? database : null);
                Api.Answer answer = row.request().apply(call);
                softly.assertThat(answer.status()).as("%s as %s: %s", row.endpoint(), caller, answer)
                        .isEqualTo(expected);
                if (expected == 401) {
                    softly.assertThat(answer.problemType()).as("%s as %s: unauthenticated", row.endpoint(), caller)
                            .endsWith("/unauthenticated");
                }
                if (expected == 404) {
                    softly.assertThat(answer.problemType()).as("%s as %s: out of scope", row.endpoint(), caller)
                            .endsWith("/not-found");
                }
                if (refusedWrite) {
                    softly.assertThat(call.after).as("%s as %s, refused: the database is unchanged",
                            row.endpoint(), caller).isEqualTo(call.before);
                }
            }
            softly.assertAll();
        }));
    }

    private List<Endpoint> fieldbookEndpoints() {
        List<Endpoint> endpoints = new ArrayList<>();
        mappings.getHandlerMethods().forEach((info, handler) -> {
            if (handler.getBeanType().getPackageName().startsWith("app.fieldbook")) {
                endpoints.addAll(Endpoint.of(info));
            }
        });
        return endpoints;
    }

    /** A method and path pattern of a controller, with the media types it consumes if it says. */
    record Endpoint(String method, String path, Set<String> consumes) {

        static List<Endpoint> of(RequestMappingInfo info) {
            Set<String> consumes = new TreeSet<>();
            info.getConsumesCondition().getConsumableMediaTypes().forEach(type -> consumes.add(type.toString()));
            List<Endpoint> endpoints = new ArrayList<>();
            for (var method : info.getMethodsCondition().getMethods()) {
                for (String path : info.getPathPatternsCondition().getPatternValues()) {
                    endpoints.add(new Endpoint(method.name(), path, consumes));
                }
            }
            return endpoints;
        }

        boolean isCoveredBy(Row row) {
            return row.method().equals(method) && row.template().equals(path)
                    && (consumes.isEmpty() ? row.consumes() == null : consumes.contains(row.consumes()));
        }
    }

    private static Row row(String method, String template, String statuses, Function<Call, Api.Answer> request) {
        return row(method, template, null, statuses, request);
    }

    private static Row row(String method, String template, String consumes, String statuses,
            Function<Call, Api.Answer> request) {
        String[] codes = statuses.split(" ");
        if (codes.length != Caller.values().length) {
            throw new IllegalArgumentException(method + " " + template + ": one status per caller");
        }
        Map<Caller, Integer> expected = new EnumMap<>(Caller.class);
        for (Caller caller : Caller.values()) {
            expected.put(caller, Integer.parseInt(codes[caller.ordinal()]));
        }
        return new Row(method, template, consumes, expected, request);
    }

    /** One endpoint (the first media type it consumes, if it says) and the status each caller gets. */
    record Row(String method, String template, String consumes, Map<Caller, Integer> expected,
            Function<Call, Api.Answer> request) {

        String endpoint() {
            return method + " " + template + (consumes == null ? "" : " (" + consumes + ")");
        }
    }

    /** A record to act on: its id and version. */
    record Versioned(String id, long version) {
    }

    /**
     * One request of a row by one caller. When it guards the database, it takes the database's state right
     * before and after the request (after any fresh record the request needs has been made).
     */
    static final class Call {

        final World world;
        private final Row row;
        private Api api;
        private final DatabaseState database;
        String before;
        String after;

        Call(Row row, World world, Api api, DatabaseState database) {
            this.row = row;
            this.world = world;
            this.api = api;
            this.database = database;
        }

        /** The row's path with its variables filled in order. */
        String path(String... ids) {
            String path = row.template();
            for (String id : ids) {
                path = path.replaceFirst("\\{[^}]+}", id);
            }
            return path;
        }

        /**
         * A new passkey of the caller, answering registration options the caller got; a caller who may not ask
         * for them answers someone else's.
         */
        Map<String, Object> newPasskey() {
            Api.Answer options = api.post("/api/v1/auth/passkeys/registration-options", Map.of("password", Fixtures.PASSWORD));
            JsonNode answered = options.status() == 200 ? options.body()
                    : expect(world.signer.api().post("/api/v1/auth/passkeys/registration-options", Map.of("password", Fixtures.PASSWORD)), 200).body();
            return Map.of("label", "Matrix key", "credential", new SoftwareAuthenticator(api.base()).register(answered));
        }

        /** A passkey of the caller's own, registered now; the signer's for a caller who cannot register one. */
        String ownPasskey() {
            Api.Answer options = api.post("/api/v1/auth/passkeys/registration-options", Map.of("password", Fixtures.PASSWORD));
            if (options.status() != 200) {
                return world.signerPasskey;
            }
            return created(api.post("/api/v1/auth/passkeys", Map.of("label", "Matrix key",
                    "credential", new SoftwareAuthenticator(api.base()).register(options.body()))));
        }

        /**
         * Changes the caller's password and, for a caller who may, back again (the rows after sign in with it). Only
         * the first request is the row's.
         */
        Api.Answer changePasswordAndBack(String path) {
            Api.Answer changed = put(path, Map.of("currentPassword", Fixtures.PASSWORD, "newPassword", "matrix horse "
                    + "battery"));
            if (changed.status() == 200) {
                expect(api.put(path, Map.of("currentPassword", "matrix horse battery",
                        "newPassword", Fixtures.PASSWORD)), 200);
            }
            return changed;
        }

        /** The id of a new session of the caller's person (a token signed in now); any id for other callers. */
        String anotherOwnSession() {
            Api other = world.freshTokenFor(api);
            if (other == api) {
                return UUID.randomUUID().toString();
            }
            for (JsonNode session : expect(other.get("/api/v1/auth/sessions"), 200).body()) {
                if (session.path("current").asBoolean()) {
                    return session.path("id").asString();
                }
            }
            throw new AssertionError("no current session in the list");
        }

        /** Sends with a token of its own for a caller whose token the request ends. */
        Call withFreshToken() {
            api = world.freshTokenFor(api);
            return this;
        }

        Api.Answer get(String path) {
            return guarded(() -> api.get(path));
        }

        Api.Answer post(String path, Object body) {
            return guarded(() -> body == null ? api.post(path) : api.post(path, body));
        }

        Api.Answer put(String path, Object body) {
            return guarded(() -> api.put(path, body));
        }

        Api.Answer delete(String path) {
            return guarded(() -> api.delete(path));
        }

        /** Starts enrolling an authenticator app and confirms it with the app's code, as the caller. */
        Api.Answer confirmTotp(String path) {
            return guarded(() -> {
                Api.Answer started = api.post("/api/v1/auth/second-factor/totp", Map.of("password", Fixtures.PASSWORD));
                String code = started.status() == 200
                        ? new AuthenticatorApp(started.body().path("key").asString()).nextCode() : "123456";
                return api.post(path, Map.of("code", code));
            });
        }

        Api.Answer send(String method, String path, Object body, Map<String, String> headers) {
            return guarded(() -> api.send(method, path, body, headers));
        }

        Api.Answer upload(String path) {
            return guarded(() -> api.upload(path, World.JPEG, "photo.jpg", Map.of("caption", "North wall")));
        }

        Api.Answer postBytes(String path, byte[] content, String contentType) {
            return guarded(() -> api.postBytes(path, content, contentType));
        }

        /** Appends the first bytes of the announced photo, as the device that announced it. */
        Api.Answer append(String path) {
            Map<String, String> headers = new LinkedHashMap<>(world.device.header());
            headers.put("Upload-Offset", "0");
            return guarded(() -> api.sendBytes("PATCH", path, Arrays.copyOf(World.JPEG, 100),
                    "application/offset+octet-stream", headers));
        }

        private Api.Answer guarded(Supplier<Api.Answer> request) {
            if (database == null) {
                return request.get();
            }
            before = database.checksum();
            Api.Answer answer = request.get();
            after = database.checksum();
            return answer;
        }
    }

    /**
     * The people, sites and records of the matrix, made once through the API; records that a request
     * changes are made afresh for each caller.
     */
    static final class World {

        static final byte[] JPEG = Images.jpeg(64, 48);
        private static final LocalDate FIRST_DAY = LocalDate.of(2026, 3, 2);

        private final Fixtures fixtures;
        private final JdbcClient jdbc;
        private final AtomicInteger days = new AtomicInteger();
        private final Map<Caller, Api> callers = new EnumMap<>(Caller.class);
        private final Map<Api, Person> people = new IdentityHashMap<>();
        final String ownSite;
        final String otherSite;
        final String ownPortfolio;
        final String subjectPortfolio;
        final Person worker;
        final Person manager;
        final Person subjectWorker;
        final Person subjectManager;
        final Person signer;
        private final Person twoStep;
        private Person secondFactorSubject;
        private final java.util.Deque<String> recoveryCodes = new java.util.ArrayDeque<>();
        final Device device;
        final String submittedReport;
        final String photo;
        final String startedUpload;
        final SoftwareAuthenticator signerKey;
        final String signerPasskey;

        World(Fixtures fixtures, JdbcClient jdbc) {
            this.fixtures = fixtures;
            this.jdbc = jdbc;
            ownSite = fixtures.site();
            otherSite = fixtures.site();
            ownPortfolio = fixtures.portfolio(ownSite);
            subjectPortfolio = fixtures.portfolio(otherSite);
            worker = fixtures.worker(ownSite);
            manager = fixtures.manager(ownPortfolio);
            subjectWorker = fixtures.worker(otherSite);
            subjectManager = fixtures.manager(subjectPortfolio);
            signer = fixtures.worker(ownSite);
            twoStep = fixtures.worker(ownSite);
            AuthenticatorApp app = new AuthenticatorApp(expect(twoStep.api().post("/api/v1/auth/second-factor/totp", Map.of("password", Fixtures.PASSWORD)), 200)
                    .body().path("key").asString());
            expect(twoStep.api().post("/api/v1/auth/second-factor/totp/confirmation", Map.of("code", app.nextCode())),
                    200).body().path("recoveryCodes").forEach(code -> recoveryCodes.add(code.asString()));
            device = new Device(worker.api(), ownSite);
            callers.put(Caller.ANONYMOUS, fixtures.anonymous());
            add(Caller.WORKER_OWN_SITE, worker);
            add(Caller.WORKER_OTHER_SITE, fixtures.worker(otherSite));
            add(Caller.MANAGER_IN_PORTFOLIO, manager);
            add(Caller.MANAGER_OUTSIDE_PORTFOLIO, fixtures.manager(fixtures.portfolio(otherSite)));
            add(Caller.EXECUTIVE, fixtures.executive());
            add(Caller.ADMINISTRATOR, fixtures.administrator());
            callers.put(Caller.DISABLED_USER, disabled(fixtures.worker(ownSite)));
            callers.put(Caller.REVOKED_TOKEN, revoked(fixtures.worker(ownSite)));
            callers.put(Caller.EXPIRED_TOKEN, expired(fixtures.worker(ownSite)));

            Versioned report = draft();
            photo = created(worker.api().postBytes("/api/v1/reports/" + report.id() + "/photos", JPEG,
                    MediaType.IMAGE_JPEG_VALUE));
            expect(worker.api().post("/api/v1/reports/" + report.id() + "/submit"), 200);
            submittedReport = report.id();
            awaitThumbnail();
            startedUpload = startedUploadOfAnnouncedPhoto();
            signerKey = new SoftwareAuthenticator(fixtures.anonymous().base());
            JsonNode options = expect(signer.api().post("/api/v1/auth/passkeys/registration-options", Map.of("password", Fixtures.PASSWORD)), 200).body();
            signerPasskey = created(signer.api().post("/api/v1/auth/passkeys",
                    Map.of("label", "Signer's key", "credential", signerKey.register(options))));
        }

        Api api(Caller caller) {
            return callers.get(caller);
        }

        /** A worker with an authenticator app, whose second factor an administrator may reset; made once. */
        Person withSecondFactor() {
            if (secondFactorSubject == null) {
                secondFactorSubject = fixtures.worker(otherSite);
                AuthenticatorApp app = new AuthenticatorApp(expect(secondFactorSubject.api()
                        .post("/api/v1/auth/second-factor/totp", Map.of("password", Fixtures.PASSWORD)), 200).body().path("key").asString());
                expect(secondFactorSubject.api().post("/api/v1/auth/second-factor/totp/confirmation",
                        Map.of("code", app.nextCode())), 200);
            }
            return secondFactorSubject;
        }

        /** A new token of the same person, or the same client for callers who have no valid token. */
        Api freshTokenFor(Api api) {
            Person person = people.get(api);
            return person == null ? api : fixtures.anonymous().signIn(person.login(), Fixtures.PASSWORD);
        }

        Map<String, Object> signIn() {
            return Map.of("login", signer.login(), "password", Fixtures.PASSWORD);
        }

        /** The challenge of a password sign-in of a person with a second factor, and one of their recovery codes. */
        Map<String, Object> secondStep() {
            Api.Answer first = fixtures.anonymous().post("/api/v1/auth/session", Map.of("login", twoStep.login(),
                    "password", Fixtures.PASSWORD));
            assertThat(first.problemType()).as(first.toString()).endsWith("/second-factor-required");
            return Map.of("challenge", first.body().path("challenge").asString(), "recoveryCode", recoveryCodes.pop());
        }

        /** A sign-in with the signer's passkey, answering fresh options. */
        Map<String, Object> passkeySignIn() {
            return signerKey.signIn(expect(fixtures.anonymous().post("/api/v1/auth/passkey-session/options"), 200)
                    .body());
        }

        LocalDate nextDay() {
            return FIRST_DAY.plusDays(days.incrementAndGet());
        }

        Versioned draft() {
            JsonNode report = expect(worker.api().post("/api/v1/reports", Fixtures.report(ownSite, nextDay())), 201)
                    .body();
            return new Versioned(report.path("id").asString(), report.path("version").asLong());
        }

        String submitted() {
            String report = draft().id();
            expect(worker.api().post("/api/v1/reports/" + report + "/submit"), 200);
            return report;
        }

        String approved() {
            String report = submitted();
            expect(manager.api().post("/api/v1/reports/" + report + "/approve"), 200);
            return report;
        }

        Versioned photoOnDraft() {
            JsonNode photo = expect(worker.api().postBytes("/api/v1/reports/" + draft().id() + "/photos", JPEG,
                    MediaType.IMAGE_JPEG_VALUE), 201).body();
            return new Versioned(photo.path("id").asString(), photo.path("version").asLong());
        }

        /** A conflict of the worker's two devices over the work performed on a report of their own site. */
        String conflict() {
            Device phone = new Device(worker.api(), ownSite);
            Device tablet = new Device(worker.api(), ownSite);
            String report = phone.pushOne(phone.create(nextDay())).path("entityId").asString();
            phone.pushOne(Device.update(report, Map.of("workPerformed", Device.edit("Formwork", "Formwork and rebar"))));
            JsonNode result = tablet.pushOne(Device.update(report,
                    Map.of("workPerformed", Device.edit("Formwork", "Formwork, rebar, pour"))));
            assertThat(result.path("outcome").asString()).as(result.toString()).isEqualTo("CONFLICT");
            return result.path("conflictIds").get(0).asString();
        }

        /** A photo the worker's device announced with a new report; its content has not been sent. */
        String announcedPhoto() {
            String report = device.pushOne(device.create(nextDay())).path("entityId").asString();
            String photo = UUID.randomUUID().toString();
            Map<String, Object> announce = Device.operation(photo, "CREATE", 0, Map.of(
                    "reportId", Device.edit(null, report), "sha256", Device.edit(null, sha256(JPEG)),
                    "size", Device.edit(null, JPEG.length)));
            announce.put("entity", "Photo");
            assertThat(device.pushOne(announce).path("outcome").asString()).isEqualTo("APPLIED");
            return photo;
        }

        Map<String, Object> uploadStart(String photo) {
            return Map.of("photoId", photo, "sha256", sha256(JPEG), "size", JPEG.length);
        }

        String startedUploadOfAnnouncedPhoto() {
            String photo = announcedPhoto();
            expect(worker.api().send("POST", "/api/v1/sync/uploads", uploadStart(photo), device.header()), 200);
            return photo;
        }

        Map<String, Object> newUser() {
            String login = "matrix-" + UUID.randomUUID();
            return Map.of("login", login, "name", "Matrix user", "email", login + "@test.fieldbook.app",
                    "role", "WORKER", "password", Fixtures.PASSWORD);
        }

        Map<String, Object> userChange() {
            JsonNode user = expect(fixtures.admin().get("/api/v1/users/" + subjectWorker.id()), 200).body();
            return Map.of("version", user.path("version").asLong(), "name", "Renamed " + days.incrementAndGet(),
                    "email", user.path("email").asString(), "role", "WORKER", "active", true);
        }

        Map<String, Object> newSite() {
            String code = "MX-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
            return Map.of("code", code, "name", "Site " + code, "timezone", "Europe/Berlin", "address", "Weg 2");
        }

        Map<String, Object> siteChange() {
            JsonNode site = expect(fixtures.admin().get("/api/v1/sites/" + ownSite), 200).body();
            return Map.of("version", site.path("version").asLong(), "code", site.path("code").asString(),
                    "name", "Renamed " + days.incrementAndGet(), "timezone", "Europe/Berlin", "address", "Weg 3");
        }

        Map<String, Object> newPortfolio() {
            return Map.of("name", "Matrix " + UUID.randomUUID(), "siteIds", List.of(otherSite));
        }

        Map<String, Object> portfolioChange() {
            JsonNode portfolio = expect(fixtures.admin().get("/api/v1/portfolios/" + subjectPortfolio), 200).body();
            return Map.of("version", portfolio.path("version").asLong(), "name", "Renamed " + UUID.randomUUID(),
                    "siteIds", List.of(otherSite));
        }

        private void add(Caller caller, Person person) {
            callers.put(caller, person.api());
            people.put(person.api(), person);
        }

        private Api disabled(Person person) {
            JsonNode user = expect(fixtures.admin().get("/api/v1/users/" + person.id()), 200).body();
            expect(fixtures.admin().put("/api/v1/users/" + person.id(), Map.of("version", user.path("version").asLong(),
                    "name", user.path("name").asString(), "email", user.path("email").asString(), "role", "WORKER",
                    "active", false)), 200);
            return person.api();
        }

        private static Api revoked(Person person) {
            expect(person.api().delete("/api/v1/auth/tokens/current"), 204);
            return person.api();
        }

        private Api expired(Person person) {
            jdbc.sql("UPDATE credentials SET expires_at = created_at WHERE secret_hash = :hash")
                    .param("hash", sha256(person.api().token().getBytes(StandardCharsets.UTF_8))).update();
            return person.api();
        }

        private void awaitThumbnail() {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!worker.api().get("/api/v1/photos/" + photo).body().path("thumbnail").asBoolean()) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("No thumbnail of " + photo + " within 30 s");
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    /** A device of the worker speaking the sync protocol: push and pull bodies and its upload header. */
    record Device(UUID id, Api api, String site) {

        Device(Api api, String site) {
            this(UUID.randomUUID(), api, site);
        }

        static Map<String, Object> edit(Object base, Object value) {
            Map<String, Object> edit = new LinkedHashMap<>();
            edit.put("base", base);
            edit.put("value", value);
            return edit;
        }

        static Map<String, Object> operation(String entityId, String kind, long base, Map<String, Object> changes) {
            Map<String, Object> operation = new LinkedHashMap<>();
            operation.put("operationId", UUID.randomUUID().toString());
            operation.put("entity", "DailyReport");
            operation.put("entityId", entityId);
            operation.put("kind", kind);
            operation.put("baseVersion", base);
            operation.put("changes", changes);
            operation.put("madeAt", "2026-09-07T16:30:00Z");
            return operation;
        }

        static Map<String, Object> update(String report, Map<String, Object> changes) {
            return operation(report, "UPDATE", 1, changes);
        }

        Map<String, Object> create(LocalDate date) {
            return operation(UUID.randomUUID().toString(), "CREATE", 0, Map.of(
                    "siteId", edit(null, site), "date", edit(null, date.toString()),
                    "workPerformed", edit(null, "Formwork")));
        }

        Map<String, Object> push(List<Map<String, Object>> operations) {
            Map<String, Object> request = envelope();
            request.put("operations", operations);
            return request;
        }

        Map<String, Object> pull() {
            Map<String, Object> request = envelope();
            request.put("cursor", "");
            request.put("limit", 10);
            request.put("knownSiteIds", List.of());
            return request;
        }

        JsonNode pushOne(Map<String, Object> operation) {
            JsonNode results = expect(api.post("/api/v1/sync/push", push(List.of(operation))), 200).body()
                    .path("results");
            return results.get(0);
        }

        Map<String, String> header() {
            return Map.of("Fieldbook-Device-Id", id.toString());
        }

        private Map<String, Object> envelope() {
            Map<String, Object> request = new LinkedHashMap<>();
            request.put("protocolVersion", 1);
            request.put("clientVersion", "0.1.0");
            request.put("deviceId", id.toString());
            return request;
        }
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
