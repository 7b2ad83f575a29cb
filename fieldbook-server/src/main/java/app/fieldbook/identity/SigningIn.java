package app.fieldbook.identity;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Signing in with login and password, for a web session or a bearer token, and signing out. A refused
 * sign-in is recorded (throttle and audit) and answered as a result, not an exception, so that its
 * records commit. The password is checked ({@link PasswordChecks}, slow by design) before the transaction
 * that records the outcome begins, so no database connection waits on it; that transaction reads the account
 * again and grants nothing if it changed meanwhile.
 */
@Service
class SigningIn {

    /** What a sign-in attempt came to. */
    sealed interface Outcome {
    }

    /** Signed in: {@code secret} is shown to the caller once and stored only hashed. */
    record Granted(Actor actor, UUID credentialId, String secret, OffsetDateTime expiresAt) implements Outcome {
    }

    record Refused() implements Outcome {
    }

    record Throttled(long retryAfterSeconds) implements Outcome {
    }

    private final Users users;
    private final Credentials credentials;
    private final LoginThrottle throttle;
    private final PasswordChecks passwordChecks;
    private final TransactionTemplate transactions;
    private final ApplicationEventPublisher events;
    private final IdentitySettings settings;
    private final Clock clock;
    private final String decoyHash;

    SigningIn(Users users, Credentials credentials, LoginThrottle throttle, PasswordEncoder passwords,
            PasswordChecks passwordChecks, TransactionTemplate transactions, ApplicationEventPublisher events,
            IdentitySettings settings, Clock clock) {
        this.users = users;
        this.credentials = credentials;
        this.throttle = throttle;
        this.passwordChecks = passwordChecks;
        this.transactions = transactions;
        this.events = events;
        this.settings = settings;
        this.clock = clock;
        this.decoyHash = passwords.encode(Secrets.newSecret());
    }

    public Outcome openSession(String login, String password, String clientAddress) {
        return signIn(login, password, clientAddress, Credentials.Kind.SESSION, "web session", settings.sessionLifetime());
    }

    public Outcome issueToken(String login, String password, String clientAddress, String label, Duration lifetime) {
        Duration granted = lifetime == null ? settings.tokenLifetime()
                : lifetime.compareTo(settings.maxTokenLifetime()) > 0 ? settings.maxTokenLifetime() : lifetime;
        return signIn(login, password, clientAddress, Credentials.Kind.TOKEN, label, granted);
    }

    @Transactional
    public void signOut(UUID credentialId, Actor actor, String method) {
        if (credentials.revoke(credentialId, OffsetDateTime.now(clock))) {
            events.publishEvent(new SignedOut(actor, method));
        }
    }

    private Outcome signIn(String login, String password, String address, Credentials.Kind kind, String label,
            Duration lifetime) {
        long wait = throttle.secondsUntilAllowed(login, address);
        if (wait > 0) {
            return transactions.execute(status -> {
                events.publishEvent(new SignInFailed(login, "throttled"));
                return new Throttled(wait);
            });
        }
        String checkedHash = users.findByLogin(login).map(User::passwordHash).filter(h -> h != null).orElse(decoyHash);
        boolean matches = passwordChecks.matches(password, checkedHash);
        return transactions.execute(status -> record(login, address, kind, label, lifetime, checkedHash, matches));
    }

    /** Records the outcome of a checked password, if the account is still as it was when it was checked. */
    private Outcome record(String login, String address, Credentials.Kind kind, String label, Duration lifetime,
            String checkedHash, boolean matches) {
        Optional<User> user = users.findByLogin(login);
        boolean unchanged = user.isPresent() && checkedHash.equals(user.get().passwordHash());
        if (user.isEmpty() || !matches || !unchanged || !user.get().active()) {
            throttle.recordFailure(login, address);
            String reason = user.isEmpty() ? "unknown login" : !matches ? "wrong password"
                    : !unchanged ? "password changed meanwhile" : "account disabled";
            events.publishEvent(new SignInFailed(login, reason));
            return new Refused();
        }
        throttle.clearFailures(login);
        OffsetDateTime now = OffsetDateTime.now(clock);
        String secret = Secrets.newSecret();
        UUID id = UUID.randomUUID();
        OffsetDateTime expiresAt = now.plus(lifetime);
        credentials.insert(id, user.get().id(), kind, Secrets.hash(secret), label, now, expiresAt);
        Actor actor = user.get().asActor();
        events.publishEvent(new SignedIn(actor, kind == Credentials.Kind.SESSION ? "session" : "token"));
        return new Granted(actor, id, secret, expiresAt);
    }
}
