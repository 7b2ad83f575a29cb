package app.fieldbook.identity;

import app.fieldbook.RejectedRequest;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.security.web.webauthn.api.AttestationConveyancePreference;
import org.springframework.security.web.webauthn.api.AuthenticatorAssertionResponse;
import org.springframework.security.web.webauthn.api.AuthenticatorAttestationResponse;
import org.springframework.security.web.webauthn.api.AuthenticatorResponse;
import org.springframework.security.web.webauthn.api.AuthenticatorSelectionCriteria;
import org.springframework.security.web.webauthn.api.Bytes;
import org.springframework.security.web.webauthn.api.PublicKeyCredential;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialCreationOptions;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialParameters;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialRequestOptions;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialRpEntity;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialUserEntity;
import org.springframework.security.web.webauthn.api.ResidentKeyRequirement;
import org.springframework.security.web.webauthn.api.UserVerificationRequirement;
import org.springframework.security.web.webauthn.jackson.WebauthnJacksonModule;
import org.springframework.security.web.webauthn.management.Webauthn4JRelyingPartyOperations;
import org.springframework.security.web.webauthn.management.WebAuthnRelyingPartyOperations;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Fieldbook as a WebAuthn relying party: Spring Security's {@link Webauthn4JRelyingPartyOperations} (which
 * verifies with webauthn4j) over Fieldbook's own tables, with user verification required, discoverable
 * credentials (a passkey signs in without a login) and no attestation asked for. Also reads the browser's
 * credentials from JSON with Spring Security's WebAuthn Jackson module and writes the options the same way.
 */
@Component
class PasskeyRelyingParty {

    /** The relying party a ceremony is for: its id (a domain), its name, and the origins it accepts. */
    record Party(String id, String name, Set<String> origins) {
    }

    /** A field error of a refused credential, shaped like the other invalid requests'. */
    record FieldProblem(String field, String message) {
    }

    private static final List<PublicKeyCredentialParameters> ALGORITHMS = List.of(PublicKeyCredentialParameters.EdDSA,
            PublicKeyCredentialParameters.ES256, PublicKeyCredentialParameters.RS256);
    private static final AuthenticatorSelectionCriteria VERIFIED_DISCOVERABLE = AuthenticatorSelectionCriteria.builder()
            .userVerification(UserVerificationRequirement.REQUIRED)
            .residentKey(ResidentKeyRequirement.REQUIRED)
            .build();

    private final PasskeyUserHandles handles;
    private final Passkeys passkeys;
    private final PasskeySettings settings;
    private final JsonMapper json = JsonMapper.builder().addModule(new WebauthnJacksonModule()).build();

    PasskeyRelyingParty(PasskeyUserHandles handles, Passkeys passkeys, PasskeySettings settings) {
        this.handles = handles;
        this.passkeys = passkeys;
        this.settings = settings;
    }

    /** The relying party of the settings; what they leave unset is taken from the request's host. */
    Party of(HttpServletRequest request) {
        String id = settings.rpId() == null || settings.rpId().isBlank() ? request.getServerName() : settings.rpId();
        Set<String> origins = settings.origins().isEmpty() ? Set.of(originOf(request)) : Set.copyOf(settings.origins());
        return new Party(id, settings.rpName(), origins);
    }

    WebAuthnRelyingPartyOperations operations(Party party) {
        Webauthn4JRelyingPartyOperations operations = new Webauthn4JRelyingPartyOperations(handles, passkeys,
                PublicKeyCredentialRpEntity.builder().id(party.id()).name(party.name()).build(), party.origins());
        operations.setCustomizeCreationOptions(options -> options
                .pubKeyCredParams(ALGORITHMS)
                .authenticatorSelection(VERIFIED_DISCOVERABLE)
                .attestation(AttestationConveyancePreference.NONE)
                .timeout(settings.challengeLifetime()));
        operations.setCustomizeRequestOptions(options -> options
                .userVerification(UserVerificationRequirement.REQUIRED)
                .timeout(settings.challengeLifetime()));
        return operations;
    }

    /** The registration options as they were handed out with this challenge, for verifying the answer. */
    PublicKeyCredentialCreationOptions creationOptions(Party party, PublicKeyCredentialUserEntity user, String rpId,
            String challenge) {
        return PublicKeyCredentialCreationOptions.builder()
                .rp(PublicKeyCredentialRpEntity.builder().id(rpId).name(party.name()).build())
                .user(user)
                .challenge(Bytes.fromBase64(challenge))
                .pubKeyCredParams(ALGORITHMS)
                .authenticatorSelection(VERIFIED_DISCOVERABLE)
                .attestation(AttestationConveyancePreference.NONE)
                .timeout(settings.challengeLifetime())
                .build();
    }

    /** The sign-in options as they were handed out with this challenge, for verifying the answer. */
    PublicKeyCredentialRequestOptions requestOptions(String rpId, String challenge) {
        return PublicKeyCredentialRequestOptions.builder()
                .challenge(Bytes.fromBase64(challenge))
                .rpId(rpId)
                .userVerification(UserVerificationRequirement.REQUIRED)
                .timeout(settings.challengeLifetime())
                .build();
    }

    JsonNode toJson(Object options) {
        return json.valueToTree(options);
    }

    /** A new credential as the browser's {@code navigator.credentials.create} made it; 400 if it is not one. */
    PublicKeyCredential<AuthenticatorAttestationResponse> attestation(JsonNode credential) {
        PublicKeyCredential<AuthenticatorAttestationResponse> read = read(credential, AuthenticatorAttestationResponse.class);
        if (read.getResponse().getAttestationObject() == null) {
            throw invalid("The credential has no attestation object.");
        }
        return read;
    }

    /** A sign-in as the browser's {@code navigator.credentials.get} made it; 400 if it is not one. */
    PublicKeyCredential<AuthenticatorAssertionResponse> assertion(JsonNode credential) {
        PublicKeyCredential<AuthenticatorAssertionResponse> read = read(credential, AuthenticatorAssertionResponse.class);
        if (read.getResponse().getAuthenticatorData() == null || read.getResponse().getSignature() == null) {
            throw invalid("The credential has no authenticator data or no signature.");
        }
        return read;
    }

    /** The challenge the browser says it answered (the signature over the client data proves it later). */
    String challengeOf(PublicKeyCredential<? extends AuthenticatorResponse> credential) {
        try {
            JsonNode clientData = json.readTree(credential.getResponse().getClientDataJSON().getBytes());
            String challenge = clientData.path("challenge").asString("");
            if (challenge.isEmpty() || challenge.length() > 100) {
                throw invalid("The credential's client data names no challenge.");
            }
            return challenge;
        } catch (JacksonException e) {
            throw invalid("The credential's client data is not JSON.");
        }
    }

    private <R extends AuthenticatorResponse> PublicKeyCredential<R> read(JsonNode credential, Class<R> response) {
        if (credential == null || !credential.isObject()) {
            throw invalid("The credential is missing or not a JSON object.");
        }
        JavaType type = json.getTypeFactory().constructParametricType(PublicKeyCredential.class, response);
        PublicKeyCredential<R> read;
        try {
            read = json.treeToValue(credential, type);
        } catch (JacksonException | IllegalArgumentException e) {
            throw invalid("The credential is not a WebAuthn public key credential.");
        }
        if (read == null || read.getRawId() == null || read.getResponse() == null
                || read.getResponse().getClientDataJSON() == null) {
            throw invalid("The credential has no raw id, no response or no client data.");
        }
        return read;
    }

    static RejectedRequest invalid(String detail) {
        return new RejectedRequest(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", detail,
                Map.of("errors", List.of(new FieldProblem("credential", detail))));
    }

    private static String originOf(HttpServletRequest request) {
        String scheme = request.getScheme();
        int port = request.getServerPort();
        boolean defaultPort = "https".equals(scheme) && port == 443 || "http".equals(scheme) && port == 80;
        return scheme + "://" + request.getServerName() + (defaultPort ? "" : ":" + port);
    }
}
