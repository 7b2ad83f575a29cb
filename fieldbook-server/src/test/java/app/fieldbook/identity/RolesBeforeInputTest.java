package app.fieldbook.identity;

import static org.assertj.core.api.Assertions.assertThat;

import app.fieldbook.Api;
import app.fieldbook.Fixtures;
import app.fieldbook.Fixtures.Person;
import app.fieldbook.FullStackTest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/** A caller without the role an endpoint needs is answered 403 before its input is read: no field errors. */
@FullStackTest
class RolesBeforeInputTest {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Test
    void aWorkerSendingInvalidInputToTheAdministrationApiIsForbiddenNotToldWhatIsInvalid() {
        Fixtures world = new Fixtures(port);
        String site = world.site();
        Person worker = world.worker(site);
        long users = jdbc.sql("SELECT COUNT(*) FROM users").query(Long.class).single();
        long sites = jdbc.sql("SELECT COUNT(*) FROM sites").query(Long.class).single();

        assertForbidden(worker.api().post("/api/v1/users", Map.of("login", "")));
        assertForbidden(worker.api().post("/api/v1/sites", Map.of("code", "")));
        assertForbidden(worker.api().post("/api/v1/portfolios", Map.of()));
        assertForbidden(worker.api().sendJson("PUT", "/api/v1/users/" + worker.id() + "/sites", "{\"siteIds\":\"x\"}"));
        assertForbidden(worker.api().sendJson("POST", "/api/v1/sites", "{not json"));

        assertThat(jdbc.sql("SELECT COUNT(*) FROM users").query(Long.class).single()).isEqualTo(users);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM sites").query(Long.class).single()).isEqualTo(sites);
        // an administrator still gets the field errors
        Api.Answer invalid = world.admin().post("/api/v1/sites", Map.of("code", ""));
        assertThat(invalid.status()).as(invalid.toString()).isEqualTo(400);
    }

    private static void assertForbidden(Api.Answer answer) {
        assertThat(answer.status()).as(answer.toString()).isEqualTo(403);
        assertThat(answer.problemType()).endsWith("/forbidden");
        assertThat(answer.body().has("errors")).isFalse();
    }
}
