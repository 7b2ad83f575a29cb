package app.fieldbook.client;

import java.time.Duration;
import java.util.Optional;

/** The server refused the login and password, or throttles sign-in after too many failures. */
public final class SignInRefused extends FieldbookException {

    private final Duration retryAfter;

    SignInRefused(String message, Duration retryAfter) {
        super(message, null);
        this.retryAfter = retryAfter;
    }

    /** When throttled: how long to wait before trying again. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
