package app.fieldbook;

import static org.assertj.core.api.Assertions.assertThat;

import app.fieldbook.Fixtures.Person;
import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The query strings of the lists (reports by site, dates, status and author; audit events and reads by
 * entity, actor, site and time; pages of users and sites) are untrusted input: whatever query string
 * arrives, the answer is the page (200) or a refusal (400, problem+json), never a server error. The input is the query string
 * as sent, bytes that cannot stand in a URL percent-encoded; {@code {site}} stands for this world's site.
 * Inputs in {@code ListFilterFuzzTestInputs/<method>/}; {@code JAZZER_FUZZ=1} fuzzes.
 */
@FullStackTest
class ListFilterFuzzTest {

    @LocalServerPort
    int port;

    private static Fixtures world;
    private static String site;
    private static Person manager;

    @BeforeEach
    void world() {
        if (world == null || !world.admin().base().endsWith(":" + port)) {
            world = new Fixtures(port);
            site = world.site();
            Person worker = world.worker(site);
            Fixtures.draft(worker, site, java.time.LocalDate.of(2026, 9, 7));
            manager = world.manager(world.portfolio(site));
        }
    }

    @FuzzTest(maxDuration = "60s")
    void reportFiltersAreReadOrRefused(byte[] query) {
        assertAnsweredOrRefused(manager.api(), "/api/v1/reports", query);
    }

    @FuzzTest(maxDuration = "60s")
    void auditFiltersAreReadOrRefused(byte[] query) {
        assertAnsweredOrRefused(world.admin(), "/api/v1/audit/events", query);
        assertAnsweredOrRefused(world.admin(), "/api/v1/audit/reads", query);
    }

    @FuzzTest(maxDuration = "60s")
    void pagesAreReadOrRefused(byte[] query) {
        assertAnsweredOrRefused(world.admin(), "/api/v1/users", query);
        assertAnsweredOrRefused(manager.api(), "/api/v1/sites", query);
    }

    private static void assertAnsweredOrRefused(Api api, String path, byte[] query) {
        Api.Answer answer;
        try (SilentCloseable loopback = overLoopback()) {
            answer = api.get(path + "?" + urlSafe(new String(query, StandardCharsets.UTF_8).replace("{site}", site)));
        }
        assertThat(answer.status()).as("%s", answer).isIn(200, 400);
        if (answer.status() == 400) {
            assertThat(answer.isProblem()).as("%s", answer).isTrue();
        }
    }

    /** The query as a client would send it: characters a URL cannot hold percent-encoded, and a stray % too. */
    private static String urlSafe(String query) {
        String kept = encode(query, false);
        try {
            URI.create("http://localhost/?" + kept);
            return kept;
        } catch (IllegalArgumentException malformedEscape) {
            return encode(query, true);
        }
    }

    private static String encode(String query, boolean percentToo) {
        StringBuilder safe = new StringBuilder();
        for (byte b : query.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xFF);
            boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "-._~!$&'()*+,;=:@/?".indexOf(c) >= 0 || (c == '%' && !percentToo);
            safe.append(plain ? String.valueOf(c) : String.format("%%%02X", b & 0xFF));
        }
        return safe.toString();
    }

    /**
     * Lets this test's requests to its own server over loopback through Jazzer's detector of outbound
     * connections (set on each input: fuzzing starts the detector after the test's set-up).
     */
    private static SilentCloseable overLoopback() {
        return BugDetectors.allowNetworkConnections((host, port) -> host.equals("127.0.0.1") || host.equals("localhost"));
    }
}
