package app.fieldbook.client;

import app.fieldbook.client.http.RequestFailed;
import app.fieldbook.client.http.SyncApi;
import app.fieldbook.client.store.LocalStore;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.Optional;
import tools.jackson.databind.json.JsonMapper;

/**
 * Who the device works for and with which server: signing in and out, the bearer token, and switching
 * person or server, which forgets the previous one's data and is refused while its changes wait.
 */
final class Session {

    private final LocalStore store;
    private final JsonMapper json;
    private final Clock clock;
    private final Failures failures;

    Session(LocalStore store, JsonMapper json, Clock clock, Failures failures) {
        this.store = store;
        this.json = json;
        this.clock = clock;
        this.failures = failures;
    }

    Account signIn(SyncApi api, String login, char[] password, String code, String label) {
        requireServer();
        Optional<Account> previous = account();
        if (previous.isPresent() && !previous.get().login().equalsIgnoreCase(login)) {
            requireNothingWaiting(store, json, "signing in as " + login);
        }
        SyncApi.TokenIssued issued;
        try {
            issued = api.issueToken(login, new String(password), label, code);
        } catch (RequestFailed failure) {
            if (failure.status() == 401 && failure.problem().typeEndsWith("/second-factor-required")) {
                throw new SecondFactorRequired("This account has a second factor: give the code of your"
                        + " authenticator app, or one of your recovery codes.");
            }
            if (failure.status() == 401 && failure.problem().typeEndsWith("/second-factor-refused")) {
                throw new SignInRefused("The code is wrong or was used before.", null);
            }
            if (failure.status() == 403 && failure.problem().typeEndsWith("/second-factor-enrolment-required")) {
                throw new SignInRefused(failure.problem().describe(), null);
            }
            if (failure.status() == 401) {
                throw new SignInRefused("Wrong login or password.", null);
            }
            if (failure.status() == 429) {
                Duration wait = failure.retryAfter().orElse(null);
                throw new SignInRefused("Too many failed sign-ins; try again"
                        + (wait == null ? " later." : " in " + describe(wait) + "."), wait);
            }
            throw failures.translated(failure);
        }
        Account account = issued.user();
        store.inTransaction(() -> {
            if (previous.isPresent() && !previous.get().id().equals(account.id())) {
                requireNothingWaiting(store, json, "signing in as " + login);
                store.forgetReplica();
            }
            store.device().signedIn(issued.token(), issued.expiresAt(), json.writeValueAsString(account));
        });
        if (issued.passwordChangeRequired()) {
            throw new PasswordChangeRequired(Failures.CHOOSE_PASSWORD);
        }
        return account;
    }

    /**
     * Changes the signed-in person's password; a password the server's policy refuses is answered with its
     * reasons, a wrong current password as such.
     */
    void changePassword(SyncApi api, char[] current, char[] chosen) {
        requireSignedIn();
        try {
            api.changePassword(new String(current), new String(chosen));
        } catch (RequestFailed failure) {
            if (failure.status() == 400 && !failure.problem().errorMessages().isEmpty()) {
                throw new ServerRefused("The new password is not accepted: "
                        + String.join("; ", failure.problem().errorMessages()) + ".", 400, failure.problem().type());
            }
            if (failure.status() == 403 && failure.problem().typeEndsWith("/wrong-password")) {
                throw new SignInRefused("The current password is wrong.", null);
            }
            if (failure.status() == 429) {
                Duration wait = failure.retryAfter().orElse(null);
                throw new SignInRefused("Too many wrong passwords; try again"
                        + (wait == null ? " later." : " in " + describe(wait) + "."), wait);
            }
            throw failures.translated(failure);
        }
    }

    Optional<Account> account() {
        return store.device().accountJson().map(text -> json.readValue(text, Account.class));
    }

    /** The token, unless it has expired. */
    Optional<String> validToken() {
        Optional<OffsetDateTime> expiresAt = store.device().tokenExpiresAt();
        if (expiresAt.isPresent() && !expiresAt.get().toInstant().isAfter(clock.instant())) {
            return Optional.empty();
        }
        return store.device().token();
    }

    Account requireAccount() {
        return account().orElseThrow(() -> new NotSignedIn(
                "Sign in once before writing reports: the changes on this device belong to the person signed in."));
    }

    /** Before talking to the server: a server is set and a token is valid. */
    void requireSignedIn() {
        requireServer();
        if (validToken().isEmpty()) {
            throw new NotSignedIn("Not signed in, or the sign-in has expired: sign in again.");
        }
    }

    void requireServer() {
        if (store.device().server().isEmpty()) {
            throw new NotSignedIn("No server is set for this device: sign in with the server's address first.");
        }
    }

    /**
     * Makes {@code server} the store's server. Another server than the store's forgets the previous
     * server's data, and is refused while changes for it wait.
     */
    static void useServer(LocalStore store, JsonMapper json, URI server) {
        String url = normalized(server);
        Optional<String> current = store.device().server();
        if (current.isPresent() && current.get().equals(url)) {
            return;
        }
        store.inTransaction(() -> {
            if (current.isPresent()) {
                requireNothingWaiting(store, json, "switching to the server " + url);
                store.forgetReplica();
            }
            store.device().server(url);
        });
    }

    private static void requireNothingWaiting(LocalStore store, JsonMapper json, String what) {
        int waiting = store.outbox().count() + store.uploads().count(PhotoUpload.State.WAITING);
        if (waiting > 0) {
            String owner = store.device().accountJson().map(text -> json.readValue(text, Account.class).login())
                    .orElse("the previous person");
            throw new ChangeRefused("This device holds " + waiting + " change(s) of " + owner
                    + " that have not reached the server. Sync them, signed in as " + owner + ", before " + what + ".");
        }
    }

    private static String normalized(URI server) {
        String scheme = server.getScheme() == null ? "" : server.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || server.getHost() == null) {
            throw new ChangeRefused("Not a server address: " + server + " (expected http:// or https://).");
        }
        return server.toString().replaceFirst("/+$", "");
    }

    private static String describe(Duration duration) {
        long seconds = Math.max(1, duration.toSeconds());
        return seconds < 120 ? seconds + " seconds" : (seconds + 59) / 60 + " minutes";
    }
}
