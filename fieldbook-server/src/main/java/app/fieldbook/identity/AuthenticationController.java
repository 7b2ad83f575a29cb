package app.fieldbook.identity;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Sign in and out: web sessions (an HttpOnly cookie) and bearer tokens for the Java client. A person with a
 * second factor signs in to the web app in two steps (the password answers 401 {@code second-factor-required}
 * with a challenge, which {@code POST /session/second-factor} takes with a code), and asks for a bearer token
 * with the code in the same request.
 */
@RestController
@RequestMapping("/api/v1/auth")
class AuthenticationController {

    record SignIn(@NotBlank @Size(max = 100) String login, @NotBlank @Size(max = 200) String password) {
        @Override
        public String toString() {
            return Redacted.of(this, "password");
        }
    }

    /** {@code code}: the authenticator app's current code, or {@code recoveryCode}: an unused recovery code. */
    record SecondStep(
            @NotBlank @Size(max = 100) String challenge,
            @Size(max = 20) String code,
            @Size(max = 40) String recoveryCode) {
        @Override
        public String toString() {
            return Redacted.of(this, "challenge", "code", "recoveryCode");
        }
    }

    record TokenRequest(
            @NotBlank @Size(max = 100) String login,
            @NotBlank @Size(max = 200) String password,
            @Size(max = 100) String label,
            @Min(1) @Max(365) Integer lifetimeDays,
            @Size(max = 20) String code,
            @Size(max = 40) String recoveryCode) {
        @Override
        public String toString() {
            return Redacted.of(this, "password", "code", "recoveryCode");
        }
    }

    /**
     * {@code secondFactorEnrolmentRequired}: the session reaches only enrolment until a second factor is
     * enrolled; {@code recoveryCodesLeft}: when a recovery code was used, how many are still unused;
     * {@code passwordChangeRequired}: an administrator chose the password, and the session reaches nothing but
     * {@code PUT /api/v1/auth/password} (and signing out) until its person has changed it.
     */
    record SessionOpened(Actor user, OffsetDateTime expiresAt, boolean secondFactorEnrolmentRequired,
            Integer recoveryCodesLeft, boolean passwordChangeRequired) {
    }

    /** {@code passwordChangeRequired}: as in {@link SessionOpened}, the token reaches nothing else until then. */
    record TokenIssued(String token, OffsetDateTime expiresAt, Actor user, Integer recoveryCodesLeft,
            boolean passwordChangeRequired) {
        @Override
        public String toString() {
            return Redacted.of(this, "token");
        }
    }

    private final SigningIn signingIn;
    private final SecondFactors secondFactors;
    private final IdentitySettings settings;
    private final Clock clock;

    AuthenticationController(SigningIn signingIn, SecondFactors secondFactors, IdentitySettings settings,
            Clock clock) {
        this.signingIn = signingIn;
        this.secondFactors = secondFactors;
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * Opens a web session; any session cookie the browser had is replaced by a new one. Cookies are added
     * to the servlet response directly, beside the CSRF cookie, which a response entity header would replace.
     */
    @PostMapping("/session")
    ResponseEntity<?> openSession(@Valid @RequestBody SignIn body, HttpServletRequest request,
            HttpServletResponse response) {
        endPreviousSession();
        return sessionAnswer(signingIn.openSession(body.login(), body.password(), request.getRemoteAddr()), request,
                response);
    }

    /**
     * The second step of a web sign-in: the challenge the password was answered with, and a code. A wrong code
     * is answered 401 {@code second-factor-refused} and the challenge stays usable until it expires.
     */
    @PostMapping("/session/second-factor")
    ResponseEntity<?> completeSession(@Valid @RequestBody SecondStep body, HttpServletRequest request,
            HttpServletResponse response) {
        endPreviousSession();
        return sessionAnswer(signingIn.completeSession(body.challenge(),
                new SecondFactors.Proof(null, body.code(), body.recoveryCode()), request.getRemoteAddr()), request,
                response);
    }

    private void endPreviousSession() {
        if (SecurityContextHolder.getContext().getAuthentication() instanceof CredentialAuthentication previous
                && previous.kind() == Credentials.Kind.SESSION) {
            signingIn.signOut(previous.credentialId(), previous.getPrincipal(), "session replaced");
        }
    }

    private ResponseEntity<?> sessionAnswer(SigningIn.Outcome outcome, HttpServletRequest request,
            HttpServletResponse response) {
        return switch (outcome) {
            case SigningIn.Granted granted -> {
                SessionCookie.open(response, granted.secret(),
                        Duration.between(OffsetDateTime.now(clock), granted.expiresAt()), settings, request);
                yield ResponseEntity.ok(new SessionOpened(granted.actor(), granted.expiresAt(),
                        secondFactors.enrolmentRequired(granted.actor()), granted.recoveryCodesLeft(),
                        granted.passwordChangeRequired()));
            }
            case SigningIn.SecondStepNeeded second -> {
                ProblemDetail problem = problem(HttpStatus.UNAUTHORIZED, "second-factor-required",
                        "Second factor required", "Enter the code of your authenticator app, or a recovery code.");
                problem.setProperty("challenge", second.challenge());
                problem.setProperty("expiresAt", second.expiresAt());
                problem.setProperty("methods", List.of("totp", "recovery-code"));
                yield ResponseEntity.status(HttpStatus.UNAUTHORIZED).body(problem);
            }
            case SigningIn.SecondFactorNeeded needed -> ResponseEntity.badRequest().body(problem(
                    HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", "Send code or recoveryCode."));
            case SigningIn.SecondFactorRefused wrong -> secondFactorRefused();
            case SigningIn.ChallengeEnded ended -> ResponseEntity.status(HttpStatus.UNAUTHORIZED).body(problem(
                    HttpStatus.UNAUTHORIZED, "sign-in-challenge-ended", "Sign in again",
                    "This sign-in has expired or was completed already. Enter your password again."));
            case SigningIn.EnrolmentRequired required -> throw new IllegalStateException("not for a web session");
            case SigningIn.Refused refused -> refused();
            case SigningIn.Throttled throttled -> throttled(throttled.retryAfterSeconds());
        };
    }

    @DeleteMapping("/session")
    ResponseEntity<Void> closeSession(HttpServletRequest request, HttpServletResponse response) {
        if (SecurityContextHolder.getContext().getAuthentication() instanceof CredentialAuthentication current
                && current.kind() == Credentials.Kind.SESSION) {
            signingIn.signOut(current.credentialId(), current.getPrincipal(), "session");
        }
        SessionCookie.close(response, settings, request);
        return ResponseEntity.noContent().build();
    }

    /** Issues a bearer token for the Java client or the command line; the token is shown only here. */
    @PostMapping("/tokens")
    ResponseEntity<?> issueToken(@Valid @RequestBody TokenRequest body, HttpServletRequest request) {
        Duration lifetime = body.lifetimeDays() == null ? null : Duration.ofDays(body.lifetimeDays());
        String label = body.label() == null || body.label().isBlank() ? "bearer token" : body.label();
        return switch (signingIn.issueToken(body.login(), body.password(),
                new SecondFactors.Proof(null, body.code(), body.recoveryCode()), request.getRemoteAddr(), label,
                lifetime)) {
            case SigningIn.Granted granted -> ResponseEntity.status(HttpStatus.CREATED)
                    .body(new TokenIssued(granted.secret(), granted.expiresAt(), granted.actor(),
                            granted.recoveryCodesLeft(), granted.passwordChangeRequired()));
            case SigningIn.SecondFactorNeeded needed -> ResponseEntity.status(HttpStatus.UNAUTHORIZED).body(problem(
                    HttpStatus.UNAUTHORIZED, "second-factor-required", "Second factor required",
                    "This account has a second factor: send the authenticator app's current code as code, or a "
                            + "recovery code as recoveryCode, with the password."));
            case SigningIn.SecondFactorRefused wrong -> secondFactorRefused();
            case SigningIn.EnrolmentRequired required -> ResponseEntity.status(HttpStatus.FORBIDDEN).body(problem(
                    HttpStatus.FORBIDDEN, "second-factor-enrolment-required", "Second factor required",
                    "Your role requires a second factor: enrol one in the web app first (Security), then sign in "
                            + "here with its code."));
            case SigningIn.SecondStepNeeded second -> throw new IllegalStateException("not for a bearer token");
            case SigningIn.ChallengeEnded ended -> throw new IllegalStateException("not for a bearer token");
            case SigningIn.Refused refused -> refused();
            case SigningIn.Throttled throttled -> throttled(throttled.retryAfterSeconds());
        };
    }

    /** Revokes the bearer token this request was sent with. */
    @DeleteMapping("/tokens/current")
    ResponseEntity<Void> revokeToken() {
        if (SecurityContextHolder.getContext().getAuthentication() instanceof CredentialAuthentication current
                && current.kind() == Credentials.Kind.TOKEN) {
            signingIn.signOut(current.credentialId(), current.getPrincipal(), "token");
        }
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/me")
    Actor me(@AuthenticationPrincipal Actor actor) {
        return actor;
    }

    private static ProblemDetail problem(HttpStatus status, String type, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create("https://fieldbook.app/problems/" + type));
        problem.setTitle(title);
        return problem;
    }

    private static ResponseEntity<ProblemDetail> secondFactorRefused() {
        return ResponseEntity.status(HttpStatus.UNAUTHORIZED).body(problem(HttpStatus.UNAUTHORIZED,
                "second-factor-refused", "Wrong code", "The code is wrong or was used before. Enter the code "
                        + "your authenticator app shows now, or an unused recovery code."));
    }

    private static ResponseEntity<ProblemDetail> refused() {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNAUTHORIZED,
                "The login or the password is wrong, or the account is disabled.");
        problem.setType(URI.create("https://fieldbook.app/problems/sign-in-refused"));
        problem.setTitle("Sign-in refused");
        return ResponseEntity.status(HttpStatus.UNAUTHORIZED).body(problem);
    }

    private static ResponseEntity<ProblemDetail> throttled(long retryAfterSeconds) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.TOO_MANY_REQUESTS,
                "Too many failed sign-ins. Try again in " + retryAfterSeconds + " seconds.");
        problem.setType(URI.create("https://fieldbook.app/problems/sign-in-throttled"));
        problem.setTitle("Too many failed sign-ins");
        return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds))
                .body(problem);
    }
}
