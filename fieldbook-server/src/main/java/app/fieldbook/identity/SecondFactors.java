package app.fieldbook.identity;

import app.fieldbook.RejectedRequest;
import app.fieldbook.identity.SecondFactorEvent.RecoveryCodeUsed;
import app.fieldbook.identity.SecondFactorEvent.RecoveryCodesRegenerated;
import app.fieldbook.identity.SecondFactorEvent.SecondFactorEnrolled;
import app.fieldbook.identity.SecondFactorEvent.SecondFactorRemoved;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A person's second factor: an authenticator app (TOTP, {@link Totp}) with ten one-time recovery codes.
 * Whether a person has one is decided in one place, {@link #has(UUID)}; which roles must have one is the
 * setting {@code fieldbook.identity.second-factor.required-for}. Enrolment takes two steps: the key is made
 * and shown, and counts only once a code of it has been confirmed. Removing the factor or replacing the
 * recovery codes needs the password or a code again; a wrong one counts as a failed sign-in.
 */
@Service
class SecondFactors {

    static final int RECOVERY_CODE_COUNT = 10;
    private static final int KEY_BYTES = 20;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What a code presented at sign-in came to. */
    sealed interface Verification {
    }

    /** The code was right: {@code method} says which kind; {@code recoveryCodesLeft} when it was a recovery code. */
    record Passed(String method, Integer recoveryCodesLeft) implements Verification {
    }

    /** A code was given and is wrong (or was used before). */
    record Failed(String reason) implements Verification {
    }

    /** No code was given. */
    record Missing() implements Verification {
    }

    /** Where a person stands: what they have enrolled, how many recovery codes are left, whether they must. */
    record Status(boolean totp, int recoveryCodesLeft, boolean required) {
    }

    /**
     * A started enrolment: the key, in base32 for typing, the {@code otpauth://} address an app reads, and that
     * address as a QR code for the app's camera ({@link QrCode}: an SVG image as a {@code data:} address).
     */
    record TotpEnrolment(String key, String uri, String qrCode) {
        @Override
        public String toString() {
            return Redacted.of(this, "key", "uri", "qrCode");
        }
    }

    /** What proves it is the person who asks: their password, or a current code (or a recovery code). */
    record Proof(String password, String code, String recoveryCode) {
        @Override
        public String toString() {
            return Redacted.of(this, "password", "code", "recoveryCode");
        }
    }

    private final TotpFactors totpFactors;
    private final RecoveryCodes recoveryCodes;
    private final SecondFactorKey key;
    private final Users users;
    private final LoginThrottle throttle;
    private final PasswordChecks passwordChecks;
    private final TransactionTemplate transactions;
    private final ApplicationEventPublisher events;
    private final IdentitySettings settings;
    private final Clock clock;

    SecondFactors(TotpFactors totpFactors, RecoveryCodes recoveryCodes, SecondFactorKey key, Users users,
            LoginThrottle throttle, PasswordChecks passwordChecks, TransactionTemplate transactions,
            ApplicationEventPublisher events, IdentitySettings settings, Clock clock) {
        this.totpFactors = totpFactors;
        this.recoveryCodes = recoveryCodes;
        this.key = key;
        this.users = users;
        this.throttle = throttle;
        this.passwordChecks = passwordChecks;
        this.transactions = transactions;
        this.events = events;
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * Whether the person has a second factor that counts: an authenticator app whose enrolment was confirmed.
     * The one place that decides it (sign-in, bearer tokens, the enrolment gate and removal all ask here).
     */
    boolean has(UUID userId) {
        return totpFactors.confirmed(userId);
    }

    /** Whether people of this role must have a second factor. */
    boolean requiredFor(Role role) {
        return settings.secondFactor().requiredFor().contains(role);
    }

    /** Whether this person must enrol a second factor before anything else: required for their role, and none yet. */
    boolean enrolmentRequired(Actor actor) {
        return requiredFor(actor.role()) && !has(actor.id());
    }

    Status status(Actor actor) {
        return new Status(has(actor.id()), recoveryCodes.unused(actor.id()), requiredFor(actor.role()));
    }

    /**
     * Checks a code presented at sign-in, inside the caller's transaction: a TOTP code of the current step or
     * one either side that is newer than the last one used, or an unused recovery code (used up by this, and
     * published as {@link RecoveryCodeUsed}).
     */
    @Transactional
    public Verification verify(User user, String code, String recoveryCode) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        if (code != null && !code.isBlank()) {
            var factor = totpFactors.find(user.id()).filter(TotpFactors.TotpFactor::confirmed);
            if (factor.isEmpty()) {
                return new Failed("no authenticator app enrolled");
            }
            OptionalLong step = Totp.matchingStep(key.open(factor.get().sealedKey(), user.id().toString()),
                    code.strip(), now.toInstant());
            if (step.isEmpty()) {
                return new Failed("wrong code");
            }
            if (!totpFactors.use(user.id(), step.getAsLong())) {
                return new Failed("code used before");
            }
            return new Passed("totp", null);
        }
        if (recoveryCode != null && !recoveryCode.isBlank()) {
            if (!has(user.id()) || !recoveryCodes.use(user.id(), recoveryCodeHash(user.id(), recoveryCode), now)) {
                return new Failed("wrong or used recovery code");
            }
            int left = recoveryCodes.unused(user.id());
            events.publishEvent(new RecoveryCodeUsed(user.asActor(), left));
            return new Passed("recovery code", left);
        }
        return new Missing();
    }

    /**
     * Starts enrolling an authenticator app: a new key of 20 random bytes, stored encrypted and shown once. An
     * enrolment that was never confirmed is replaced; one that was is refused (remove it first).
     */
    @Transactional
    public TotpEnrolment startTotp(Actor actor) {
        if (totpFactors.find(actor.id()).filter(TotpFactors.TotpFactor::confirmed).isPresent()) {
            throw new RejectedRequest(HttpStatus.CONFLICT, "second-factor-enrolled", "Already enrolled",
                    "An authenticator app is enrolled already. Remove it first to enrol another.");
        }
        byte[] secret = new byte[KEY_BYTES];
        RANDOM.nextBytes(secret);
        totpFactors.startEnrolment(actor.id(), key.seal(secret, actor.id().toString()), OffsetDateTime.now(clock));
        String uri = Totp.uri(settings.secondFactor().issuer(), actor.login(), secret);
        return new TotpEnrolment(Totp.base32(secret), uri, QrCode.dataUri(uri));
    }

    /**
     * Confirms the started enrolment with a code of the new key; from then on the factor counts. Answers the
     * ten new recovery codes, shown only here (stored only hashed).
     */
    @Transactional
    public List<String> confirmTotp(Actor actor, String code) {
        var factor = totpFactors.find(actor.id())
                .filter(started -> !started.confirmed())
                .orElseThrow(() -> new RejectedRequest(HttpStatus.CONFLICT, "no-enrolment-started",
                        "No enrolment started", "Start enrolling an authenticator app first."));
        OptionalLong step = Totp.matchingStep(key.open(factor.sealedKey(), actor.id().toString()),
                code == null ? null : code.strip(), OffsetDateTime.now(clock).toInstant());
        if (step.isEmpty() || !totpFactors.use(actor.id(), step.getAsLong())) {
            throw new RejectedRequest(HttpStatus.BAD_REQUEST, "wrong-code", "Wrong code",
                    "That is not the app's current code. Check the phone's time, and type the six digits shown now.");
        }
        totpFactors.confirm(actor.id(), OffsetDateTime.now(clock));
        List<String> codes = newRecoveryCodes(actor.id());
        events.publishEvent(new SecondFactorEnrolled(actor, "totp"));
        return codes;
    }

    /** Replaces the recovery codes by ten new ones, once the person proved it is them. */
    public List<String> regenerateRecoveryCodes(Actor actor, Proof proof, String address) {
        User user = prove(actor, proof, address);
        return transactions.execute(status -> {
            if (!has(user.id())) {
                throw new RejectedRequest(HttpStatus.CONFLICT, "no-second-factor", "No second factor",
                        "Recovery codes come with an authenticator app; enrol one first.");
            }
            List<String> codes = newRecoveryCodes(user.id());
            events.publishEvent(new RecoveryCodesRegenerated(actor));
            return codes;
        });
    }

    /**
     * Removes the authenticator app and the recovery codes, once the person proved it is them. Refused when
     * their role requires a second factor and it is their last one.
     */
    public void removeTotp(Actor actor, Proof proof, String address) {
        User user = prove(actor, proof, address);
        transactions.executeWithoutResult(status -> {
            if (!totpFactors.remove(user.id())) {
                throw new RejectedRequest(HttpStatus.CONFLICT, "no-second-factor", "No second factor",
                        "No authenticator app is enrolled.");
            }
            if (requiredFor(user.role()) && !has(user.id())) {
                throw new RejectedRequest(HttpStatus.CONFLICT, "last-second-factor", "Your last second factor",
                        "Your role requires a second factor, and this is your last one. Enrol another first.");
            }
            recoveryCodes.remove(user.id());
            events.publishEvent(new SecondFactorRemoved(actor, "totp", proof.password() != null ? "password"
                    : proof.code() != null ? "totp" : "recovery code"));
        });
    }

    /**
     * Checks that the signed-in person is who they say, by their password or a code, before their sign-in
     * methods change (a passkey added): a session taken over cannot add a way back in. Answers as {@link #prove}.
     */
    public void confirmIdentity(Actor actor, Proof proof, String address) {
        prove(actor, proof, address);
    }

    /**
     * The account, once the password or a code proved it is the person themself; a wrong one is recorded as a
     * failed sign-in (throttle and audit) and answered 403 {@code wrong-proof}.
     */
    private User prove(Actor actor, Proof proof, String address) {
        User user = users.findById(actor.id()).filter(User::active).orElseThrow(() -> new RejectedRequest(
                HttpStatus.FORBIDDEN, "forbidden", "Not allowed", "The account is disabled."));
        long wait = throttle.secondsUntilAllowed(user.login(), address);
        if (wait > 0) {
            RejectedRequest throttled = new RejectedRequest(HttpStatus.TOO_MANY_REQUESTS, "sign-in-throttled",
                    "Too many failed sign-ins", "Too many failed sign-ins. Try again in " + wait + " seconds.");
            throttled.getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(wait));
            throw throttled;
        }
        boolean byPassword = proof.password() != null && !proof.password().isEmpty();
        boolean passwordMatches = byPassword && user.passwordHash() != null
                && passwordChecks.matches(proof.password(), user.passwordHash());
        boolean proven = transactions.execute(status -> {
            boolean right = byPassword ? passwordMatches
                    : verify(user, proof.code(), proof.recoveryCode()) instanceof Passed;
            if (!right) {
                throttle.recordFailure(user.login(), address);
                events.publishEvent(new SignInFailed(user.login(), byPassword
                        ? "wrong password to change the second factor" : "wrong code to change the second factor"));
            }
            return right;
        });
        if (!proven) {
            throw new RejectedRequest(HttpStatus.FORBIDDEN, "wrong-proof", "Not confirmed",
                    "The password or the code is wrong. Changing the second factor needs your password or a current code.");
        }
        return user;
    }

    private List<String> newRecoveryCodes(UUID userId) {
        List<String> codes = new ArrayList<>();
        List<String> hashes = new ArrayList<>();
        for (int i = 0; i < RECOVERY_CODE_COUNT; i++) {
            byte[] bytes = new byte[10];
            RANDOM.nextBytes(bytes);
            String plain = Totp.base32(bytes);
            codes.add(String.join("-", plain.substring(0, 4), plain.substring(4, 8), plain.substring(8, 12),
                    plain.substring(12, 16)));
            hashes.add(recoveryCodeHash(userId, plain));
        }
        recoveryCodes.replace(userId, hashes, OffsetDateTime.now(clock));
        return codes;
    }

    /** A recovery code as stored: SHA-256 of the person and the code, whatever its case, spaces or dashes. */
    private static String recoveryCodeHash(UUID userId, String code) {
        return Secrets.hash(userId + ":" + code.toUpperCase(Locale.ROOT).replaceAll("[^A-Z2-7]", ""));
    }
}
