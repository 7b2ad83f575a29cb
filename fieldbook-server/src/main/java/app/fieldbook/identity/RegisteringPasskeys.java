package app.fieldbook.identity;

import app.fieldbook.RejectedRequest;
import app.fieldbook.identity.UserEvent.PasskeyRegistered;
import app.fieldbook.identity.UserEvent.PasskeyRemoved;
import java.util.List;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.webauthn.api.AuthenticatorAttestationResponse;
import org.springframework.security.web.webauthn.api.PublicKeyCredential;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialCreationOptions;
import org.springframework.security.web.webauthn.management.ImmutablePublicKeyCredentialCreationOptionsRequest;
import org.springframework.security.web.webauthn.management.ImmutableRelyingPartyRegistrationRequest;
import org.springframework.security.web.webauthn.management.RelyingPartyPublicKey;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A signed-in person registers a passkey (options with a challenge, the browser's ceremony, then the new
 * credential verified and stored), lists theirs and removes one. A refused registration writes nothing: its
 * challenge stays until it expires, good for nothing but a correct answer by the same person.
 */
@Service
class RegisteringPasskeys {

    private final PasskeyRelyingParty relyingParty;
    private final PasskeyUserHandles handles;
    private final Passkeys passkeys;
    private final PasskeyChallenges challenges;
    private final ApplicationEventPublisher events;

    RegisteringPasskeys(PasskeyRelyingParty relyingParty, PasskeyUserHandles handles, Passkeys passkeys,
            PasskeyChallenges challenges, ApplicationEventPublisher events) {
        this.relyingParty = relyingParty;
        this.handles = handles;
        this.passkeys = passkeys;
        this.challenges = challenges;
        this.events = events;
    }

    /** Options for the browser's {@code navigator.credentials.create}, with a new challenge kept here. */
    @Transactional
    public PublicKeyCredentialCreationOptions options(Actor actor, Authentication authentication,
            PasskeyRelyingParty.Party party) {
        handles.forUser(actor.id());
        PublicKeyCredentialCreationOptions options = relyingParty.operations(party)
                .createPublicKeyCredentialCreationOptions(
                        new ImmutablePublicKeyCredentialCreationOptionsRequest(authentication));
        challenges.insert(new PasskeyChallenges.Pending(options.getChallenge().toBase64UrlString(),
                PasskeyChallenges.Purpose.REGISTRATION, actor.id(), party.id()));
        return options;
    }

    /**
     * Verifies the new credential against the challenge this person was given and stores it under the label.
     * Refused (400 {@code passkey-refused}, nothing written) when the challenge is unknown, someone else's,
     * used or expired, when the credential is already registered, or when webauthn4j finds the attestation
     * wrong (origin, relying party id, challenge, user verification, signature algorithm).
     */
    @Transactional
    public Passkey register(Actor actor, String label, PublicKeyCredential<AuthenticatorAttestationResponse> credential,
            PasskeyRelyingParty.Party party) {
        String challenge = relyingParty.challengeOf(credential);
        PasskeyChallenges.Pending pending = challenges.take(challenge, PasskeyChallenges.Purpose.REGISTRATION)
                .filter(taken -> actor.id().equals(taken.userId()))
                .orElseThrow(() -> refused("The registration was not begun by you, was finished already or took "
                        + "too long. Begin it again."));
        PublicKeyCredentialCreationOptions options = relyingParty.creationOptions(party, handles.forUser(actor.id()),
                pending.rpId(), pending.challenge());
        try {
            relyingParty.operations(party).registerCredential(new ImmutableRelyingPartyRegistrationRequest(options,
                    new RelyingPartyPublicKey(credential, label)));
        } catch (DataAccessException e) {
            throw e;
        } catch (RuntimeException e) {
            throw refused("The passkey could not be verified: " + reason(e));
        }
        Passkey passkey = passkeys.findByCredential(credential.getRawId()).orElseThrow();
        events.publishEvent(new PasskeyRegistered(actor, actor.id(), passkey.id(), passkey.label()));
        return passkey;
    }

    /** This person's passkeys, the most recently registered first. */
    public List<Passkey> of(Actor actor) {
        return passkeys.of(actor.id());
    }

    /** Removes one of this person's passkeys; 404 for any other id. It signs in no more at once. */
    @Transactional
    public void remove(Actor actor, UUID passkeyId) {
        Passkey removed = passkeys.remove(passkeyId, actor.id())
                .orElseThrow(() -> RejectedRequest.notFound("Passkey", passkeyId));
        events.publishEvent(new PasskeyRemoved(actor, actor.id(), removed.id(), removed.label()));
    }

    /** Whether this person has registered a passkey: a second factor they can sign in with. */
    public boolean hasPasskey(UUID userId) {
        return passkeys.any(userId);
    }

    private static RejectedRequest refused(String detail) {
        return new RejectedRequest(HttpStatus.BAD_REQUEST, "passkey-refused", "Passkey refused", detail);
    }

    /** What webauthn4j or the relying party objected to, without any of the credential's bytes. */
    private static String reason(RuntimeException e) {
        if (e instanceof IllegalArgumentException && e.getMessage() != null && e.getMessage().contains("already exists")) {
            return "it is registered already.";
        }
        return e.getClass().getSimpleName().replaceAll("(Exception|Error)$", "")
                .replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase() + ".";
    }
}
