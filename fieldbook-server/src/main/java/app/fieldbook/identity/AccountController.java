package app.fieldbook.identity;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The signed-in person's own account: changing their password (giving the current one), and their open sessions
 * and tokens, to see and end. Every role; the password change is open also to a person whose password an
 * administrator chose, who may do nothing else before it.
 */
@RestController
@RequestMapping("/api/v1/auth")
class AccountController {

    /** The length rule at the edge; the other rules of a password are the {@link PasswordPolicy}'s. */
    private static final String PASSWORD_LENGTH = "must have at least 12 and at most 200 characters";

    record PasswordChange(
            @NotBlank @Size(max = 200) String currentPassword,
            @NotBlank @Size(min = 12, max = 200, message = PASSWORD_LENGTH) String newPassword) {
        @Override
        public String toString() {
            return Redacted.of(this, "currentPassword", "newPassword");
        }
    }

    /** {@code sessionsEnded}: how many other sessions and tokens ended. */
    record PasswordChanged(int sessionsEnded) {
    }

    record SessionsEnded(int sessionsEnded) {
    }

    private final ChangingPasswords changing;
    private final EndingSessions sessions;

    AccountController(ChangingPasswords changing, EndingSessions sessions) {
        this.changing = changing;
        this.sessions = sessions;
    }

    /** Changes the password; every other session and token ends, the one of this request stays. */
    @PutMapping("/password")
    PasswordChanged changePassword(@Valid @RequestBody PasswordChange body, HttpServletRequest request) {
        CredentialAuthentication current = current();
        return new PasswordChanged(changing.change(current.getPrincipal(), current.credentialId(),
                body.currentPassword(), body.newPassword(), request.getRemoteAddr()));
    }

    /** The person's open sessions and tokens, the one of this request marked {@code current}. */
    @GetMapping("/sessions")
    List<EndingSessions.OpenSession> sessions() {
        CredentialAuthentication current = current();
        return sessions.of(current.getPrincipal(), current.credentialId());
    }

    /** Ends one of the person's other sessions or tokens. */
    @DeleteMapping("/sessions/{id}")
    ResponseEntity<Void> end(@PathVariable UUID id) {
        CredentialAuthentication current = current();
        sessions.end(current.getPrincipal(), current.credentialId(), id);
        return ResponseEntity.noContent().build();
    }

    /** Ends every session and token of the person but this one. */
    @DeleteMapping("/sessions")
    SessionsEnded endOthers() {
        CredentialAuthentication current = current();
        return new SessionsEnded(sessions.endOthers(current.getPrincipal(), current.credentialId()));
    }

    /** The request's credential: every {@code /api} request but signing in is authenticated by one. */
    private static CredentialAuthentication current() {
        return (CredentialAuthentication) SecurityContextHolder.getContext().getAuthentication();
    }
}
