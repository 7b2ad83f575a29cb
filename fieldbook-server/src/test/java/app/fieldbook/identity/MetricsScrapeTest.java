package app.fieldbook.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.fieldbook.Api;
import app.fieldbook.Fixtures;
import app.fieldbook.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.ContextConfiguration;

/**
 * The metrics are Prometheus's to scrape with a token of its own, and nobody else's but administrators';
 * and every metric the alert rules in {@code monitoring/prometheus} watch is one the server really exposes.
 */
@Tag("database")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "fieldbook.identity.metrics-token=" + MetricsScrapeTest.SCRAPE_TOKEN)
@ContextConfiguration(initializers = TestDatabase.class)
@ActiveProfiles("test")
class MetricsScrapeTest {

    static final String SCRAPE_TOKEN = "prometheus-scrapes-with-this-token-0123456789";
    private static final Path RULES = Path.of("..", "monitoring", "prometheus", "fieldbook-alerts.yml");
    /** A metric in a rule's expression: a name followed by its label matchers. */
    private static final Pattern METRIC = Pattern.compile("\\b([a-z][a-z0-9_]*)\\{");

    @LocalServerPort
    int port;

    @Test
    void theScrapeTokenOpensTheMetricsAndNothingElse() {
        Api prometheus = Api.anonymous(port).withToken(SCRAPE_TOKEN);
        Api.Answer metrics = prometheus.get(MetricsScrape.PATH);
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.contentType()).startsWith("text/plain");
        assertThat(text(metrics)).contains("fieldbook_photo_storage_used_ratio", "hikaricp_connections_max");

        assertThat(prometheus.get("/api/v1/sites").status()).isEqualTo(401);
        assertThat(prometheus.get("/api/v1/auth/me").status()).isEqualTo(401);
        assertThat(prometheus.get("/actuator/env").status()).isIn(401, 403, 404);
    }

    @Test
    void nobodyButAdministratorsReadsTheMetricsWithoutTheToken() {
        Fixtures world = new Fixtures(port);
        assertThat(Api.anonymous(port).get(MetricsScrape.PATH).status()).isEqualTo(401);
        assertThat(Api.anonymous(port).withToken(SCRAPE_TOKEN + "x").get(MetricsScrape.PATH).status()).isEqualTo(401);
        assertThat(world.worker(world.site()).api().get(MetricsScrape.PATH).status()).isEqualTo(403);
        assertThat(world.executive().api().get(MetricsScrape.PATH).status()).isEqualTo(403);
        assertThat(world.admin().get(MetricsScrape.PATH).status()).isEqualTo(200);
    }

    @Test
    void aScrapeTokenTooShortToBeSafeStopsTheStart() {
        assertThatThrownBy(() -> new MetricsScrape("short-token")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("fieldbook.identity.metrics-token");
    }

    @Test
    void everyMetricTheAlertRulesWatchIsExposed() throws Exception {
        Set<String> watched = new TreeSet<>();
        Matcher metric = METRIC.matcher(Files.readString(RULES));
        while (metric.find()) {
            watched.add(metric.group(1));
        }
        watched.remove("up");
        assertThat(watched).contains("http_server_requests_seconds_bucket", "hikaricp_connections_pending",
                "fieldbook_photo_storage_used_ratio", "tasks_scheduled_execution_seconds_count");

        Api prometheus = Api.anonymous(port).withToken(SCRAPE_TOKEN);
        new Fixtures(port).admin().get("/api/v1/sites");
        Set<String> missing = missingFrom(prometheus, watched);
        // the background jobs' series appear after their first run, a few seconds after the start
        for (int attempt = 0; attempt < 60 && !missing.isEmpty(); attempt++) {
            Thread.sleep(500);
            missing = missingFrom(prometheus, watched);
        }
        assertThat(missing).as("metrics the rules watch that the server does not expose").isEmpty();
    }

    private static Set<String> missingFrom(Api prometheus, Set<String> watched) {
        String exposed = text(prometheus.get(MetricsScrape.PATH));
        Set<String> missing = new TreeSet<>();
        for (String name : watched) {
            if (!Pattern.compile("(?m)^" + name + "[{ ]").matcher(exposed).find()) {
                missing.add(name);
            }
        }
        return missing;
    }

    private static String text(Api.Answer answer) {
        return new String(answer.raw().body(), StandardCharsets.UTF_8);
    }
}
