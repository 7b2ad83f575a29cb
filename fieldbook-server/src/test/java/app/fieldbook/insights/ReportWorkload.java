package app.fieldbook.insights;

import static app.fieldbook.Fixtures.expect;
import static app.fieldbook.sync.SyncDevice.edit;

import app.fieldbook.Api;
import app.fieldbook.Fixtures.Person;
import app.fieldbook.Images;
import app.fieldbook.sync.SyncDevice;
import java.math.BigDecimal;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * A seeded random workload of field workers and managers on a few sites, over HTTP as people and devices do
 * it: reports created through the API and pushed by devices (two devices of a worker creating the same day's
 * report merge), edited, submitted, returned, approved, reopened and deleted; pushes based on an older version
 * that merge with an edit made meanwhile, and pushes of the same field that conflict and are resolved; photos
 * uploaded whole and photos announced whose content never comes. Any refusal is part of the workload: what
 * counts is what the reports are afterwards.
 */
final class ReportWorkload {

    /** What the workload did that changed something, by kind, to show it exercised each. */
    enum Done {
        CREATED, PUSHED_CREATE, EDITED, SUBMITTED, RETURNED, APPROVED, REOPENED, DELETED, MERGED, RESOLVED,
        PHOTO_UPLOADED, PHOTO_ANNOUNCED
    }

    private static final List<String> TRADES = List.of("Carpentry", "Concrete", "Electrical", "Scaffolding",
            "electrical ", " CONCRETE");
    private static final List<String> COMPANIES = List.of("Holz AG", "Beton Nord", "Strom GmbH", "holz  ag", " ");
    private static final List<String> DELAYS = List.of("Crane late", "Rain", "Waiting for drawings");
    private static final List<String> INCIDENTS = List.of("Cut finger", "Near miss at the hoist");

    private final Random random;
    private final List<LocalDate> days;
    private final Map<String, List<String>> sitesOf = new LinkedHashMap<>();
    private final Map<String, Person> people = new HashMap<>();
    private final Map<String, List<SyncDevice>> devices = new HashMap<>();
    private final Map<String, Person> managerOf = new HashMap<>();
    private final Api reader;
    private final List<String> reports = new ArrayList<>();
    private final Map<Done, Integer> done = new EnumMap<>(Done.class);
    private int step;

    /**
     * @param days the days reports are dated, chosen among at random
     * @param reader who reads reports back (an executive)
     */
    ReportWorkload(Random random, List<LocalDate> days, Api reader) {
        this.random = random;
        this.days = List.copyOf(days);
        this.reader = reader;
    }

    /** A field worker of these sites, with two devices. */
    void worker(Person worker, String... sites) {
        sitesOf.put(worker.id(), List.of(sites));
        people.put(worker.id(), worker);
        devices.put(worker.id(), List.of(new SyncDevice(worker.api(), sites[0]), new SyncDevice(worker.api(), sites[0])));
    }

    /** The manager who decides on the reports of this site. */
    void manager(Person manager, String site) {
        managerOf.put(site, manager);
    }

    Map<Done, Integer> done() {
        return done;
    }

    /** One change at random: a new report, or something done to a known one that its status allows. */
    void step() {
        step++;
        if (reports.isEmpty() || random.nextInt(100) < 30) {
            create();
            return;
        }
        String id = reports.get(random.nextInt(reports.size()));
        Api.Answer read = reader.get("/api/v1/reports/" + id);
        if (read.status() == 404) {
            reports.remove(id);
            return;
        }
        JsonNode report = expect(read, 200).body();
        Person author = people.get(report.path("authorId").asString());
        Person manager = managerOf.get(report.path("siteId").asString());
        switch (report.path("status").asString()) {
            case "DRAFT", "RETURNED" -> changeEditable(report, author);
            case "SUBMITTED" -> {
                if (random.nextInt(3) == 0) {
                    count(manager.api().post(path(id, "return"), Map.of("comment", "Check the hours")), Done.RETURNED);
                } else {
                    count(manager.api().post(path(id, "approve")), Done.APPROVED);
                }
            }
            case "APPROVED" -> {
                if (random.nextInt(4) == 0) {
                    count(manager.api().post(path(id, "reopen"), Map.of("comment", "Figures wrong")), Done.REOPENED);
                }
            }
            default -> throw new IllegalStateException(report.toString());
        }
    }

    private void create() {
        List<String> workers = List.copyOf(sitesOf.keySet());
        String workerId = workers.get(random.nextInt(workers.size()));
        List<String> sites = sitesOf.get(workerId);
        String site = sites.get(random.nextInt(sites.size()));
        LocalDate day = days.get(random.nextInt(days.size()));
        if (random.nextBoolean()) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("siteId", site);
            body.put("date", day.toString());
            body.put("content", content());
            Api.Answer answer = people.get(workerId).api().post("/api/v1/reports", body);
            if (answer.status() == 201) {
                reports.add(answer.id());
                count(answer, Done.CREATED);
            }
            return;
        }
        SyncDevice device = devices.get(workerId).get(random.nextInt(2));
        Map<String, Object> create = device.createAt(site, UUID.randomUUID(), day, "Pushed " + step);
        Map<String, Object> content = content();
        changes(create).put("crew", edit(null, content.get("crew")));
        changes(create).put("delays", edit(null, content.get("delays")));
        changes(create).put("safetyIncidents", edit(null, content.get("safetyIncidents")));
        JsonNode result = device.push(create);
        if (!result.path("outcome").asString().equals("REJECTED")) {
            String id = result.path("entityId").asString();
            if (!reports.contains(id)) {
                reports.add(id);
            }
            done.merge(Done.PUSHED_CREATE, 1, Integer::sum);
        }
    }

    private void changeEditable(JsonNode report, Person author) {
        String id = report.path("id").asString();
        long version = report.path("version").asLong();
        JsonNode content = report.path("content");
        SyncDevice phone = devices.get(author.id()).get(0);
        SyncDevice tablet = devices.get(author.id()).get(1);
        switch (random.nextInt(9)) {
            case 0, 1 -> count(author.api().put("/api/v1/reports/" + id, Map.of("version", version,
                    "content", content())), Done.EDITED);
            case 2, 3 -> count(author.api().post(path(id, "submit")), Done.SUBMITTED);
            case 4 -> {
                if (report.path("status").asString().equals("DRAFT")) {
                    if (random.nextBoolean()) {
                        count(author.api().delete("/api/v1/reports/" + id + "?version=" + version), Done.DELETED);
                    } else if (pushed(phone.push(phone.delete(id, version)), Done.DELETED)) {
                        reports.remove(id);
                    }
                }
            }
            case 5 -> {
                // an edit of the notes, then a push of other fields based on the version before it: they merge
                Map<String, Object> edited = asMap(content);
                edited.put("notes", "Edited at step " + step);
                if (author.api().put("/api/v1/reports/" + id, Map.of("version", version, "content", edited))
                        .status() == 200) {
                    Map<String, Object> fresh = content();
                    pushed(tablet.push(tablet.update(id, version, Map.of(
                            "crew", edit(asMap(content).get("crew"), fresh.get("crew")),
                            "delays", edit(text(content, "delays"), fresh.get("delays"))))), Done.MERGED);
                }
            }
            case 6 -> {
                // two devices change the incidents from the same version: the second conflicts and is resolved
                String base = text(content, "safetyIncidents");
                if (pushed(phone.push(phone.update(id, version, Map.of("safetyIncidents",
                        edit(base, "Phone says: slipped at step " + step)))), null)) {
                    JsonNode second = tablet.push(tablet.update(id, version, Map.of("safetyIncidents",
                            edit(base, "Tablet says: fell at step " + step))));
                    for (JsonNode conflict : second.path("conflictIds")) {
                        count(author.api().post("/api/v1/sync/conflicts/" + conflict.asString() + "/resolution",
                                Map.of("choice", random.nextBoolean() ? "CLIENT" : "SERVER")), Done.RESOLVED);
                    }
                }
            }
            case 7 -> count(author.api().postBytes("/api/v1/reports/" + id + "/photos",
                    Images.jpeg(16 + random.nextInt(48), 16 + random.nextInt(48)), "image/jpeg"), Done.PHOTO_UPLOADED);
            default -> {
                byte[] never = Images.jpeg(20 + random.nextInt(40), 20);
                Map<String, Object> announce = phone.operation(UUID.randomUUID().toString(), "CREATE", 0, Map.of(
                        "reportId", edit(null, id), "sha256", edit(null, sha256(never)),
                        "size", edit(null, never.length)));
                announce.put("entity", "Photo");
                pushed(phone.push(announce), Done.PHOTO_ANNOUNCED);
            }
        }
    }

    private boolean pushed(JsonNode result, Done kind) {
        boolean applied = result.path("outcome").asString().equals("APPLIED");
        if (applied && kind != null) {
            done.merge(kind, 1, Integer::sum);
        }
        return applied;
    }

    private void count(Api.Answer answer, Done kind) {
        if (answer.status() / 100 == 2) {
            done.merge(kind, 1, Integer::sum);
        }
    }

    /** A report's content at random: up to three crew rows, and delays and incidents that may be blank. */
    private Map<String, Object> content() {
        List<Map<String, Object>> crew = new ArrayList<>();
        for (int row = random.nextInt(4); row > 0; row--) {
            Map<String, Object> member = new HashMap<>();
            member.put("trade", TRADES.get(random.nextInt(TRADES.size())));
            member.put("company", random.nextInt(4) == 0 ? null : COMPANIES.get(random.nextInt(COMPANIES.size())));
            member.put("headcount", random.nextInt(13));
            member.put("hours", BigDecimal.valueOf(random.nextInt(12_000), 2));
            crew.add(member);
        }
        Map<String, Object> content = new HashMap<>();
        content.put("weather", Map.of("conditions", "Cloudy"));
        content.put("crew", crew);
        content.put("workPerformed", "Work of step " + step);
        content.put("delays", pick(DELAYS));
        content.put("safetyIncidents", pick(INCIDENTS));
        content.put("notes", "Step " + step);
        return content;
    }

    /** One of the texts, or (as often) nothing: null, empty, spaces or an answer that says nothing happened. */
    private String pick(List<String> texts) {
        return switch (random.nextInt(7)) {
            case 0 -> null;
            case 1 -> "";
            case 2 -> "   ";
            case 3 -> List.of("None", "n/a", " - ", "NONE.", "No delays").get(random.nextInt(5));
            default -> texts.get(random.nextInt(texts.size())) + " (step " + step + ")";
        };
    }

    private static Map<String, Object> asMap(JsonNode content) {
        List<Map<String, Object>> crew = new ArrayList<>();
        content.path("crew").forEach(row -> {
            Map<String, Object> member = new HashMap<>();
            member.put("trade", row.path("trade").asString());
            member.put("company", row.path("company").isNull() ? null : row.path("company").asString());
            member.put("headcount", row.path("headcount").asInt());
            member.put("hours", row.path("hours").decimalValue());
            crew.add(member);
        });
        Map<String, Object> map = new HashMap<>();
        map.put("weather", Map.of("conditions", "Cloudy"));
        map.put("crew", crew);
        for (String field : List.of("workPerformed", "delays", "safetyIncidents", "materials", "notes")) {
            map.put(field, text(content, field));
        }
        return map;
    }

    private static String text(JsonNode content, String field) {
        JsonNode value = content.path(field);
        return value.isNull() || value.isMissingNode() ? null : value.asString();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> changes(Map<String, Object> operation) {
        return (Map<String, Object>) operation.get("changes");
    }

    private static String path(String report, String action) {
        return "/api/v1/reports/" + report + "/" + action;
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
