package app.fieldbook.identity;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * Passkeys: a signed-in person registers, lists and removes theirs ({@code /passkeys}); anyone signs in with
 * one ({@code /passkey-session}), which opens a web session like the password sign-in. Each ceremony is two
 * requests: options (with a challenge kept on the server) for the browser's WebAuthn call, then its answer.
 */
@RestController
@RequestMapping("/api/v1/auth")
class PasskeyController {

    /** A new passkey: the person's label for it and the credential the browser created. */
    record PasskeyRegistration(@NotBlank @Size(max = 100) String label, @NotNull JsonNode credential) {
    }

    private final RegisteringPasskeys registering;
    private final SigningInWithPasskey signingIn;
    private final SigningIn sessions;
    private final SecondFactors secondFactors;
    private final PasskeyRelyingParty relyingParty;
    private final IdentitySettings settings;
    private final Clock clock;

    PasskeyController(RegisteringPasskeys registering, SigningInWithPasskey signingIn, SigningIn sessions,
            SecondFactors secondFactors, PasskeyRelyingParty relyingParty, IdentitySettings settings, Clock clock) {
        this.registering = registering;
        this.signingIn = signingIn;
        this.sessions = sessions;
        this.secondFactors = secondFactors;
        this.relyingParty = relyingParty;
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * Options for {@code navigator.credentials.create}, as Spring Security writes them (byte strings base64url),
     * once the person confirmed it is them with their password or a code (ASVS 7.5.1): a wrong one is a failed
     * sign-in, answered 403 {@code wrong-proof}.
     */
    @PostMapping("/passkeys/registration-options")
    JsonNode registrationOptions(@AuthenticationPrincipal Actor actor, @Valid @RequestBody SecondFactorController.Proof body,
            HttpServletRequest request) {
        secondFactors.confirmIdentity(actor, body.checked(), request.getRemoteAddr());
        return relyingParty.toJson(registering.options(actor, SecurityContextHolder.getContext().getAuthentication(),
                relyingParty.of(request)));
    }

    @PostMapping("/passkeys")
    ResponseEntity<Passkey> register(@AuthenticationPrincipal Actor actor, @Valid @RequestBody PasskeyRegistration body,
            HttpServletRequest request) {
        Passkey passkey = registering.register(actor, body.label().strip(), relyingParty.attestation(body.credential()),
                relyingParty.of(request));
        return ResponseEntity.created(URI.create("/api/v1/auth/passkeys/" + passkey.id())).body(passkey);
    }

    @GetMapping("/passkeys")
    List<Passkey> passkeys(@AuthenticationPrincipal Actor actor) {
        return registering.of(actor);
    }

    @DeleteMapping("/passkeys/{id}")
    ResponseEntity<Void> remove(@AuthenticationPrincipal Actor actor, @PathVariable UUID id) {
        registering.remove(actor, id);
        return ResponseEntity.noContent().build();
    }

    /** Options for {@code navigator.credentials.get}: no login asked, any of Fieldbook's passkeys will do. */
    @PostMapping("/passkey-session/options")
    JsonNode signInOptions(HttpServletRequest request) {
        return relyingParty.toJson(signingIn.options(relyingParty.of(request)));
    }

    /**
     * Opens a web session with the assertion the browser made, as {@code POST /session} does with a password:
     * the same cookie, and any session the browser had is ended.
     */
    @PostMapping("/passkey-session")
    ResponseEntity<?> openSession(@RequestBody JsonNode credential, HttpServletRequest request,
            HttpServletResponse response) {
        var assertion = relyingParty.assertion(credential);
        if (SecurityContextHolder.getContext().getAuthentication() instanceof CredentialAuthentication previous
                && previous.kind() == Credentials.Kind.SESSION) {
            sessions.signOut(previous.credentialId(), previous.getPrincipal(), "session replaced");
        }
        SigningIn.Outcome outcome = signingIn.openSession(assertion, relyingParty.of(request));
        return switch (outcome) {
            case SigningIn.Granted granted -> {
                SessionCookie.open(response, granted.secret(),
                        Duration.between(OffsetDateTime.now(clock), granted.expiresAt()), settings, request);
                yield ResponseEntity.ok(new AuthenticationController.SessionOpened(granted.actor(), granted.expiresAt(),
                        secondFactors.enrolmentRequired(granted.actor()), null, granted.passwordChangeRequired()));
            }
            case SigningIn.Refused refused -> refused();
            case SigningIn.Throttled throttled -> refused();
            // the outcomes of a password's second step never come from a passkey, which is both factors
            default -> throw new IllegalStateException("A passkey sign-in came to " + outcome);
        };
    }

    private static ResponseEntity<ProblemDetail> refused() {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNAUTHORIZED,
                "The passkey was not accepted: it is not registered here, the sign-in took too long, or the account "
                        + "is disabled.");
        problem.setType(URI.create("https://fieldbook.app/problems/sign-in-refused"));
        problem.setTitle("Sign-in refused");
        return ResponseEntity.status(HttpStatus.UNAUTHORIZED).body(problem);
    }
}
