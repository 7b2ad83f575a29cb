package app.fieldbook.identity;

import app.fieldbook.RejectedRequest;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The signed-in person's own second factor: enrolling an authenticator app (start, then confirm with a code),
 * the recovery codes, and removing it. Open to a person who must enrol before anything else.
 */
@RestController
@RequestMapping("/api/v1/auth/second-factor")
class SecondFactorController {

    record Confirmation(@NotBlank @Size(max = 20) String code) {
        @Override
        public String toString() {
            return Redacted.of(this, "code");
        }
    }

    /** One of them: the password, the app's current code, or an unused recovery code. */
    record Proof(@Size(max = 200) String password, @Size(max = 20) String code, @Size(max = 40) String recoveryCode) {
        @Override
        public String toString() {
            return Redacted.of(this, "password", "code", "recoveryCode");
        }


        SecondFactors.Proof checked() {
            if (blank(password) && blank(code) && blank(recoveryCode)) {
                throw new RejectedRequest(HttpStatus.BAD_REQUEST,
                        "invalid-request", "Invalid request", "Send your password, a code or a recovery code.");
            }
            return new SecondFactors.Proof(blank(password) ? null : password, blank(code) ? null : code,
                    blank(recoveryCode) ? null : recoveryCode);
        }

        private static boolean blank(String value) {
            return value == null || value.isBlank();
        }
    }

    /** The codes, shown only in this answer. */
    record RecoveryCodesIssued(List<String> recoveryCodes) {
        @Override
        public String toString() {
            return Redacted.of(this, "recoveryCodes");
        }
    }

    private final SecondFactors secondFactors;

    SecondFactorController(SecondFactors secondFactors) {
        this.secondFactors = secondFactors;
    }

    @GetMapping
    SecondFactors.Status status(@AuthenticationPrincipal Actor actor) {
        return secondFactors.status(actor);
    }

    /**
     * Starts enrolling an authenticator app, once the person confirmed it is them with their password (ASVS
     * 7.5.1: a session taken over cannot set up a factor of its own): the key, shown once, its {@code otpauth://}
     * address and its QR code.
     */
    @PostMapping("/totp")
    SecondFactors.TotpEnrolment startTotp(@AuthenticationPrincipal Actor actor, @Valid @RequestBody Proof body,
            HttpServletRequest request) {
        secondFactors.confirmIdentity(actor, body.checked(), request.getRemoteAddr());
        return secondFactors.startTotp(actor);
    }

    /** Confirms the enrolment with the app's first code; answers the ten recovery codes. */
    @PostMapping("/totp/confirmation")
    RecoveryCodesIssued confirmTotp(@AuthenticationPrincipal Actor actor, @Valid @RequestBody Confirmation body) {
        return new RecoveryCodesIssued(secondFactors.confirmTotp(actor, body.code()));
    }

    /** Replaces the recovery codes by ten new ones; the old ones stop working. */
    @PostMapping("/recovery-codes")
    RecoveryCodesIssued regenerate(@AuthenticationPrincipal Actor actor, @Valid @RequestBody Proof body,
            HttpServletRequest request) {
        return new RecoveryCodesIssued(secondFactors.regenerateRecoveryCodes(actor, body.checked(),
                request.getRemoteAddr()));
    }

    /** Removes the authenticator app and the recovery codes. */
    @PostMapping("/removal")
    ResponseEntity<Void> remove(@AuthenticationPrincipal Actor actor, @Valid @RequestBody Proof body,
            HttpServletRequest request) {
        secondFactors.removeTotp(actor, body.checked(), request.getRemoteAddr());
        return ResponseEntity.noContent().build();
    }
}
