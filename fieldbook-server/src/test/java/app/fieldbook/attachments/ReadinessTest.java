package app.fieldbook.attachments;

import static org.assertj.core.api.Assertions.assertThat;

import app.fieldbook.Api;
import app.fieldbook.FullStackTest;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

/**
 * A node whose photo volume is below its minimum free space is not ready (503), so a load balancer sends it no
 * new work, yet it is live (200), so nothing restarts it. Its own application context, asking for more free
 * space than any disk has.
 */
@FullStackTest
@TestPropertySource(properties = "fieldbook.attachments.minimum-free-space=1000000TB")
class ReadinessTest {

    @LocalServerPort
    int port;

    @Test
    void aFullPhotoVolumeMakesTheNodeNotReadyButLeavesItLive() {
        Api anonymous = Api.anonymous(port);
        Api.Answer readiness = anonymous.get("/actuator/health/readiness");
        assertThat(readiness.status()).isEqualTo(503);
        assertThat(readiness.body().path("status").asString()).isEqualTo("DOWN");
        Api.Answer liveness = anonymous.get("/actuator/health/liveness");
        assertThat(liveness.status()).isEqualTo(200);
        assertThat(liveness.body().path("status").asString()).isEqualTo("UP");
    }
}
