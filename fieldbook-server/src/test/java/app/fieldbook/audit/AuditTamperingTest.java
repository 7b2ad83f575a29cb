package app.fieldbook.audit;

import static app.fieldbook.Fixtures.draft;
import static app.fieldbook.Fixtures.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import app.fieldbook.Fixtures;
import app.fieldbook.Fixtures.Person;
import app.fieldbook.FullStackTest;
import app.fieldbook.Scrape;
import app.fieldbook.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import tools.jackson.databind.JsonNode;

/**
 * Someone with full access to the database (its superuser, or the schema's owner) but not to the server's
 * key file and head file tampers with the audit trail over a JDBC connection of their own; the verification
 * endpoint must find every change and name the first broken link. Each test puts back what it took, as the
 * application context (and, on PostgreSQL, the database) is shared with other tests.
 */
@FullStackTest
class AuditTamperingTest {

    private static final AtomicInteger DAYS = new AtomicInteger();
    private static final LocalDate DAY = LocalDate.of(2027, 3, 1);

    @LocalServerPort
    int port;

    @Autowired
    Environment environment;

    Connection connection;
    JdbcClient db;
    Fixtures world;
    Person worker;
    String site;
    /** The links of three events of this test, at the end of the chain: {@code middle} has one link after it. */
    long middle;
    long last;

    @BeforeEach
    void aChainThatIsIntactAndWhoseHeadIsWrittenDown() throws Exception {
        connection = DriverManager.getConnection(environment.getProperty("spring.datasource.url"),
                environment.getProperty("spring.datasource.username"),
                environment.getProperty("spring.datasource.password"));
        db = JdbcClient.create(new SingleConnectionDataSource(connection, true));
        world = new Fixtures(port);
        site = world.site();
        worker = world.worker(site);
        for (int i = 0; i < 3; i++) {
            draft(worker, site, DAY.plusDays(DAYS.incrementAndGet()));
        }
        assertThat(verification().path("intact").asBoolean()).as(verification().toString()).isTrue();
        last = db.sql("SELECT MAX(position) FROM audit_chain").query(Long.class).single();
        middle = last - 1;
    }

    @AfterEach
    void close() throws Exception {
        assertThat(verification().path("intact").asBoolean()).as("put back as it was: " + verification()).isTrue();
        connection.close();
    }

    @Test
    void eventsWaitingToBeLinkedAreCounted() {
        // the figure is counted in the background (every 250 ms in the tests): a scrape shows the last count
        assertThat(unlinkedOnceCounted(count -> count == 0)).as("the verification linked every event").isZero();
        draft(worker, site, DAY.plusDays(DAYS.incrementAndGet()));
        assertThat(unlinkedOnceCounted(count -> count >= 1)).as("linked every hour in the tests")
                .isGreaterThanOrEqualTo(1);
    }

    @Test
    void aVerificationThatFindsTheChainBrokenTurnsItsMetricToZeroUntilOneFindsItIntact() throws Exception {
        // the result is recorded in the database and read into the metrics in the background (every 250 ms here)
        Map<String, String> any = Map.of();
        assertThat(Scrape.awaited(Scrape.prometheus(port), "fieldbook_audit_chain_intact", any, intact -> intact == 1.0))
                .isEqualTo(1.0);
        UUID event = eventAt(middle);
        String login = db.sql("SELECT actor_login FROM audit_events WHERE id = ?").param(event).query(String.class)
                .single();
        db.sql("UPDATE audit_events SET actor_login = 'mallory' WHERE id = ?").param(event).update();
        try {
            assertBrokenAt(middle, "was changed");
            assertThat(Scrape.awaited(Scrape.prometheus(port), "fieldbook_audit_chain_intact", any, intact -> intact == 0.0))
                    .isZero();
            assertThat(Scrape.of(Scrape.prometheus(port)).value("fieldbook_audit_chain_verified_seconds", any).orElseThrow())
                    .isCloseTo(System.currentTimeMillis() / 1000.0, within(60.0));
            assertThat(db.sql("""
                    SELECT intact, first_broken_position FROM audit_verifications
                     ORDER BY recorded DESC LIMIT 1""").query((rs, n) -> rs.getBoolean(1) + " " + rs.getLong(2))
                    .single()).as("the result recorded, with its first broken link").isEqualTo("false " + middle);
        } finally {
            db.sql("UPDATE audit_events SET actor_login = ? WHERE id = ?").params(login, event).update();
        }
        assertThat(verification().path("intact").asBoolean()).isTrue();
        assertThat(Scrape.awaited(Scrape.prometheus(port), "fieldbook_audit_chain_intact", any, intact -> intact == 1.0))
                .isEqualTo(1.0);
    }

    @Test
    void aResultOfTheVerificationInsertedIntoTheDatabaseDoesNotHoldAndShowsAsABrokenChain() throws Exception {
        Map<String, String> any = Map.of();
        UUID forged = UUID.randomUUID();
        db.sql("""
                INSERT INTO audit_verifications (id, verified_at, node, intact, linked_events, unlinked_events, mac)
                VALUES (?, CURRENT_TIMESTAMP, 'mallory', TRUE, 0, 0, ?)""")
                .params(forged, "0".repeat(64)).update();
        try {
            assertThat(Scrape.awaited(Scrape.prometheus(port), "fieldbook_audit_chain_intact", any, intact -> intact == 0.0))
                    .as("an unsigned 'intact' is taken as broken").isZero();
        } finally {
            db.sql("DELETE FROM audit_verifications WHERE id = ?").param(forged).update();
        }
        assertThat(Scrape.awaited(Scrape.prometheus(port), "fieldbook_audit_chain_intact", any, intact -> intact == 1.0))
                .isEqualTo(1.0);
    }

    @Test
    void editingAnyColumnOfALinkedEventBreaksTheChainAtItsLink() {
        UUID event = eventAt(middle);
        Map<String, Object> before = rows("SELECT * FROM audit_events WHERE id = ?", event).getFirst();
        Map<String, String> edits = new LinkedHashMap<>();
        edits.put("occurred_at", "occurred_at + INTERVAL '1' SECOND");
        edits.put("actor_id", "'" + UUID.randomUUID() + "'");
        edits.put("actor_login", "'mallory'");
        edits.put("action", "'REPORT_APPROVED'");
        edits.put("entity_type", "'Photo'");
        edits.put("entity_id", "'" + UUID.randomUUID() + "'");
        edits.put("site_id", "'" + UUID.randomUUID() + "'");
        edits.put("changes", "'{}'");
        edits.put("request_id", "NULL");
        edits.put("client_address", "'10.0.0.66'");
        edits.put("seal", "'" + "a".repeat(64) + "'");
        edits.forEach((column, value) -> {
            db.sql("UPDATE audit_events SET " + column + " = " + value + " WHERE id = ?").param(event).update();
            try {
                assertBrokenAt(middle, "was changed");
            } finally {
                db.sql("UPDATE audit_events SET " + column + " = ? WHERE id = ?").params(before.get(column), event)
                        .update();
            }
        });
    }

    @Test
    void editingAnyColumnOfALinkBreaksTheChainThere() {
        Map<String, Object> before = rows("SELECT * FROM audit_chain WHERE position = ?", middle).getFirst();
        Map<String, String> edits = Map.of(
                "hash", "'" + "b".repeat(64) + "'",
                "previous_hash", "'" + "c".repeat(64) + "'",
                "linked_at", "linked_at - INTERVAL '1' HOUR");
        edits.forEach((column, value) -> {
            db.sql("UPDATE audit_chain SET " + column + " = " + value + " WHERE position = ?").param(middle).update();
            try {
                assertBrokenAt(middle, "link " + middle);
            } finally {
                db.sql("UPDATE audit_chain SET " + column + " = ? WHERE position = ?").params(before.get(column), middle)
                        .update();
            }
        });
    }

    @Test
    void anEventEditedAndTheChainRecomputedAfterItIsFoundAtThatEvent() {
        List<Map<String, Object>> links = rows("SELECT * FROM audit_chain WHERE position >= ? ORDER BY position", middle);
        UUID event = eventAt(middle);
        String login = db.sql("SELECT actor_login FROM audit_events WHERE id = ?").param(event).query(String.class)
                .single();
        db.sql("UPDATE audit_events SET actor_login = 'mallory' WHERE id = ?").param(event).update();
        try {
            recomputeWithoutTheKey(middle);
            assertBrokenAt(middle, "was changed");
        } finally {
            db.sql("UPDATE audit_events SET actor_login = ? WHERE id = ?").params(login, event).update();
            links.forEach(link -> db.sql("UPDATE audit_chain SET previous_hash = ?, hash = ? WHERE position = ?")
                    .params(link.get("previous_hash"), link.get("hash"), link.get("position")).update());
        }
    }

    @Test
    void linksRecomputedWithoutTheKeyAreFoundAsADowngrade() {
        List<Map<String, Object>> links = rows("SELECT * FROM audit_chain WHERE position >= ? ORDER BY position", middle);
        try {
            recomputeWithoutTheKey(middle);
            assertBrokenAt(middle, "not keyed");
        } finally {
            links.forEach(link -> db.sql("UPDATE audit_chain SET previous_hash = ?, hash = ? WHERE position = ?")
                    .params(link.get("previous_hash"), link.get("hash"), link.get("position")).update());
        }
    }

    @Test
    void anEventDeletedInTheMiddleWithItsLinkLeavesAGap() {
        List<Map<String, Object>> link = rows("SELECT * FROM audit_chain WHERE position = ?", middle);
        List<Map<String, Object>> event = rows("SELECT * FROM audit_events WHERE id = ?", eventAt(middle));
        db.sql("DELETE FROM audit_chain WHERE position = ?").param(middle).update();
        db.sql("DELETE FROM audit_events WHERE id = ?").param(event.getFirst().get("id")).update();
        try {
            assertBrokenAt(middle, "link " + middle + " is missing");
        } finally {
            insert("audit_events", event);
            insert("audit_chain", link);
        }
    }

    @Test
    void theLastEventsDeletedWithTheirLinksAreFoundByTheHeadWrittenOutsideTheDatabase() {
        List<Map<String, Object>> links = rows("SELECT * FROM audit_chain WHERE position >= ? ORDER BY position", middle);
        List<Map<String, Object>> events = rows("""
                SELECT e.* FROM audit_events e JOIN audit_chain c ON c.event_id = e.id WHERE c.position >= ?""", middle);
        db.sql("DELETE FROM audit_chain WHERE position >= ?").param(middle).update();
        events.forEach(event -> db.sql("DELETE FROM audit_events WHERE id = ?").param(event.get("id")).update());
        try {
            assertBrokenAt(middle, "the last events and their links were removed");
        } finally {
            insert("audit_events", events);
            insert("audit_chain", links);
        }
    }

    @Test
    void emptyingTheAuditTablesIsFound() {
        Map<String, List<Map<String, Object>>> all = new LinkedHashMap<>();
        for (String table : List.of("audit_events", "audit_unlinked", "audit_keying", "audit_chain")) {
            all.put(table, rows("SELECT * FROM " + table));
        }
        if (TestDatabase.isPostgres()) {
            db.sql("TRUNCATE audit_chain, audit_unlinked, audit_events, audit_keying").update();
        } else {
            for (String table : List.of("audit_chain", "audit_unlinked", "audit_events", "audit_keying")) {
                db.sql("DELETE FROM " + table).update();
            }
        }
        try {
            assertBrokenAt(1L, "the audit tables were emptied");
        } finally {
            db.sql("DELETE FROM audit_keying").update();
            all.forEach(this::insert);
        }
    }

    @Test
    void swappingTwoLinksIsFoundAtTheFirst() {
        db.sql("UPDATE audit_chain SET position = -1 WHERE position = ?").param(middle).update();
        db.sql("UPDATE audit_chain SET position = ? WHERE position = ?").params(middle, last).update();
        db.sql("UPDATE audit_chain SET position = ? WHERE position = -1").param(last).update();
        try {
            assertBrokenAt(middle, "does not follow");
        } finally {
            db.sql("UPDATE audit_chain SET position = -1 WHERE position = ?").param(middle).update();
            db.sql("UPDATE audit_chain SET position = ? WHERE position = ?").params(middle, last).update();
            db.sql("UPDATE audit_chain SET position = ? WHERE position = -1").param(last).update();
        }
    }

    @Test
    void anEventForgedWithItsQueueRowIsNamedAsForgedAndNeverLinked() {
        UUID forged = forge();
        db.sql("INSERT INTO audit_unlinked (event_id, occurred_at) SELECT id, occurred_at FROM audit_events WHERE id = ?")
                .param(forged).update();
        try {
            JsonNode verification = verification();
            assertThat(verification.path("intact").asBoolean()).as(verification.toString()).isFalse();
            assertThat(verification.path("eventId").asString()).isEqualTo(forged.toString());
            assertThat(verification.path("problem").asString()).contains(forged.toString()).contains("forged")
                    .doesNotContain("removed");
            assertThat(db.sql("SELECT COUNT(*) FROM audit_chain WHERE event_id = ?").param(forged).query(Long.class)
                    .single()).as("the forged event is not linked").isZero();
        } finally {
            db.sql("DELETE FROM audit_unlinked WHERE event_id = ?").param(forged).update();
            db.sql("DELETE FROM audit_events WHERE id = ?").param(forged).update();
        }
    }

    @Test
    void forgedEventsStayInTheQueueAndHoldUpNoEventQueuedBehindThem() throws Exception {
        // more than the linker reads in one batch (500), queued before the honest event below
        List<UUID> forged = new ArrayList<>();
        for (int i = 0; i < 501; i++) {
            forged.add(UUID.randomUUID());
        }
        try (PreparedStatement events = connection.prepareStatement("""
                INSERT INTO audit_events (id, occurred_at, actor_id, actor_login, action, entity_type, entity_id,
                    site_id, changes, request_id, client_address)
                SELECT ?, occurred_at, actor_id, actor_login, 'REPORT_APPROVED', entity_type, entity_id, site_id,
                    changes, request_id, client_address
                  FROM audit_events WHERE id = ?""");
                PreparedStatement queue = connection.prepareStatement("""
                        INSERT INTO audit_unlinked (event_id, occurred_at)
                        SELECT id, occurred_at FROM audit_events WHERE id = ?""")) {
            for (UUID id : forged) {
                events.setObject(1, id);
                events.setObject(2, eventAt(last));
                events.addBatch();
                queue.setObject(1, id);
                queue.addBatch();
            }
            events.executeBatch();
            queue.executeBatch();
        }
        String report = draft(worker, site, DAY.plusDays(DAYS.incrementAndGet()));
        try {
            JsonNode verification = verification();

            assertThat(verification.path("intact").asBoolean()).as(verification.toString()).isFalse();
            assertThat(verification.path("problem").asString()).contains("forged").contains("waits in the queue");
            assertThat(db.sql("""
                    SELECT COUNT(*) FROM audit_chain c JOIN audit_events e ON e.id = c.event_id
                     WHERE e.entity_id = ?""").param(report).query(Long.class).single())
                    .as("the honest event behind them, linked").isOne();
            assertThat(db.sql("SELECT COUNT(*) FROM audit_unlinked u JOIN audit_events e ON e.id = u.event_id"
                    + " WHERE e.action = 'REPORT_APPROVED' AND NOT EXISTS (SELECT 1 FROM audit_chain c"
                    + " WHERE c.event_id = u.event_id)").query(Long.class).single())
                    .as("the forged events, still queued and not linked").isGreaterThanOrEqualTo(501);
        } finally {
            for (UUID id : forged) {
                db.sql("DELETE FROM audit_unlinked WHERE event_id = ?").param(id).update();
                db.sql("DELETE FROM audit_events WHERE id = ?").param(id).update();
            }
        }
    }

    @Test
    void aQueueRowWrittenAtAnOddTimeHoldsUpNoEventQueuedBeforeIt() {
        // the application's role may insert into the queue: rows at times past year 9999 (and, on PostgreSQL, at
        // infinity) are read last, in the same batch as the honest event below
        List<UUID> forged = new ArrayList<>();
        UUID farFuture = forge();
        forged.add(farFuture);
        db.sql("INSERT INTO audit_unlinked (event_id, occurred_at) VALUES (?, ?)")
                .params(farFuture, OffsetDateTime.of(10000, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC)).update();
        if (TestDatabase.isPostgres()) {
            UUID infinite = forge();
            forged.add(infinite);
            db.sql("INSERT INTO audit_unlinked (event_id, occurred_at) VALUES (?, 'infinity')").param(infinite).update();
        }
        String report = draft(worker, site, DAY.plusDays(DAYS.incrementAndGet()));
        try {
            JsonNode verification = verification();

            assertThat(verification.path("problem").asString()).as(verification.toString()).contains("forged");
            assertThat(db.sql("""
                    SELECT COUNT(*) FROM audit_chain c JOIN audit_events e ON e.id = c.event_id
                     WHERE e.entity_id = ?""").param(report).query(Long.class).single())
                    .as("the honest event queued before them, linked").isOne();
            assertThat(db.sql("""
                    SELECT COUNT(*) FROM audit_unlinked u JOIN audit_events e ON e.id = u.event_id
                     WHERE e.entity_id = ?""").param(report).query(Long.class).single())
                    .as("and out of the queue").isZero();
        } finally {
            for (UUID id : forged) {
                db.sql("DELETE FROM audit_unlinked WHERE event_id = ?").param(id).update();
                db.sql("DELETE FROM audit_events WHERE id = ?").param(id).update();
            }
        }
    }

    @Test
    void anEventForgedWithoutAQueueRowIsNamedAsForgedNotAsRemovedEvents() {
        UUID forged = forge();
        try {
            JsonNode verification = verification();
            assertThat(verification.path("intact").asBoolean()).as(verification.toString()).isFalse();
            assertThat(verification.path("eventId").asString()).isEqualTo(forged.toString());
            assertThat(verification.path("problem").asString()).contains("forged").doesNotContain("removed");
        } finally {
            db.sql("DELETE FROM audit_events WHERE id = ?").param(forged).update();
        }
    }

    @Test
    void anEventTakenOutOfTheQueueBeforeItWasLinkedIsNamed() {
        String report = draft(worker, site, DAY.plusDays(DAYS.incrementAndGet()));
        List<Map<String, Object>> queued = rows("""
                SELECT u.* FROM audit_unlinked u JOIN audit_events e ON e.id = u.event_id
                 WHERE e.entity_id = ?""", report);
        assertThat(queued).as("the linker runs hourly in tests, so the new event still waits").hasSize(1);
        db.sql("DELETE FROM audit_unlinked WHERE event_id = ?").param(queued.getFirst().get("event_id")).update();
        try {
            JsonNode verification = verification();
            assertThat(verification.path("intact").asBoolean()).as(verification.toString()).isFalse();
            assertThat(verification.path("eventId").asString()).isEqualTo(queued.getFirst().get("event_id").toString());
            assertThat(verification.path("problem").asString()).contains("taken out of the queue");
        } finally {
            insert("audit_unlinked", queued);
        }
    }

    @Test
    void removingTheRecordOfWhereKeyedLinksBeginIsFound() {
        List<Map<String, Object>> keying = rows("SELECT * FROM audit_keying");
        db.sql("DELETE FROM audit_keying").update();
        try {
            assertBrokenAt(1L, "audit_keying) is missing");
        } finally {
            insert("audit_keying", keying);
        }
    }

    @Test
    void editingTheHeadFileIsFound() throws Exception {
        Path file = Path.of(environment.getProperty("fieldbook.audit.head-file"));
        String heads = Files.readString(file);
        String[] lastLine = heads.strip().lines().reduce((a, b) -> b).orElseThrow().split(" ");
        Files.writeString(file, heads + (Long.parseLong(lastLine[0]) + 5) + " " + lastLine[1] + " " + lastLine[2] + " "
                + lastLine[3] + "\n");
        try {
            JsonNode verification = verification();
            assertThat(verification.path("intact").asBoolean()).isFalse();
            assertThat(verification.path("problem").asString()).contains("is not signed");
        } finally {
            Files.writeString(file, heads);
        }
    }

    private void assertBrokenAt(long position, String problem) {
        JsonNode verification = verification();
        assertThat(verification.path("intact").asBoolean()).as(verification.toString()).isFalse();
        assertThat(verification.path("firstBrokenPosition").asLong()).as(verification.toString()).isEqualTo(position);
        assertThat(verification.path("problem").asString()).contains(problem);
    }

    private JsonNode verification() {
        return expect(world.admin().get("/api/v1/audit/verification"), 200).body();
    }

    private UUID eventAt(long position) {
        return db.sql("SELECT event_id FROM audit_chain WHERE position = ?").param(position).query(UUID.class).single();
    }

    /** What someone without the key can do: recompute the links from here on as the unkeyed chain did. */
    private void recomputeWithoutTheKey(long from) {
        String previous = db.sql("SELECT hash FROM audit_chain WHERE position = ?").param(from - 1).query(String.class)
                .single();
        for (Map<String, Object> link : rows("SELECT * FROM audit_chain WHERE position >= ? ORDER BY position", from)) {
            Map<String, Object> event = rows("SELECT * FROM audit_events WHERE id = ?", link.get("event_id")).getFirst();
            String canonical = String.join("\u001f", event.get("id").toString(), instant(event.get("occurred_at")),
                    String.valueOf(event.get("actor_id")), String.valueOf(event.get("actor_login")),
                    (String) event.get("action"), (String) event.get("entity_type"),
                    String.valueOf(event.get("entity_id")), String.valueOf(event.get("site_id")),
                    String.valueOf(event.get("changes")), String.valueOf(event.get("request_id")),
                    String.valueOf(event.get("client_address")));
            String hash = sha256(previous + "|" + canonical);
            db.sql("UPDATE audit_chain SET previous_hash = ?, hash = ? WHERE position = ?")
                    .params(previous, hash, link.get("position")).update();
            previous = hash;
        }
    }

    /** An event written into the database directly, as the server would have written it, but without its seal. */
    private UUID forge() {
        UUID id = UUID.randomUUID();
        db.sql("""
                INSERT INTO audit_events (id, occurred_at, actor_id, actor_login, action, entity_type, entity_id,
                    site_id, changes, request_id, client_address)
                SELECT ?, occurred_at, actor_id, actor_login, 'REPORT_APPROVED', entity_type, entity_id, site_id,
                    changes, request_id, client_address
                  FROM audit_events WHERE id = ?""").params(id, eventAt(last)).update();
        return id;
    }

    private List<Map<String, Object>> rows(String sql, Object... parameters) {
        return db.sql(sql).params(parameters).query((ResultSet rs, int n) -> {
            ResultSetMetaData meta = rs.getMetaData();
            Map<String, Object> row = new LinkedHashMap<>();
            for (int column = 1; column <= meta.getColumnCount(); column++) {
                row.put(meta.getColumnName(column).toLowerCase(), rs.getObject(column));
            }
            return row;
        }).list();
    }

    private void insert(String table, List<Map<String, Object>> rows) {
        for (Map<String, Object> row : rows) {
            List<String> columns = new ArrayList<>(row.keySet());
            db.sql("INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES ("
                    + String.join(", ", columns.stream().map(c -> "?").toList()) + ")")
                    .params(columns.stream().map(row::get).toList()).update();
        }
    }

    private static String instant(Object timestamp) {
        return switch (timestamp) {
            case java.time.OffsetDateTime at -> at.toInstant().toString();
            case java.sql.Timestamp at -> at.toInstant().toString();
            default -> throw new IllegalArgumentException(timestamp.getClass().getName());
        };
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The scraped count of events waiting to be linked, once it meets {@code expected} (10 s at most). */
    private double unlinkedOnceCounted(java.util.function.DoublePredicate expected) {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
        double count;
        do {
            count = Scrape.of(Scrape.prometheus(port)).value("fieldbook_audit_events_unlinked", Map.of()).orElseThrow();
            if (expected.test(count)) {
                return count;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        } while (System.nanoTime() < deadline);
        return count;
    }
}
