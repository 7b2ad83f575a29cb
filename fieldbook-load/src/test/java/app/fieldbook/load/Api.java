package app.fieldbook.load;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.regex;
import static io.gatling.javaapi.core.CoreDsl.responseTimeInMillis;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The calls the simulations make, with the checks that make a wrong answer count as a failed request.
 * The checks of a push use JSONPath only, so that Gatling parses each body once: the client shares the
 * cores with the server.
 * Every virtual user signs in once, correctly (the server throttles a login after 5 failures), and
 * sends its bearer token from the session attribute {@code token}.
 */
final class Api {

    private static final Pattern SITE_ID = Pattern.compile("\"id\":\"([0-9a-f-]{36})\"");

    private Api() {
    }

    /**
     * JSON in and out; each virtual user has its own connection, as each phone does. The HTTP stack warms
     * up on the server's health endpoint (never on Gatling's default outside address).
     */
    static HttpProtocolBuilder protocol(LoadSettings settings) {
        return http.baseUrl(settings.baseUrl())
                .warmUp(settings.baseUrl() + "/actuator/health")
                .acceptHeader("application/json")
                .contentTypeHeader("application/json")
                .userAgentHeader("fieldbook-load/" + SyncRequests.CLIENT_VERSION);
    }

    /** Signs in the login in session attribute {@code login}; saves {@code token} and {@code userId}. */
    static ChainBuilder signIn(String password) {
        return exec(http("sign in").post("/api/v1/auth/tokens")
                .body(StringBody("{\"login\":\"#{login}\",\"password\":\"" + password
                        + "\",\"label\":\"load test\",\"lifetimeDays\":1}"))
                .check(status().is(201), jsonPath("$.token").saveAs("token"), jsonPath("$.user.id").saveAs("userId")))
                .exitHereIfFailed();
    }

    /**
     * Pushes session attribute {@code body}, which holds {@code operations} operations, and checks that
     * the answer has a result for each and that every one is {@code APPLIED}. Saves the results' entity
     * ids and versions ({@code entityIds}, {@code versions}), the push's response time ({@code latency}),
     * and the first result that is not applied, if any ({@code refusal}).
     */
    static HttpRequestActionBuilder push(String name) {
        return http(name).post("/api/v1/sync/push")
                .header("Authorization", "Bearer #{token}")
                .body(StringBody("#{body}"))
                .check(
                        status().is(200),
                        responseTimeInMillis().saveAs("latency"),
                        jsonPath("$.results[?(@.outcome != 'APPLIED')]").optional().saveAs("refusal"),
                        jsonPath("$.results[*]").count().is(session -> session.getInt("operations")),
                        jsonPath("$.results[?(@.outcome == 'APPLIED')]").count()
                                .is(session -> session.getInt("operations")),
                        jsonPath("$.results[*].entityId").findAll().saveAs("entityIds"),
                        jsonPath("$.results[*].entityVersion").ofLong().findAll().saveAs("versions"));
    }

    /**
     * Pulls from session attribute {@code cursor} as device {@code deviceId}, holding the sites
     * {@code knownSites}; saves {@code cursor}, {@code knownSites} (the sites of the answer), {@code more}
     * ("true" or "false") and {@code pageReports}, the number of reports in the answer. A
     * download page holds thousands of reports: the checks only find these in the text, by regular
     * expression, instead of parsing megabytes of JSON on the cores the server needs (a phone parses and
     * stores on its own CPU). {@code "authorId":"} occurs once per report and in no other record of a pull.
     */
    static HttpRequestActionBuilder pull(int limit) {
        return http("pull").post("/api/v1/sync/pull")
                .header("Authorization", "Bearer #{token}")
                .body(StringBody(SyncRequests.pullTemplate(limit)))
                .check(
                        status().is(200),
                        regex("\"cursor\":\"([^\"]*)\"").saveAs("cursor"),
                        regex("\"sites\":\\[(.*?)\\],\"people\":").transform(Api::siteIdsOf).saveAs("knownSites"),
                        regex("\"more\":(true|false)").saveAs("more"),
                        regex("\"authorId\":\"").count().saveAs("pageReports"));
    }

    /** The ids in the {@code sites} of a pull's answer, as the JSON array the next pull sends. */
    private static String siteIdsOf(String sites) {
        StringBuilder ids = new StringBuilder("[");
        Matcher id = SITE_ID.matcher(sites);
        while (id.find()) {
            ids.append(ids.length() > 1 ? "," : "").append('"').append(id.group(1)).append('"');
        }
        return ids.append(']').toString();
    }
}
