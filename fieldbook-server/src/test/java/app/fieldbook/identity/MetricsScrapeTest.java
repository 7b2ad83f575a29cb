package app.fieldbook.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.fieldbook.Api;
import app.fieldbook.Fixtures;
import app.fieldbook.TestDatabase;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.ContextConfiguration;

/**
 * The metrics are Prometheus's to scrape with a token of its own, and nobody else's, not even administrators'.
 * (That the alert rules watch only metrics the server exposes: {@code AlertRulesAndDashboardTest}.)
 */
@Tag("database")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "fieldbook.identity.metrics-token=" + MetricsScrapeTest.SCRAPE_TOKEN)
@ContextConfiguration(initializers = TestDatabase.class)
@ActiveProfiles("test")
class MetricsScrapeTest {

    static final String SCRAPE_TOKEN = "prometheus-scrapes-with-this-token-0123456789";

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
    void nobodyReadsTheMetricsWithoutTheToken() {
        Fixtures world = new Fixtures(port);
        assertThat(Api.anonymous(port).get(MetricsScrape.PATH).status()).isEqualTo(401);
        assertThat(Api.anonymous(port).withToken(SCRAPE_TOKEN + "x").get(MetricsScrape.PATH).status()).isEqualTo(401);
        assertThat(world.worker(world.site()).api().get(MetricsScrape.PATH).status()).isEqualTo(403);
        assertThat(world.executive().api().get(MetricsScrape.PATH).status()).isEqualTo(403);
        assertThat(world.admin().get(MetricsScrape.PATH).status()).isEqualTo(403);
    }

    @Test
    void aScrapeTokenTooShortToBeSafeStopsTheStart() {
        assertThatThrownBy(() -> new MetricsScrape("short-token")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("fieldbook.identity.metrics-token");
    }

    private static String text(Api.Answer answer) {
        return new String(answer.raw().body(), StandardCharsets.UTF_8);
    }
}
