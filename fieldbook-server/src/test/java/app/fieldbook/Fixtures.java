package app.fieldbook;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Builds test worlds through the administration API, as the test administrator: sites, portfolios and
 * people of each role, each with unique names so that tests sharing a database do not see each other. A person
 * is made by the administrator with {@link #FIRST_PASSWORD} and changes it to {@link #PASSWORD} at once, as they
 * must before anything else ({@link #newcomer} is one who has not yet).
 */
public final class Fixtures {

    public static final String PASSWORD = "correct horse battery";
    /** The password the administrator gives a new person, who must change it before anything else. */
    public static final String FIRST_PASSWORD = "Initial-7q4x-Zr9k-Wm2p";
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    /** A person of the test world and an API client signed in as them. */
    public record Person(String id, String login, Api api) {
    }

    private final Api anonymous;
    private final Api admin;
    private final String run = Long.toString(System.nanoTime() % 1_000_000_000L, 36).toUpperCase();

    public Fixtures(int port) {
        this(port, Api.anonymous(port).signIn("test-admin", "granite-kettle-orbit"));
    }

    /** A world built by this administrator's client (one who signed in with a second factor, say). */
    public Fixtures(int port, Api admin) {
        this.anonymous = Api.anonymous(port);
        this.admin = admin;
    }

    /**
     * A person created as the administrator, who changed the first password to {@link #PASSWORD} in a web session
     * and signed out (one whose role needs a second factor and gets no bearer token before, say).
     */
    public Person account(String role) {
        Person newcomer = newcomer(role);
        WebSession session = new WebSession(anonymous.base());
        expect(session.send("POST", "/api/v1/auth/session", Map.of("login", newcomer.login(),
                "password", FIRST_PASSWORD)), 200);
        expect(session.send("PUT", "/api/v1/auth/password", Map.of("currentPassword", FIRST_PASSWORD,
                "newPassword", PASSWORD)), 200);
        expect(session.send("DELETE", "/api/v1/auth/session", null), 204);
        return newcomer;
    }

    /** A person created as the administrator with {@link #FIRST_PASSWORD}, not yet signed in nor changed it. */
    public Person newcomer(String role) {
        String login = role.toLowerCase() + "-" + run.toLowerCase() + "-" + SEQUENCE.incrementAndGet();
        String id = created(admin.post("/api/v1/users", Map.of("login", login, "name", "Test " + login,
                "email", login + "@test.fieldbook.app", "role", role, "password", FIRST_PASSWORD)));
        return new Person(id, login, null);
    }

    /**
     * Signs a person whose password an administrator chose in for a bearer token, changes it to {@link #PASSWORD}
     * with that token, and answers the client with it (the change keeps it).
     */
    public static Api changeFirstPassword(Api anonymous, String login, String firstPassword) {
        return changeFirstPassword(anonymous, login, firstPassword, PASSWORD);
    }

    /** As {@link #changeFirstPassword(Api, String, String)}, to {@code newPassword}. */
    public static Api changeFirstPassword(Api anonymous, String login, String firstPassword, String newPassword) {
        Api api = anonymous.signIn(login, firstPassword);
        expect(api.put("/api/v1/auth/password", Map.of("currentPassword", firstPassword,
                "newPassword", newPassword)), 200);
        return api;
    }

    public Api admin() {
        return admin;
    }

    public Api anonymous() {
        return anonymous;
    }

    public String site() {
        String code = "T" + run + "-" + SEQUENCE.incrementAndGet();
        return created(admin.post("/api/v1/sites", Map.of("code", code, "name", "Site " + code,
                "timezone", "Europe/Berlin", "address", "Teststrasse 1")));
    }

    public String portfolio(String... siteIds) {
        return created(admin.post("/api/v1/portfolios", Map.of("name", "Portfolio " + run + "-"
                + SEQUENCE.incrementAndGet(), "siteIds", List.of(siteIds))));
    }

    public Person worker(String... siteIds) {
        Person worker = person("WORKER");
        expect(admin.put("/api/v1/users/" + worker.id() + "/sites", Map.of("siteIds", List.of(siteIds))), 200);
        return worker;
    }

    public Person manager(String... portfolioIds) {
        Person manager = person("MANAGER");
        expect(admin.put("/api/v1/users/" + manager.id() + "/portfolios", Map.of("portfolioIds", List.of(portfolioIds))),
                200);
        return manager;
    }

    /** Makes the person a manager of these portfolios, as an administrator would when a worker is promoted. */
    public void promoteToManager(Person person, String... portfolioIds) {
        Api.Answer account = expect(admin.get("/api/v1/users/" + person.id()), 200);
        expect(admin.put("/api/v1/users/" + person.id(), Map.of("version", account.version(),
                "name", account.body().path("name").asString(), "email", account.body().path("email").asString(),
                "role", "MANAGER", "active", true)), 200);
        expect(admin.put("/api/v1/users/" + person.id() + "/portfolios", Map.of("portfolioIds", List.of(portfolioIds))),
                200);
    }

    public Person executive() {
        return person("EXECUTIVE");
    }

    public Person administrator() {
        return person("ADMINISTRATOR");
    }

    /** A person of this role, created as the administrator, who changed their first password and is signed in. */
    public Person person(String role) {
        Person newcomer = newcomer(role);
        return new Person(newcomer.id(), newcomer.login(), changeFirstPassword(anonymous, newcomer.login(),
                FIRST_PASSWORD));
    }

    /** A report body with every section filled. */
    public static Map<String, Object> report(String siteId, LocalDate date) {
        return report(null, siteId, date);
    }

    public static Map<String, Object> report(UUID id, String siteId, LocalDate date) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (id != null) {
            body.put("id", id.toString());
        }
        body.put("siteId", siteId);
        body.put("date", date.toString());
        body.put("content", content("Formwork level 2"));
        return body;
    }

    public static Map<String, Object> content(String workPerformed) {
        Map<String, Object> content = new LinkedHashMap<>();
        content.put("weather", Map.of("conditions", "Sunny", "temperatureCelsius", 14.5));
        content.put("crew", List.of(Map.of("trade", "Carpentry", "company", "Holz AG", "headcount", 4, "hours", 32)));
        content.put("workPerformed", workPerformed);
        content.put("delays", "None");
        content.put("safetyIncidents", "None");
        content.put("materials", "12 m3 concrete");
        content.put("notes", "All good");
        return content;
    }

    /** Creates a draft report as the worker and answers its id. */
    public static String draft(Person worker, String siteId, LocalDate date) {
        return created(worker.api().post("/api/v1/reports", report(siteId, date)));
    }

    public static String created(Api.Answer answer) {
        expect(answer, 201);
        return answer.id();
    }

    public static Api.Answer expect(Api.Answer answer, int status) {
        if (answer.status() != status) {
            throw new AssertionError("Expected " + status + " but got " + answer);
        }
        return answer;
    }
}
