package app.fieldbook.load;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.listFeeder;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.time.YearMonth;
import java.util.List;

/**
 * The peaks' database (issue 13): the {@link PeakWorld} through the API, then years of reports with COPY and
 * photos through the API ({@link PeakSeed}), checked against the server's month-end and report list. Its
 * scenario is one manager opening this month's month-end once, so that the server has read the new data
 * before the peaks measure it.
 */
public class PeakSeedSimulation extends Simulation {

    private final LoadSettings settings = LoadSettings.fromSystemProperties();
    private final PeakSettings peak = PeakSettings.fromSystemProperties();
    private final PeakWorld world = PeakWorld.prepare(settings, peak);

    {
        try {
            Summary.publish(settings, "peak-seed", new PeakSeed(settings, peak, world).run());
        } catch (Exception e) {
            throw new IllegalStateException("seeding failed: " + e.getMessage(), e);
        }
        ScenarioBuilder look = scenario("a manager looks")
                .feed(listFeeder(PeakWorld.records(List.of(world.managers().getFirst()), world.sites())))
                .exec(Api.signIn(world.password()))
                .exec(http("month-end").get("/api/v1/insights/month-end")
                        .queryParam("month", YearMonth.now().toString()).queryParam("portfolioId", "#{portfolioId}")
                        .header("Authorization", "Bearer #{token}").check(status().is(200)));
        setUp(look.injectOpen(atOnceUsers(1))).protocols(Api.protocol(settings))
                .assertions(global().failedRequests().count().is(0L));
    }
}
