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
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseCookie;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Sign in and out: web sessions (an HttpOnly cookie) and bearer tokens for the Java client. */
@RestController
@RequestMapping("/api/v1/auth")
class AuthenticationController {

    record SignIn(@NotBlank @Size(max = 100) String login, @NotBlank @Size(max = 200) String password) {
    }

    record TokenRequest(
            @NotBlank @Size(max = 100) String login,
            @NotBlank @Size(max = 200) String password,
            @Size(max = 100) String label,
            @Min(1) @Max(365) Integer lifetimeDays) {
    }

    record SessionOpened(Actor user, OffsetDateTime expiresAt) {
    }

    record TokenIssued(String token, OffsetDateTime expiresAt, Actor user) {
    }

    private final SigningIn signingIn;
    private final IdentitySettings settings;
    private final Clock clock;

    AuthenticationController(SigningIn signingIn, IdentitySettings settings, Clock clock) {
        this.signingIn = signingIn;
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
        if (SecurityContextHolder.getContext().getAuthentication() instanceof CredentialAuthentication previous
                && previous.kind() == Credentials.Kind.SESSION) {
            signingIn.signOut(previous.credentialId(), previous.getPrincipal(), "session replaced");
        }
        return switch (signingIn.openSession(body.login(), body.password(), request.getRemoteAddr())) {
            case SigningIn.Granted granted -> {
                response.addHeader(HttpHeaders.SET_COOKIE, sessionCookie(granted.secret(),
                        Duration.between(OffsetDateTime.now(clock), granted.expiresAt()), request).toString());
                yield ResponseEntity.ok(new SessionOpened(granted.actor(), granted.expiresAt()));
            }
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
        response.addHeader(HttpHeaders.SET_COOKIE, sessionCookie("", Duration.ZERO, request).toString());
        return ResponseEntity.noContent().build();
    }

    /** Issues a bearer token for the Java client or the command line; the token is shown only here. */
    @PostMapping("/tokens")
    ResponseEntity<?> issueToken(@Valid @RequestBody TokenRequest body, HttpServletRequest request) {
        Duration lifetime = body.lifetimeDays() == null ? null : Duration.ofDays(body.lifetimeDays());
        String label = body.label() == null || body.label().isBlank() ? "bearer token" : body.label();
        return switch (signingIn.issueToken(body.login(), body.password(), request.getRemoteAddr(), label, lifetime)) {
            case SigningIn.Granted granted -> ResponseEntity.status(HttpStatus.CREATED)
                    .body(new TokenIssued(granted.secret(), granted.expiresAt(), granted.actor()));
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

    private ResponseCookie sessionCookie(String value, Duration maxAge, HttpServletRequest request) {
        return SessionCookie.of(value, maxAge, settings, request);
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
