package app.fieldbook.reports;

import static app.fieldbook.Fixtures.created;
import static app.fieldbook.Fixtures.expect;
import static org.assertj.core.api.Assertions.assertThat;

import app.fieldbook.Api;
import app.fieldbook.Fixtures;
import app.fieldbook.Fixtures.Person;
import app.fieldbook.FullStackTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A report list's total, kept between lists (ADR 0038), follows every change made through this server on the next
 * list: a report filed, submitted, approved and deleted, and a site newly assigned; and a report of another site
 * leaves a site's total as it was.
 */
@FullStackTest
class ReportListTotalTest {

    @LocalServerPort
    int port;

    @Test
    void theTotalFollowsEveryChangeOnTheNextList() {
        Fixtures world = new Fixtures(port);
        String site = world.site();
        String other = world.site();
        Person worker = world.worker(site, other);
        Person manager = world.manager(world.portfolio(site, other));
        assertThat(total(manager, "siteId=" + site)).isZero();
        assertThat(total(manager, "")).isZero();

        String id = created(worker.api().post("/api/v1/reports", Map.of("siteId", site, "date", "2024-05-02",
                "content", Map.of("workPerformed", "Formwork"))));
        assertThat(total(manager, "siteId=" + site)).isEqualTo(1);
        assertThat(total(manager, "siteId=" + site + "&status=SUBMITTED")).isZero();
        assertThat(total(manager, "")).isEqualTo(1);

        expect(worker.api().post("/api/v1/reports/" + id + "/submit"), 200);
        assertThat(total(manager, "siteId=" + site + "&status=SUBMITTED")).isEqualTo(1);
        expect(manager.api().post("/api/v1/reports/" + id + "/approve"), 200);
        assertThat(total(manager, "siteId=" + site + "&status=SUBMITTED")).isZero();
        assertThat(total(manager, "siteId=" + site + "&status=APPROVED")).isEqualTo(1);

        created(worker.api().post("/api/v1/reports", Map.of("siteId", other, "date", "2024-05-02",
                "content", Map.of("workPerformed", "Rebar"))));
        assertThat(total(manager, "siteId=" + site)).isEqualTo(1);
        assertThat(total(manager, "siteId=" + other)).isEqualTo(1);
        assertThat(total(manager, "")).isEqualTo(2);

        String draft = created(worker.api().post("/api/v1/reports", Map.of("siteId", site, "date", "2024-05-03",
                "content", Map.of("workPerformed", "Stripping"))));
        assertThat(total(worker, "siteId=" + site)).isEqualTo(2);
        expect(worker.api().delete("/api/v1/reports/" + draft + "?version=1"), 204);
        assertThat(total(worker, "siteId=" + site)).isEqualTo(1);
        assertThat(total(manager, "siteId=" + site)).isEqualTo(1);

        Person newcomer = world.manager(world.portfolio(other));
        assertThat(total(newcomer, "")).isEqualTo(1);
        Api.Answer assigned = world.admin().put("/api/v1/users/" + newcomer.id() + "/portfolios",
                Map.of("portfolioIds", List.of(world.portfolio(site, other))));
        assertThat(assigned.status()).isEqualTo(200);
        assertThat(total(newcomer, "")).isEqualTo(2);
    }

    private static long total(Person person, String query) {
        return expect(person.api().get("/api/v1/reports?" + query), 200).body().path("total").asLong();
    }
}
