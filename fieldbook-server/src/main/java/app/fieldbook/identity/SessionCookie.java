package app.fieldbook.identity;

import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import org.springframework.http.ResponseCookie;

/**
 * The web session's cookie, the same whichever way the session was opened: HttpOnly, SameSite=Lax, path /; over
 * TLS (or always with {@code fieldbook.identity.secure-cookies}) Secure and named with the {@code __Host-} prefix.
 */
final class SessionCookie {

    private SessionCookie() {
    }

    /** The cookie carrying {@code value} for {@code maxAge}; an empty value and zero age remove it. */
    static ResponseCookie of(String value, Duration maxAge, IdentitySettings settings, HttpServletRequest request) {
        boolean secure = settings.secureCookies() || request.isSecure();
        String name = secure ? CredentialFilter.SECURE_SESSION_COOKIE : CredentialFilter.SESSION_COOKIE;
        return ResponseCookie.from(name, value)
                .httpOnly(true)
                .secure(secure)
                .sameSite("Lax")
                .path("/")
                .maxAge(maxAge)
                .build();
    }
}
