package app.fieldbook.identity;

import app.fieldbook.RejectedRequest;
import app.fieldbook.identity.UserEvent.PasswordChanged;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A signed-in person changes their own password, giving the current one: the new one must pass the
 * {@link PasswordPolicy} and differ from the current one (400 with a field error on {@code newPassword}, nothing
 * written). A wrong current password counts as a failed sign-in of the person (throttle and audit) and is answered
 * 403 {@code wrong-password}; while the person's sign-ins are throttled the change is answered 429. A change ends
 * every other session and token of the person, keeps the one it came with, and ends an administrator's demand that
 * the password be changed. The current password is checked ({@link PasswordChecks}) before the transaction begins;
 * the transaction reads the account again and changes nothing if its password changed meanwhile.
 */
@Service
class ChangingPasswords {

    private final Users users;
    private final Credentials credentials;
    private final LoginThrottle throttle;
    private final PasswordChecks passwordChecks;
    private final PasswordEncoder passwords;
    private final PasswordPolicy policy;
    private final TransactionTemplate transactions;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    ChangingPasswords(Users users, Credentials credentials, LoginThrottle throttle, PasswordChecks passwordChecks,
            PasswordEncoder passwords, PasswordPolicy policy, TransactionTemplate transactions,
            ApplicationEventPublisher events, Clock clock) {
        this.users = users;
        this.credentials = credentials;
        this.throttle = throttle;
        this.passwordChecks = passwordChecks;
        this.passwords = passwords;
        this.policy = policy;
        this.transactions = transactions;
        this.events = events;
        this.clock = clock;
    }

    /**
     * Changes the password of {@code actor}, who sent {@code current} with the request authenticated by
     * {@code credentialId}; answers how many other sessions and tokens ended.
     */
    public int change(Actor actor, UUID credentialId, String current, String next, String address) {
        User user = users.findById(actor.id()).filter(User::active).orElseThrow(() -> new RejectedRequest(
                HttpStatus.FORBIDDEN, "forbidden", "Not allowed", "The account is disabled."));
        policy.refusal(next, user.login(), user.name()).ifPresent(reason -> {
            throw UserAdministration.refusedPassword("newPassword", reason);
        });
        if (next.equals(current)) {
            throw UserAdministration.refusedPassword("newPassword", "must differ from the current password");
        }
        long wait = throttle.secondsUntilAllowed(user.login(), address);
        if (wait > 0) {
            RejectedRequest throttled = new RejectedRequest(HttpStatus.TOO_MANY_REQUESTS, "sign-in-throttled",
                    "Too many failed sign-ins", "Too many failed sign-ins. Try again in " + wait + " seconds.");
            throttled.getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(wait));
            throw throttled;
        }
        String checkedHash = user.passwordHash();
        boolean matches = checkedHash != null && passwordChecks.matches(current, checkedHash);
        String newHash = matches ? passwords.encode(next) : null;
        Integer ended = transactions.execute(status -> {
            User now = users.findById(user.id()).orElseThrow();
            if (!matches || !checkedHash.equals(now.passwordHash())) {
                throttle.recordFailure(user.login(), address);
                events.publishEvent(new SignInFailed(user.login(), matches ? "password changed meanwhile"
                        : "wrong password to change the password"));
                return null;
            }
            OffsetDateTime at = OffsetDateTime.now(clock);
            if (!users.update(now.withPassword(newHash, false, at), now.version())) {
                throw RejectedRequest.staleVersion("User", now.version(), now.version() + 1);
            }
            int revoked = credentials.revokeAllOtherThan(user.id(), credentialId, at);
            events.publishEvent(new PasswordChanged(actor, user.id(), false, revoked));
            return revoked;
        });
        if (ended == null) {
            throw new RejectedRequest(HttpStatus.FORBIDDEN, "wrong-password", "Wrong password",
                    "The current password is wrong. Enter the password you signed in with.");
        }
        return ended;
    }
}
