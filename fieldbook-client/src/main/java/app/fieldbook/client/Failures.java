package app.fieldbook.client;

import app.fieldbook.client.http.RequestFailed;
import app.fieldbook.client.store.LocalStore;

/**
 * What a failed request means to the application: the client is too old (426, remembered for
 * {@link FieldbookClient#state()}), the sign-in is no longer accepted (401, the token forgotten), the
 * person must first choose their own password (403), the server cannot be reached now, or it refused.
 */
final class Failures {

    /** What a person must do when an administrator chose their password. */
    static final String CHOOSE_PASSWORD = "An administrator chose this account's password: choose your own"
            + " (at least 12 characters) before anything else, with 'fieldbook password' on the command line or in"
            + " the web app.";

    private final LocalStore store;
    private final ClientVersion version;

    Failures(LocalStore store, ClientVersion version) {
        this.store = store;
        this.version = version;
    }

    RuntimeException translated(RequestFailed failure) {
        if (failure.status() == 426) {
            String minimum = failure.problem().property("minimumClientVersion").orElse(null);
            store.device().minimumClientVersion(minimum == null ? "unknown" : minimum);
            return new ClientUpdateRequired(version.release(), minimum);
        }
        if (failure.status() == 403 && failure.problem().typeEndsWith("/password-change-required")) {
            return new PasswordChangeRequired(CHOOSE_PASSWORD);
        }
        if (failure.status() == 401) {
            store.device().forgetToken();
            return new NotSignedIn("The server no longer accepts this device's sign-in: sign in again.");
        }
        if (failure.kind() != RequestFailed.Kind.ANSWERED || failure.transientFailure()) {
            return new ServerUnreachable(failure.describe() + " Try again when online.", failure);
        }
        return new ServerRefused(failure.describe(), failure.status(), failure.problem().type());
    }
}
