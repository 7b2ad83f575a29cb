package app.fieldbook.identity;

import static app.fieldbook.Fixtures.expect;
import static org.assertj.core.api.Assertions.assertThat;

import app.fieldbook.Api;
import app.fieldbook.Fixtures;
import app.fieldbook.Fixtures.Person;
import app.fieldbook.FullStackTest;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A refused password, on creating an account or on setting its password, is answered 400 problem+json with a
 * field error on {@code password} that names the rule and not the password, and nothing is written.
 */
@FullStackTest
class PasswordPolicyOverHttpTest {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    Fixtures world;
    String login;

    @BeforeEach
    void world() {
        world = new Fixtures(port);
        login = "lena-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void anAccountWithATooShortCommonOrPersonalPasswordIsNotCreated() {
        long users = count("users");
        long auditEvents = count("audit_events");

        assertRefused(create("eleven chrs"), "eleven chrs", "must have at least 12");
        assertRefused(create("password1234"), "password1234", "list of common or breached passwords");
        assertRefused(create("qwertyuiop123"), "qwertyuiop123", "list of common or breached passwords");
        assertRefused(create(login.toUpperCase()), login.toUpperCase(), "must not contain the login");
        assertRefused(create("x-" + login + "-x"), "x-" + login + "-x", "must not contain the login");
        assertRefused(create("Lena Lindqvist"), "Lena Lindqvist", "must not contain the person's name");
        assertRefused(create("moonlit-lindqvist-42"), "moonlit-lindqvist-42", "must not contain the person's name");

        assertThat(count("users")).isEqualTo(users);
        assertThat(count("audit_events")).isEqualTo(auditEvents);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM users WHERE login = ?").param(login).query(Long.class).single())
                .isZero();
    }

    @Test
    void anAccountWithALongUncommonUnrelatedPasswordIsCreatedAndSignsIn() {
        expect(create("granite-kettle-orbit"), 201);
        assertThat(world.anonymous().signIn(login, "granite-kettle-orbit").token()).isNotBlank();
    }

    @Test
    void aRefusedNewPasswordLeavesTheOldOneAndTheSessionsInPlace() {
        Person person = world.executive();
        String hash = passwordHash(person);
        long version = version(person);

        assertRefused(world.admin().put("/api/v1/users/" + person.id() + "/password",
                Map.of("password", "Password1234")), "Password1234", "list of common or breached passwords");
        assertRefused(world.admin().put("/api/v1/users/" + person.id() + "/password",
                Map.of("password", person.login() + "!!")), person.login() + "!!", "must not contain the login");

        assertThat(passwordHash(person)).isEqualTo(hash);
        assertThat(version(person)).isEqualTo(version);
        assertThat(person.api().get("/api/v1/auth/me").status()).as("the session is not ended").isEqualTo(200);
        expect(world.admin().put("/api/v1/users/" + person.id() + "/password",
                Map.of("password", "granite-kettle-orbit")), 200);
        world.anonymous().signIn(person.login(), "granite-kettle-orbit");
    }

    private Api.Answer create(String password) {
        return world.admin().post("/api/v1/users", Map.of("login", login, "name", "Lena Lindqvist",
                "email", login + "@test.fieldbook.app", "role", "WORKER", "password", password));
    }

    private static void assertRefused(Api.Answer answer, String password, String rule) {
        assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
        assertThat(answer.isProblem()).isTrue();
        assertThat(answer.problemType()).isEqualTo("https://fieldbook.app/problems/invalid-request");
        assertThat(answer.body().path("errors")).singleElement().satisfies(error -> {
            assertThat(error.path("field").asString()).isEqualTo("password");
            assertThat(error.path("message").asString()).contains(rule);
        });
        assertThat(answer.body().toString()).doesNotContain(password);
    }

    private long count(String table) {
        return jdbc.sql("SELECT COUNT(*) FROM " + table).query(Long.class).single();
    }

    private String passwordHash(Person person) {
        return jdbc.sql("SELECT password_hash FROM users WHERE id = ?").param(UUID.fromString(person.id()))
                .query(String.class).single();
    }

    private long version(Person person) {
        return jdbc.sql("SELECT version FROM users WHERE id = ?").param(UUID.fromString(person.id()))
                .query(Long.class).single();
    }
}
