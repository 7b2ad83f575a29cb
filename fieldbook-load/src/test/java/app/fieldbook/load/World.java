package app.fieldbook.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The sites and people a load run works with, created through the HTTP API by an administrator unless
 * they already exist (so every simulation can prepare it, and the second finds it done):
 * <ul>
 *   <li>{@value #PUSH_SITES} sites {@code LOAD-01}... where the pushing devices file their reports;</li>
 *   <li>{@value #ARCHIVE_SITES} sites {@code ARCHIVE-1}... in the portfolio {@value #PORTFOLIO}, which hold the
 *   reports a new device downloads;</li>
 *   <li>field workers {@code load-worker-01}..., each assigned to one push site and to every archive site;</li>
 *   <li>the manager {@value #MANAGER} of that portfolio, who sees the archive and nothing else.</li>
 * </ul>
 */
final class World {

    static final int PUSH_SITES = 10;
    static final int ARCHIVE_SITES = 5;
    static final String PORTFOLIO = "Load archive";
    static final String MANAGER = "load-manager";
    private static final int PAGE = 500;
    private static final int MAX_PAGES = 100;

    /** A field worker and the site their device pushes to. */
    record Worker(String login, UUID pushSiteId) {
    }

    private final List<Worker> workers;
    private final List<UUID> archiveSiteIds;
    private final String password;

    private World(List<Worker> workers, List<UUID> archiveSiteIds, String password) {
        this.workers = List.copyOf(workers);
        this.archiveSiteIds = List.copyOf(archiveSiteIds);
        this.password = password;
    }

    List<Worker> workers() {
        return workers;
    }

    List<UUID> archiveSiteIds() {
        return archiveSiteIds;
    }

    String password() {
        return password;
    }

    /** Creates what is missing of the world for {@code settings.devices()} workers, and answers it. */
    static World prepare(LoadSettings settings) {
        return prepare(settings, settings.devices());
    }

    /** Creates what is missing of the world for {@code workerCount} workers, and answers it. */
    static World prepare(LoadSettings settings, int workerCount) {
        Admin admin = new Admin(settings);
        Map<String, UUID> sites = admin.sites();
        List<UUID> pushSites = new ArrayList<>();
        for (int i = 1; i <= PUSH_SITES; i++) {
            pushSites.add(admin.site(sites, "LOAD-%02d".formatted(i), "Load site %d".formatted(i)));
        }
        List<UUID> archive = new ArrayList<>();
        for (int i = 1; i <= ARCHIVE_SITES; i++) {
            archive.add(admin.site(sites, "ARCHIVE-" + i, "Archive site " + i));
        }
        UUID portfolio = admin.portfolio(PORTFOLIO, archive);

        Map<String, UUID> users = admin.users();
        List<Worker> workers = new ArrayList<>();
        for (int i = 1; i <= workerCount; i++) {
            String login = "load-worker-%02d".formatted(i);
            UUID id = admin.user(users, login, "Load Worker %02d".formatted(i), "WORKER");
            UUID pushSite = pushSites.get((i - 1) % PUSH_SITES);
            List<UUID> assigned = new ArrayList<>(List.of(pushSite));
            assigned.addAll(archive);
            admin.put("/api/v1/users/" + id + "/sites", Map.of("siteIds", assigned));
            workers.add(new Worker(login, pushSite));
        }
        UUID manager = admin.user(users, MANAGER, "Load Manager", "MANAGER");
        admin.put("/api/v1/users/" + manager + "/portfolios", Map.of("portfolioIds", List.of(portfolio)));
        return new World(workers, archive, settings.password());
    }

    /** The administrator's side of the API, over plain HTTP with a bearer token (also {@link PeakWorld}'s). */
    static final class Admin {

        private final ObjectMapper json = new ObjectMapper();
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        private final LoadSettings settings;
        private final String token;

        Admin(LoadSettings settings) {
            this.settings = settings;
            JsonNode answer = send("POST", "/api/v1/auth/tokens", Map.of("login", settings.adminLogin(),
                    "password", settings.adminPassword(), "label", "load test", "lifetimeDays", 1), null, 201);
            this.token = answer.path("token").asString();
        }

        Map<String, UUID> sites() {
            return byKey("/api/v1/sites", "code");
        }

        Map<String, UUID> users() {
            return byKey("/api/v1/users", "login");
        }

        UUID site(Map<String, UUID> existing, String code, String name) {
            return Optional.ofNullable(existing.get(code)).orElseGet(() -> id(send("POST", "/api/v1/sites",
                    Map.of("code", code, "name", name, "timezone", "Europe/Berlin",
                            "address", name + ", 1 Loopback Road"), token, 201)));
        }

        UUID portfolio(String name, List<UUID> siteIds) {
            for (JsonNode portfolio : send("GET", "/api/v1/portfolios", null, token, 200)) {
                if (name.equals(portfolio.path("name").asString())) {
                    return id(portfolio);
                }
            }
            return id(send("POST", "/api/v1/portfolios", Map.of("name", name, "siteIds", siteIds), token, 201));
        }

        /**
         * The account of this login, made when it is missing with a first password that its person (this code, signed
         * in as them) changes at once to the load test's password: the server lets them do nothing else before.
         */
        UUID user(Map<String, UUID> existing, String login, String name, String role) {
            return Optional.ofNullable(existing.get(login)).orElseGet(() -> {
                String first = "first " + settings.password();
                UUID id = id(send("POST", "/api/v1/users", Map.of("login", login, "name", name,
                        "email", login + "@load.fieldbook.test", "role", role, "password", first), token, 201));
                String personal = send("POST", "/api/v1/auth/tokens", Map.of("login", login, "password", first,
                        "label", "load test set-up", "lifetimeDays", 1), null, 201).path("token").asString();
                send("PUT", "/api/v1/auth/password", Map.of("currentPassword", first,
                        "newPassword", settings.password()), personal, 200);
                send("DELETE", "/api/v1/auth/tokens/current", null, personal, 204);
                return id;
            });
        }

        void put(String path, Object body) {
            send("PUT", path, body, token, 200);
        }

        private Map<String, UUID> byKey(String path, String key) {
            Map<String, UUID> found = new HashMap<>();
            for (int page = 0; page < MAX_PAGES; page++) {
                JsonNode answer = send("GET", path + "?page=" + page + "&size=" + PAGE, null, token, 200);
                answer.path("items").forEach(item -> found.put(item.path(key).asString(), id(item)));
                if ((long) (page + 1) * PAGE >= answer.path("total").asLong()) {
                    break;
                }
            }
            return found;
        }

        private static UUID id(JsonNode node) {
            return UUID.fromString(node.path("id").asString());
        }

        JsonNode send(String method, String path, Object body, String bearer, int expected) {
            try {
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(settings.baseUrl() + path))
                        .timeout(Duration.ofSeconds(30))
                        .header("Accept", "application/json")
                        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)));
                if (body != null) {
                    request.header("Content-Type", "application/json");
                }
                if (bearer != null) {
                    request.header("Authorization", "Bearer " + bearer);
                }
                HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != expected) {
                    throw new IllegalStateException(method + " " + path + " answered " + response.statusCode()
                            + " instead of " + expected + ": " + response.body());
                }
                return response.body().isEmpty() ? json.createObjectNode() : json.readTree(response.body());
            } catch (IOException e) {
                throw new IllegalStateException(method + " " + path + " failed: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    /** The accounts a feeder hands to virtual users, one record per device. */
    List<Map<String, Object>> workerRecords() {
        List<Map<String, Object>> records = new ArrayList<>();
        for (Worker worker : workers) {
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("login", worker.login());
            record.put("pushSiteId", worker.pushSiteId().toString());
            records.add(record);
        }
        return records;
    }
}
