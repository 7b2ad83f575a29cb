package app.fieldbook.identity;

import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import org.springframework.http.ResponseCookie;

/** The web session's cookie, the same whichever way the session was opened: HttpOnly, SameSite=Lax, path /. */
final class SessionCookie {

    private SessionCookie() {
    }

    /** The cookie carrying {@code value} for {@code maxAge}; an empty value and zero age remove it. */
    static ResponseCookie of(String value, Duration maxAge, IdentitySettings settings, HttpServletRequest request) {
        return ResponseCookie.from(CredentialFilter.SESSION_COOKIE, value)
                .httpOnly(true)
                .secure(settings.secureCookies() || request.isSecure())
                .sameSite("Lax")
                .path("/")
                .maxAge(maxAge)
                .build();
    }
}
