package app.fieldbook.identity;

import static org.assertj.core.api.Assertions.assertThat;

import app.fieldbook.Api;
import app.fieldbook.FullStackTest;
import java.net.http.HttpHeaders;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Every answer, of the API and of the web app, carries the headers that keep browsers strict. */
@FullStackTest
class SecurityHeadersTest {

    @LocalServerPort
    int port;

    @Test
    void answersCarryReferrerAndPermissionsPoliciesNosniffAndNoFraming() {
        Api anonymous = Api.anonymous(port);
        Api admin = anonymous.signIn("test-admin", "granite-kettle-orbit");
        for (Api.Answer answer : List.of(anonymous.get("/"), anonymous.get("/api/v1/reports"), admin.get("/api/v1/sites"))) {
            HttpHeaders headers = answer.raw().headers();
            assertThat(headers.firstValue("Referrer-Policy")).as(answer.raw().uri().toString()).contains("same-origin");
            assertThat(headers.firstValue("Permissions-Policy")).contains(SecurityConfiguration.PERMISSIONS_POLICY);
            assertThat(headers.firstValue("X-Content-Type-Options")).contains("nosniff");
            assertThat(headers.firstValue("X-Frame-Options")).contains("DENY");
        }
    }
}
