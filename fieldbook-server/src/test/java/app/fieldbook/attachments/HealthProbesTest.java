package app.fieldbook.attachments;

import static org.assertj.core.api.Assertions.assertThat;

import app.fieldbook.Api;
import app.fieldbook.FullStackTest;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A running node answers both probes UP, to anyone, without details; readiness names the database, the photo
 * store and the disk (a name that is no health indicator stops the start), see {@link ReadinessTest} for DOWN.
 */
@FullStackTest
class HealthProbesTest {

    @LocalServerPort
    int port;

    @Test
    void aRunningNodeIsLiveAndReadyAndShowsNoDetails() {
        Api anonymous = Api.anonymous(port);
        for (String probe : new String[] {"/actuator/health/liveness", "/actuator/health/readiness"}) {
            Api.Answer answer = anonymous.get(probe);
            assertThat(answer.status()).as(probe).isEqualTo(200);
            assertThat(answer.body().path("status").asString()).isEqualTo("UP");
            assertThat(answer.body().has("components")).as("no details to anonymous callers").isFalse();
        }
    }
}
