package app.fieldbook.identity;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataAccessException;
import org.springframework.security.web.webauthn.api.AuthenticatorAssertionResponse;
import org.springframework.security.web.webauthn.api.Bytes;
import org.springframework.security.web.webauthn.api.CredentialRecord;
import org.springframework.security.web.webauthn.api.PublicKeyCredential;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialRequestOptions;
import org.springframework.security.web.webauthn.management.ImmutablePublicKeyCredentialRequestOptionsRequest;
import org.springframework.security.web.webauthn.management.RelyingPartyAuthenticationRequest;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Signing in with a passkey, without a login or password: options with a challenge kept here, the browser's
 * ceremony with user verification, then the assertion verified by webauthn4j and a web session opened exactly
 * like {@link SigningIn#openSession}'s. Such a session has passed a second factor (a passkey is possession
 * and, with user verification, a PIN or biometric); it is labelled {@link #SESSION_LABEL}. A refused sign-in
 * is recorded ({@link SignInFailed} with its reason) and answered as a result, so that the record commits;
 * it uses up its challenge and writes nothing else.
 */
@Service
class SigningInWithPasskey {

    static final String SESSION_LABEL = "web session (passkey)";

    private final PasskeyRelyingParty relyingParty;
    private final PasskeyChallenges challenges;
    private final Passkeys passkeys;
    private final Users users;
    private final Credentials credentials;
    private final TransactionTemplate transactions;
    private final ApplicationEventPublisher events;
    private final IdentitySettings settings;
    private final Clock clock;

    SigningInWithPasskey(PasskeyRelyingParty relyingParty, PasskeyChallenges challenges, Passkeys passkeys,
            Users users, Credentials credentials, TransactionTemplate transactions, ApplicationEventPublisher events,
            IdentitySettings settings, Clock clock) {
        this.relyingParty = relyingParty;
        this.challenges = challenges;
        this.passkeys = passkeys;
        this.users = users;
        this.credentials = credentials;
        this.transactions = transactions;
        this.events = events;
        this.settings = settings;
        this.clock = clock;
    }

    /** Options for the browser's {@code navigator.credentials.get}: any of this relying party's passkeys. */
    public PublicKeyCredentialRequestOptions options(PasskeyRelyingParty.Party party) {
        PublicKeyCredentialRequestOptions options = relyingParty.operations(party)
                .createCredentialRequestOptions(new ImmutablePublicKeyCredentialRequestOptionsRequest(null));
        transactions.executeWithoutResult(status -> challenges.insert(new PasskeyChallenges.Pending(
                options.getChallenge().toBase64UrlString(), PasskeyChallenges.Purpose.SIGN_IN, null, party.id())));
        return options;
    }

    /**
     * Opens a web session for the owner of the passkey that made this assertion. Refused when the challenge
     * is unknown, used or expired, the passkey is unknown, the assertion claims another account's user
     * handle, the account is disabled, or webauthn4j finds the assertion wrong (signature, origin, relying
     * party id, user presence or verification, a signature counter that went back).
     */
    public SigningIn.Outcome openSession(PublicKeyCredential<AuthenticatorAssertionResponse> assertion,
            PasskeyRelyingParty.Party party) {
        String challenge = relyingParty.challengeOf(assertion);
        return transactions.execute(status -> {
            Optional<PasskeyChallenges.Pending> pending = challenges.take(challenge, PasskeyChallenges.Purpose.SIGN_IN);
            Optional<User> owner = passkeys.ownerOf(assertion.getRawId()).flatMap(users::findById);
            String login = owner.map(User::login).orElse(null);
            if (pending.isEmpty()) {
                return refused(login, "passkey challenge unknown, used or expired");
            }
            if (owner.isEmpty()) {
                return refused(null, "unknown passkey");
            }
            CredentialRecord passkey = passkeys.findByCredentialId(assertion.getRawId());
            Bytes claimed = assertion.getResponse().getUserHandle();
            if (passkey == null || claimed != null && !claimed.equals(passkey.getUserEntityUserId())) {
                return refused(login, "passkey of another account");
            }
            if (!owner.get().active()) {
                return refused(login, "account disabled");
            }
            PublicKeyCredentialRequestOptions options = relyingParty.requestOptions(pending.get().rpId(),
                    pending.get().challenge());
            try {
                relyingParty.operations(party).authenticate(new RelyingPartyAuthenticationRequest(options, assertion));
            } catch (DataAccessException e) {
                throw e;
            } catch (RuntimeException e) {
                return refused(login, "passkey assertion invalid");
            }
            return grant(owner.get());
        });
    }

    private SigningIn.Outcome grant(User user) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        String secret = Secrets.newSecret();
        UUID id = UUID.randomUUID();
        OffsetDateTime expiresAt = now.plus(settings.sessionLifetime());
        credentials.insert(id, user.id(), Credentials.Kind.SESSION, Secrets.hash(secret), SESSION_LABEL,
                Credentials.requestUserAgent(), now, expiresAt);
        Actor actor = user.asActor();
        events.publishEvent(new SignedIn(actor, "passkey"));
        return new SigningIn.Granted(actor, id, secret, expiresAt, null, user.passwordChangeRequired());
    }

    private SigningIn.Outcome refused(String login, String reason) {
        events.publishEvent(new SignInFailed(login, reason));
        return new SigningIn.Refused();
    }
}
