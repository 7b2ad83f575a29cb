package app.fieldbook;

import java.net.URI;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * A request the domain refuses, answered as RFC 9457 {@code application/problem+json} with a stable
 * {@code type} under {@code https://fieldbook.app/problems/}. Throwing it inside a transaction rolls the
 * transaction back, so a refused request leaves nothing written.
 */
public class RejectedRequest extends ErrorResponseException {

    public static final String TYPE_BASE = "https://fieldbook.app/problems/";

    public RejectedRequest(HttpStatus status, String type, String title, String detail) {
        this(status, type, title, detail, Map.of());
    }

    public RejectedRequest(HttpStatus status, String type, String title, String detail, Map<String, Object> properties) {
        super(status, problem(status, type, title, detail, properties), null);
    }

    public static RejectedRequest notFound(String what, Object id) {
        return new RejectedRequest(HttpStatus.NOT_FOUND, "not-found", what + " not found",
                "No " + what.toLowerCase() + " " + id + " is visible to you.");
    }

    /**
     * 503 {@code server-busy} with {@code Retry-After}: overload, answered instead of crashed into; both clients
     * send the request again after the seconds it names.
     */
    public static RejectedRequest busy(String detail) {
        RejectedRequest busy = new RejectedRequest(HttpStatus.SERVICE_UNAVAILABLE, "server-busy", "Server busy", detail);
        busy.getHeaders().set(HttpHeaders.RETRY_AFTER, ServerBusy.RETRY_AFTER_SECONDS);
        return busy;
    }

    public static RejectedRequest staleVersion(String what, long given, long current) {
        return new RejectedRequest(HttpStatus.CONFLICT, "stale-version", what + " was changed meanwhile",
                "You edited version " + given + " but the current version is " + current
                        + ". Reload, apply your change again and retry.",
                Map.of("currentVersion", current));
    }

    private static ProblemDetail problem(HttpStatus status, String type, String title, String detail,
            Map<String, Object> properties) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(TYPE_BASE + type));
        problem.setTitle(title);
        properties.forEach(problem::setProperty);
        return problem;
    }
}
