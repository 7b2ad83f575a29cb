package app.fieldbook.client.http;

import java.time.Duration;
import java.util.Optional;

/**
 * A request to the server that brought no usable answer: the server could not be reached, the exchange
 * broke off (the server may or may not have acted on it), or the server answered with an error.
 */
public final class RequestFailed extends RuntimeException {

    public enum Kind {
        /** No connection could be made: nothing reached the server. */
        UNREACHABLE,
        /** The connection broke or timed out after the request may have reached the server. */
        INTERRUPTED,
        /** The server answered with an error status. */
        ANSWERED
    }

    private final Kind kind;
    private final int status;
    private final Problem problem;
    private final Duration retryAfter;

    private RequestFailed(String message, Kind kind, int status, Problem problem, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.status = status;
        this.problem = problem;
        this.retryAfter = retryAfter;
    }

    public static RequestFailed unreachable(String request, Throwable cause) {
        return new RequestFailed(request + ": server unreachable (" + describe(cause) + ")", Kind.UNREACHABLE, 0, null,
                null, cause);
    }

    public static RequestFailed interrupted(String request, Throwable cause) {
        return new RequestFailed(request + ": connection lost (" + describe(cause) + ")", Kind.INTERRUPTED, 0, null,
                null, cause);
    }

    public static RequestFailed answered(String request, Problem problem, Duration retryAfter) {
        return new RequestFailed(request + ": " + problem.status() + " " + problem.describe(), Kind.ANSWERED,
                problem.status(), problem, retryAfter, null);
    }

    private static String describe(Throwable cause) {
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }

    public Kind kind() {
        return kind;
    }

    /** The HTTP status, 0 when there was no answer. */
    public int status() {
        return status;
    }

    /** The problem answered, null when there was no answer. */
    public Problem problem() {
        return problem;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** The server as a whole asks the device to slow down or come back later (429, 503). */
    public boolean serverBusy() {
        return status == 429 || status == 503;
    }

    /** Worth trying again: no answer, or an answer that says "not now" (408, 429, 5xx). */
    public boolean transientFailure() {
        return kind != Kind.ANSWERED || status == 408 || status == 429 || status >= 500;
    }

    /** What to tell a person. */
    public String describe() {
        return switch (kind) {
            case UNREACHABLE -> "The server cannot be reached.";
            case INTERRUPTED -> "The connection to the server was lost.";
            case ANSWERED -> problem.describe() + " (" + status + ")";
        };
    }
}
