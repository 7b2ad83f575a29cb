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
 * Signing in with login and password, for a web session or a bearer token, and signing out. A person with a
 * second factor ({@link SecondFactors#has}) signs in in two steps: the password opens no session but a
 * short-lived challenge, and the challenge with a code opens the session; a bearer token is issued only to a
 * request that carries the code with the password. A person whose role requires a second factor and who has
 * none gets a web session that can only enrol one ({@link CredentialFilter}), and no bearer token. A person whose
 * password an administrator chose gets a session or token that can only change it ({@code passwordChangeRequired}
 * of {@link Granted}). A refused
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

    /**
     * Signed in: {@code secret} is shown to the caller once and stored only hashed; {@code recoveryCodesLeft}
     * when a recovery code was used; {@code passwordChangeRequired} when an administrator chose the password, and
     * the session or token reaches nothing but changing it until it is changed.
     */
    record Granted(Actor actor, UUID credentialId, String secret, OffsetDateTime expiresAt, Integer recoveryCodesLeft,
            boolean passwordChangeRequired) implements Outcome {
        @Override
        public String toString() {
            return Redacted.of(this, "secret");
        }
    }

    record Refused() implements Outcome {
    }

    /** The password was right and the person has a second factor: the second step must present the challenge. */
    record SecondStepNeeded(String challenge, OffsetDateTime expiresAt) implements Outcome {
    }

    /** A bearer token was asked for without the code of the person's second factor. */
    record SecondFactorNeeded() implements Outcome {
    }

    /** The code of the second factor was wrong or used before (a web session's challenge stays usable). */
    record SecondFactorRefused() implements Outcome {
    }

    /** The second step presented a challenge that does not exist, was used, or has expired. */
    record ChallengeEnded() implements Outcome {
    }

    /** A bearer token was asked for by a person whose role requires a second factor they have not enrolled. */
    record EnrolmentRequired() implements Outcome {
    }

    record Throttled(long retryAfterSeconds) implements Outcome {
    }

    private final Users users;
    private final Credentials credentials;
    private final SecondFactors secondFactors;
    private final SignInChallenges challenges;
    private final LoginThrottle throttle;
    private final PasswordChecks passwordChecks;
    private final TransactionTemplate transactions;
    private final ApplicationEventPublisher events;
    private final IdentitySettings settings;
    private final Clock clock;
    private final String decoyHash;

    SigningIn(Users users, Credentials credentials, SecondFactors secondFactors, SignInChallenges challenges,
            LoginThrottle throttle, PasswordEncoder passwords, PasswordChecks passwordChecks,
            TransactionTemplate transactions, ApplicationEventPublisher events, IdentitySettings settings, Clock clock) {
        this.users = users;
        this.credentials = credentials;
        this.secondFactors = secondFactors;
        this.challenges = challenges;
        this.throttle = throttle;
        this.passwordChecks = passwordChecks;
        this.transactions = transactions;
        this.events = events;
        this.settings = settings;
        this.clock = clock;
        this.decoyHash = passwords.encode(Secrets.newSecret());
    }

    /** The first step of a web sign-in: a session, or for a person with a second factor a challenge. */
    public Outcome openSession(String login, String password, String clientAddress) {
        return signIn(login, password, null, clientAddress, Credentials.Kind.SESSION, "web session",
                settings.sessionLifetime());
    }

    /**
     * The second step of a web sign-in: the challenge of the first with a TOTP code or a recovery code. A wrong
     * code counts as a failed sign-in of the person; the challenge stays usable until it expires or is used.
     */
    public Outcome completeSession(String challenge, SecondFactors.Proof code, String clientAddress) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        return transactions.execute(status -> {
            Optional<User> user = challenges.findLive(Secrets.hash(challenge), now)
                    .flatMap(live -> users.findById(live.userId()));
            if (user.isEmpty() || !user.get().active()) {
                events.publishEvent(new SignInFailed(user.map(User::login).orElse(null),
                        user.isEmpty() ? "second step without a live challenge" : "account disabled"));
                return new ChallengeEnded();
            }
            String login = user.get().login();
            long wait = throttle.secondsUntilAllowed(login, clientAddress);
            if (wait > 0) {
                events.publishEvent(new SignInFailed(login, "throttled"));
                return new Throttled(wait);
            }
            return switch (secondFactors.verify(user.get(), code.code(), code.recoveryCode())) {
                case SecondFactors.Passed passed -> {
                    var live = challenges.findLive(Secrets.hash(challenge), now).orElseThrow();
                    if (!challenges.use(live.id())) {
                        status.setRollbackOnly();
                        yield new ChallengeEnded();
                    }
                    yield grant(user.get(), Credentials.Kind.SESSION, "web session", settings.sessionLifetime(),
                            passed);
                }
                case SecondFactors.Failed failed -> {
                    throttle.recordFailure(login, clientAddress);
                    events.publishEvent(new SignInFailed(login, "second factor: " + failed.reason()));
                    yield new SecondFactorRefused();
                }
                case SecondFactors.Missing missing -> new SecondFactorNeeded();
            };
        });
    }

    public Outcome issueToken(String login, String password, SecondFactors.Proof code, String clientAddress,
            String label, Duration lifetime) {
        Duration granted = lifetime == null ? settings.tokenLifetime()
                : lifetime.compareTo(settings.maxTokenLifetime()) > 0 ? settings.maxTokenLifetime() : lifetime;
        return signIn(login, password, code, clientAddress, Credentials.Kind.TOKEN, label, granted);
    }

    @Transactional
    public void signOut(UUID credentialId, Actor actor, String method) {
        if (credentials.revoke(credentialId, OffsetDateTime.now(clock))) {
            events.publishEvent(new SignedOut(actor, method));
        }
    }

    private Outcome signIn(String login, String password, SecondFactors.Proof code, String address,
            Credentials.Kind kind, String label, Duration lifetime) {
        long wait = throttle.secondsUntilAllowed(login, address);
        if (wait > 0) {
            return transactions.execute(status -> {
                events.publishEvent(new SignInFailed(login, "throttled"));
                return new Throttled(wait);
            });
        }
        String checkedHash = users.findByLogin(login).map(User::passwordHash).filter(h -> h != null).orElse(decoyHash);
        boolean matches = passwordChecks.matches(password, checkedHash);
        return transactions.execute(status -> record(login, code, address, kind, label, lifetime, checkedHash,
                matches));
    }

    /** Records the outcome of a checked password, if the account is still as it was when it was checked. */
    private Outcome record(String login, SecondFactors.Proof code, String address, Credentials.Kind kind,
            String label, Duration lifetime, String checkedHash, boolean matches) {
        Optional<User> user = users.findByLogin(login);
        boolean unchanged = user.isPresent() && checkedHash.equals(user.get().passwordHash());
        if (user.isEmpty() || !matches || !unchanged || !user.get().active()) {
            throttle.recordFailure(login, address);
            String reason = user.isEmpty() ? "unknown login" : !matches ? "wrong password"
                    : !unchanged ? "password changed meanwhile" : "account disabled";
            events.publishEvent(new SignInFailed(login, reason));
            return new Refused();
        }
        if (!secondFactors.has(user.get().id())) {
            if (kind == Credentials.Kind.TOKEN && secondFactors.requiredFor(user.get().role())) {
                events.publishEvent(new SignInFailed(login, "second factor required but not enrolled"));
                return new EnrolmentRequired();
            }
            return grant(user.get(), kind, label, lifetime, null);
        }
        if (kind == Credentials.Kind.SESSION) {
            // the failures stay counted until the second step passes: a known password must not reset them
            OffsetDateTime now = OffsetDateTime.now(clock);
            String challenge = Secrets.newSecret();
            OffsetDateTime expiresAt = now.plus(settings.secondFactor().challengeLifetime());
            challenges.insert(UUID.randomUUID(), user.get().id(), Secrets.hash(challenge), now, expiresAt);
            return new SecondStepNeeded(challenge, expiresAt);
        }
        return switch (secondFactors.verify(user.get(), code == null ? null : code.code(),
                code == null ? null : code.recoveryCode())) {
            case SecondFactors.Passed passed -> grant(user.get(), kind, label, lifetime, passed);
            case SecondFactors.Failed failed -> {
                throttle.recordFailure(login, address);
                events.publishEvent(new SignInFailed(login, "second factor: " + failed.reason()));
                yield new SecondFactorRefused();
            }
            case SecondFactors.Missing missing -> {
                events.publishEvent(new SignInFailed(login, "second factor missing"));
                yield new SecondFactorNeeded();
            }
        };
    }

    /** Opens the session or issues the token; {@code secondFactor} is how the second factor passed, if it did. */
    private Granted grant(User user, Credentials.Kind kind, String label, Duration lifetime,
            SecondFactors.Passed secondFactor) {
        throttle.clearFailures(user.login());
        OffsetDateTime now = OffsetDateTime.now(clock);
        String secret = Secrets.newSecret();
        UUID id = UUID.randomUUID();
        OffsetDateTime expiresAt = now.plus(lifetime);
        credentials.insert(id, user.id(), kind, Secrets.hash(secret), label, Credentials.requestUserAgent(), now,
                expiresAt);
        Actor actor = user.asActor();
        String method = kind == Credentials.Kind.SESSION ? "session" : "token";
        events.publishEvent(new SignedIn(actor, secondFactor == null ? method : method + ", " + secondFactor.method()));
        return new Granted(actor, id, secret, expiresAt, secondFactor == null ? null : secondFactor.recoveryCodesLeft(),
                user.passwordChangeRequired());
    }
}
