package app.fieldbook.identity;

import app.fieldbook.RejectedRequest;
import app.fieldbook.identity.UserEvent.PasswordChanged;
import app.fieldbook.identity.UserEvent.SecondFactorReset;
import app.fieldbook.identity.UserEvent.SessionsEnded;
import app.fieldbook.identity.UserEvent.UserCreated;
import app.fieldbook.identity.UserEvent.UserDisabled;
import app.fieldbook.identity.UserEvent.UserEdited;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Creating, changing and disabling accounts. Every change publishes its {@link UserEvent} inside its
 * transaction; disabling an account revokes all its sessions and tokens in the same transaction. A password that
 * the {@link PasswordPolicy} refuses is answered 400 with a field error on {@code password}, and nothing is
 * written. A password an administrator chose (a new account's, or one they set) must be changed by its person
 * before anything else ({@link User#passwordChangeRequired()}); the first administrator's, from the settings, need
 * not: the operator chose it for themself. An administrator resets a lost second factor of someone else.
 */
@Service
class UserAdministration {

    /** Fields of a new account. */
    record NewAccount(UUID id, String login, String name, String email, Role role, String password) {
        @Override
        public String toString() {
            return Redacted.of(this, "password");
        }
    }

    /** Fields of an account that an administrator may change. */
    record AccountChange(long version, String name, String email, Role role, boolean active) {
    }

    private final Users users;
    private final Credentials credentials;
    private final TotpFactors totpFactors;
    private final RecoveryCodes recoveryCodes;
    private final Passkeys passkeys;
    private final PasswordEncoder passwords;
    private final PasswordPolicy policy;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    UserAdministration(Users users, Credentials credentials, TotpFactors totpFactors, RecoveryCodes recoveryCodes,
            Passkeys passkeys, PasswordEncoder passwords, PasswordPolicy policy, ApplicationEventPublisher events,
            Clock clock) {
        this.users = users;
        this.credentials = credentials;
        this.totpFactors = totpFactors;
        this.recoveryCodes = recoveryCodes;
        this.passkeys = passkeys;
        this.passwords = passwords;
        this.policy = policy;
        this.events = events;
        this.clock = clock;
    }

    /**
     * Creates an account; {@code actor} is the administrator, whose chosen password its person must change at the
     * first sign-in, or {@code null} for the first administrator (from the settings), who need not.
     */
    @Transactional
    public User create(NewAccount account, Actor actor) {
        requireAllowed(account.password(), account.login(), account.name());
        if (users.findByLogin(account.login()).isPresent()) {
            throw new RejectedRequest(HttpStatus.CONFLICT, "login-taken", "Login taken",
                    "Another account already has the login " + account.login() + ".");
        }
        if (account.id() != null && users.findById(account.id()).isPresent()) {
            throw new RejectedRequest(HttpStatus.CONFLICT, "id-taken", "Id taken",
                    "Another account already has the id " + account.id() + ".");
        }
        OffsetDateTime now = OffsetDateTime.now(clock);
        User user = new User(account.id() == null ? UUID.randomUUID() : account.id(), account.login(), account.name(),
                account.email(), account.role(), passwords.encode(account.password()),
                true, actor != null, 1, now, now);
        users.insert(user);
        events.publishEvent(new UserCreated(actor, user.id(), user.auditedFields()));
        return user;
    }

    @Transactional
    public User change(UUID id, AccountChange change, Actor actor) {
        User before = users.findById(id).orElseThrow(() -> RejectedRequest.notFound("User", id));
        if (before.version() != change.version()) {
            throw RejectedRequest.staleVersion("User", change.version(), before.version());
        }
        if (before.id().equals(actor.id()) && (!change.active() || change.role() != before.role())) {
            throw new RejectedRequest(HttpStatus.CONFLICT, "own-account", "Cannot demote or disable yourself",
                    "Another administrator must change your own role or disable your account.");
        }
        User after = new User(before.id(), before.login(), change.name(), change.email(), change.role(),
                before.passwordHash(), change.active(), before.passwordChangeRequired(), before.version() + 1,
                before.createdAt(), OffsetDateTime.now(clock));
        write(before, after);
        if (before.active() && !after.active()) {
            credentials.revokeAllOf(id, OffsetDateTime.now(clock));
            events.publishEvent(new UserDisabled(actor, id, before.auditedFields(), after.auditedFields()));
        } else {
            events.publishEvent(new UserEdited(actor, id, before.auditedFields(), after.auditedFields()));
        }
        return after;
    }

    /**
     * Sets a new password of another person, which they must change at their next sign-in, and ends every session
     * and token of the account. Refused for the administrator's own account (409 {@code own-account}): they change
     * their own password giving the current one ({@link ChangingPasswords}).
     */
    @Transactional
    public User setPassword(UUID id, String password, Actor actor) {
        User before = users.findById(id).orElseThrow(() -> RejectedRequest.notFound("User", id));
        if (before.id().equals(actor.id())) {
            throw new RejectedRequest(HttpStatus.CONFLICT, "own-account", "Your own password",
                    "Change your own password under Security, giving your current one.");
        }
        requireAllowed(password, before.login(), before.name());
        OffsetDateTime now = OffsetDateTime.now(clock);
        User after = before.withPassword(passwords.encode(password), true, now);
        write(before, after);
        int ended = credentials.revokeAllOf(id, now);
        events.publishEvent(new PasswordChanged(actor, id, true, ended));
        return after;
    }

    /**
     * Removes another person's second factor, when they lost it: the authenticator app (or an enrolment begun),
     * its recovery codes and every passkey; ends every session and token of theirs. At their next sign-in a person
     * whose role requires a second factor must enrol one again before anything else. Refused for the
     * administrator's own account (409 {@code own-account}: another administrator must do it), and for a person
     * who has none (409 {@code no-second-factor}).
     */
    @Transactional
    public void resetSecondFactor(UUID id, Actor actor) {
        User user = users.findById(id).orElseThrow(() -> RejectedRequest.notFound("User", id));
        if (user.id().equals(actor.id())) {
            throw new RejectedRequest(HttpStatus.CONFLICT, "own-account", "Your own second factor",
                    "Another administrator must reset your own second factor.");
        }
        boolean app = totpFactors.confirmed(id);
        int keys = passkeys.of(id).size();
        if (!app && keys == 0) {
            throw new RejectedRequest(HttpStatus.CONFLICT, "no-second-factor", "No second factor",
                    user.name() + " has no authenticator app and no passkey.");
        }
        totpFactors.remove(id);
        recoveryCodes.remove(id);
        passkeys.removeAllOf(id);
        int ended = credentials.revokeAllOf(id, OffsetDateTime.now(clock));
        events.publishEvent(new SecondFactorReset(actor, id, app, keys, ended));
    }

    /**
     * Ends every session and token of another person (a lost phone, a laptop left signed in, an account under
     * suspicion) without touching their password or second factor; answers how many ended. Refused for the
     * administrator's own account (409 {@code own-account}: they end their own others under Security).
     */
    @Transactional
    public int endSessions(UUID id, Actor actor) {
        User user = users.findById(id).orElseThrow(() -> RejectedRequest.notFound("User", id));
        if (user.id().equals(actor.id())) {
            throw new RejectedRequest(HttpStatus.CONFLICT, "own-account", "Your own sessions",
                    "End your own other sessions under Security; sign out to end this one.");
        }
        OffsetDateTime now = OffsetDateTime.now(clock);
        List<UUID> ended = credentials.openOf(id, now).stream().map(Credentials.Open::id)
                .filter(session -> credentials.revokeOf(session, id, now)).toList();
        if (!ended.isEmpty()) {
            events.publishEvent(new SessionsEnded(actor, id, ended));
        }
        return ended.size();
    }

    /** Whether the person has a second factor an administrator could reset: an authenticator app or a passkey. */
    public boolean hasSecondFactor(UUID id) {
        return totpFactors.confirmed(id) || passkeys.any(id);
    }

    private void requireAllowed(String password, String login, String name) {
        policy.refusal(password, login, name).ifPresent(reason -> {
            throw refusedPassword("password", reason);
        });
    }

    /** The 400 problem of a password the policy refuses, with the field error on {@code field}. */
    static RejectedRequest refusedPassword(String field, String reason) {
        return new RejectedRequest(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request",
                "The password is not accepted; its field error says which rule it breaks.",
                Map.of("errors", List.of(new FieldError(field, reason))));
    }

    /** A field error of the problem, in the shape of those of Bean Validation. */
    private record FieldError(String field, String message) {
    }

    private void write(User before, User after) {
        if (!users.update(after, before.version())) {
            long current = users.findById(before.id()).map(User::version).orElse(-1L);
            throw RejectedRequest.staleVersion("User", before.version(), current);
        }
    }
}
