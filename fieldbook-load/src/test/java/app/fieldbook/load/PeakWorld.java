package app.fieldbook.load;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The sites and people of the peaks (issue 13), created through the HTTP API by an administrator unless they
 * already exist, so that the people's accounts and password hashes are the server's own:
 * <ul>
 *   <li>sites {@code PEAK-001}...;</li>
 *   <li>field workers {@code peak-worker-001}..., as many as sites: worker {@code i} works on sites {@code i} to
 *   {@code i + authorsPerSite - 1} (wrapping around), so each site has {@code authorsPerSite} authors;</li>
 *   <li>managers {@code peak-manager-01}..., each of the portfolio {@code Peak portfolio NN} of
 *   {@code portfolioSites} neighbouring sites, spread evenly over the sites (neighbouring portfolios overlap).</li>
 * </ul>
 */
final class PeakWorld {

    /** A site by its position in the world. */
    record Site(int index, UUID id, String code) {
    }

    /** A person and the sites they see: a worker's assignments or a manager's portfolio. */
    record Person(String login, UUID id, List<Integer> sites, UUID portfolioId) {
    }

    private final List<Site> sites;
    private final List<Person> workers;
    private final List<Person> managers;
    private final String password;

    private PeakWorld(List<Site> sites, List<Person> workers, List<Person> managers, String password) {
        this.sites = List.copyOf(sites);
        this.workers = List.copyOf(workers);
        this.managers = List.copyOf(managers);
        this.password = password;
    }

    List<Site> sites() {
        return sites;
    }

    List<Person> workers() {
        return workers;
    }

    List<Person> managers() {
        return managers;
    }

    String password() {
        return password;
    }

    /** The authors of site {@code index}: workers {@code index}, {@code index - 1}... (wrapping around). */
    List<Person> authorsOf(int index, PeakSettings peak) {
        List<Person> authors = new ArrayList<>();
        for (int k = 0; k < peak.authorsPerSite(); k++) {
            authors.add(workers.get(Math.floorMod(index - k, sites.size())));
        }
        return authors;
    }

    /** The first manager whose portfolio holds site {@code index}, who approves its reports; null if none. */
    Person managerOf(int index) {
        return managers.stream().filter(manager -> manager.sites().contains(index)).findFirst().orElse(null);
    }

    /** Creates what is missing and answers the world. */
    static PeakWorld prepare(LoadSettings settings, PeakSettings peak) {
        World.Admin admin = new World.Admin(settings);
        Map<String, UUID> existingSites = admin.sites();
        List<Site> sites = new ArrayList<>();
        for (int i = 0; i < peak.sites(); i++) {
            String code = "PEAK-%03d".formatted(i + 1);
            sites.add(new Site(i, admin.site(existingSites, code, "Peak site %d".formatted(i + 1)), code));
        }
        Map<String, UUID> users = admin.users();
        List<Person> workers = new ArrayList<>();
        for (int i = 0; i < peak.sites(); i++) {
            String login = "peak-worker-%03d".formatted(i + 1);
            boolean existed = users.containsKey(login);
            UUID id = admin.user(users, login, "Peak Worker %03d".formatted(i + 1), "WORKER");
            List<Integer> assigned = new ArrayList<>();
            for (int k = 0; k < peak.authorsPerSite(); k++) {
                assigned.add((i + k) % peak.sites());
            }
            if (!existed) {
                admin.put("/api/v1/users/" + id + "/sites",
                        Map.of("siteIds", assigned.stream().map(index -> sites.get(index).id()).toList()));
            }
            workers.add(new Person(login, id, List.copyOf(assigned), null));
        }
        List<Person> managers = new ArrayList<>();
        for (int m = 0; m < peak.managers(); m++) {
            int first = (int) ((long) m * peak.sites() / peak.managers());
            List<Integer> portfolio = new ArrayList<>();
            for (int k = 0; k < peak.portfolioSites(); k++) {
                portfolio.add((first + k) % peak.sites());
            }
            UUID portfolioId = admin.portfolio("Peak portfolio %02d".formatted(m + 1),
                    portfolio.stream().map(index -> sites.get(index).id()).toList());
            String login = "peak-manager-%02d".formatted(m + 1);
            boolean existed = users.containsKey(login);
            UUID id = admin.user(users, login, "Peak Manager %02d".formatted(m + 1), "MANAGER");
            if (!existed) {
                admin.put("/api/v1/users/" + id + "/portfolios", Map.of("portfolioIds", List.of(portfolioId)));
            }
            managers.add(new Person(login, id, List.copyOf(portfolio), portfolioId));
        }
        return new PeakWorld(sites, workers, managers, settings.password());
    }

    /** Feeder records of people: {@code login}, {@code siteId} (their first site), {@code portfolioId} or "". */
    static List<Map<String, Object>> records(List<Person> people, List<Site> sites) {
        List<Map<String, Object>> records = new ArrayList<>();
        for (Person person : people) {
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("login", person.login());
            record.put("siteIds", person.sites().stream().map(index -> sites.get(index).id().toString()).toList());
            record.put("siteId", sites.get(person.sites().getFirst()).id().toString());
            record.put("portfolioId", person.portfolioId() == null ? "" : person.portfolioId().toString());
            records.add(record);
        }
        return records;
    }
}
