package app.fieldbook.identity;

import static app.fieldbook.Fixtures.expect;
import static org.assertj.core.api.Assertions.assertThat;

import app.fieldbook.Api;
import app.fieldbook.AuthenticatorApp;
import app.fieldbook.Fixtures;
import java.io.IOException;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.context.ApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An administrator with an authenticator app, for the tests that run with a second factor required of
 * administrators and build their world through the API ({@code SecondFactorTest}, {@code SecondFactorWebAppTest},
 * which share one application context). The first administrator keeps no second factor (on PostgreSQL it is
 * shared with every other context), so another is made: a password sign-in reaches only enrolment; enrolled,
 * a recovery code gets a bearer token. One per application context (told apart by its port), made by the
 * first test that asks.
 */
public final class EnrolledAdministrators {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Map<Integer, Api> BY_PORT = new ConcurrentHashMap<>();

    private EnrolledAdministrators() {
    }

    /** The client of the enrolled administrator of the application context that listens on {@code port}. */
    public static synchronized Api of(ApplicationContext context, int port) {
        return BY_PORT.computeIfAbsent(port, listening -> enrolled(context, listening));
    }

    private static Api enrolled(ApplicationContext context, int port) {
        String login = "admin-" + UUID.randomUUID();
        context.getBean(UserAdministration.class).create(new UserAdministration.NewAccount(null, login,
                "Second-factor administrator", login + "@test.fieldbook.app", Role.ADMINISTRATOR, Fixtures.FIRST_PASSWORD),
                context.getBean(UserDirectory.class).findByLogin("test-admin").orElseThrow());
        WebSession session = new WebSession(port);
        JsonNode opened = session.send("POST", "/api/v1/auth/session", Map.of("login", login,
                "password", Fixtures.FIRST_PASSWORD));
        assertThat(opened.path("secondFactorEnrolmentRequired").asBoolean()).isTrue();
        assertThat(opened.path("passwordChangeRequired").asBoolean()).isTrue();
        session.send("PUT", "/api/v1/auth/password", Map.of("currentPassword", Fixtures.FIRST_PASSWORD,
                "newPassword", Fixtures.PASSWORD));
        AuthenticatorApp app = new AuthenticatorApp(
                session.send("POST", "/api/v1/auth/second-factor/totp", Map.of("password", Fixtures.PASSWORD)).path("key").asString());
        String recoveryCode = session.send("POST", "/api/v1/auth/second-factor/totp/confirmation",
                Map.of("code", app.nextCode())).path("recoveryCodes").get(0).asString();
        Api.Answer token = Api.anonymous(port).post("/api/v1/auth/tokens", Map.of("login", login,
                "password", Fixtures.PASSWORD, "recoveryCode", recoveryCode));
        expect(token, 201);
        return Api.anonymous(port).withToken(token.body().path("token").asString());
    }

    /** A browser's session cookie and CSRF token, without the browser. */
    private static final class WebSession {

        private final CookieManager cookies = new CookieManager();
        private final HttpClient http = HttpClient.newBuilder().cookieHandler(cookies).build();
        private final String base;

        WebSession(int port) {
            this.base = "http://127.0.0.1:" + port;
        }

        /** Sends JSON and answers the JSON answer; fails the test unless it is 200. */
        JsonNode send(String method, String path, Object body) {
            try {
                if (xsrfToken() == null) {
                    http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/auth/me")).build(),
                            HttpResponse.BodyHandlers.discarding());
                }
                HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(base + path))
                        .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                        .header("Content-Type", "application/json")
                        .header("X-XSRF-TOKEN", xsrfToken())
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertThat(answer.statusCode()).as(method + " " + path + ": " + answer.body()).isEqualTo(200);
                return JSON.readTree(answer.body());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        private String xsrfToken() {
            return cookies.getCookieStore().getCookies().stream().filter(cookie -> cookie.getName().equals("XSRF-TOKEN"))
                    .map(HttpCookie::getValue).filter(value -> !value.isEmpty()).reduce((first, last) -> last).orElse(null);
        }
    }
}
