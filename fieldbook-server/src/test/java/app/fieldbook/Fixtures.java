package app.fieldbook;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Builds test worlds through the administration API, as the test administrator: sites, portfolios and
 * people of each role, each with unique names so that tests sharing a database do not see each other.
 */
public final class Fixtures {

    public static final String PASSWORD = "correct horse battery";
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

    /** A person created as the administrator, not yet signed in (one whose role needs a second factor, say). */
    public Person account(String role) {
        String login = role.toLowerCase() + "-" + run.toLowerCase() + "-" + SEQUENCE.incrementAndGet();
        String id = created(admin.post("/api/v1/users", Map.of("login", login, "name", "Test " + login,
                "email", login + "@test.fieldbook.app", "role", role, "password", PASSWORD)));
        return new Person(id, login, null);
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

    public Person person(String role) {
        String login = role.toLowerCase() + "-" + run.toLowerCase() + "-" + SEQUENCE.incrementAndGet();
        String id = created(admin.post("/api/v1/users", Map.of("login", login, "name", "Test " + login,
                "email", login + "@test.fieldbook.app", "role", role, "password", PASSWORD)));
        return new Person(id, login, anonymous.signIn(login, PASSWORD));
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
