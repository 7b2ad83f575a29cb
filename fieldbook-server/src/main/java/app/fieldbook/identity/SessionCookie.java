package app.fieldbook.identity;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseCookie;

/**
 * The web session's cookies, the same whichever way the session was opened. The session cookie: HttpOnly,
 * SameSite=Lax, path /; over TLS (or always with {@code fieldbook.identity.secure-cookies}) Secure and named with the
 * {@code __Host-} prefix. Beside it the CSRF token cookie, {@code XSRF-TOKEN}, which the web app reads and sends
 * back in a header: its value is derived from the session's secret, set when the session opens and removed when it
 * closes, so that a token a previous person's session had on a shared device never serves the next one's.
 */
final class SessionCookie {

    /** The CSRF token cookie's name, Spring Security's default for a cookie the web app reads. */
    static final String CSRF_TOKEN = "XSRF-TOKEN";

    private SessionCookie() {
    }

    /** Whether the session cookie is the {@code __Host-} one, Secure: over TLS, or always where the settings say so. */
    static boolean secure(IdentitySettings settings, HttpServletRequest request) {
        return settings.secureCookies() || request.isSecure();
    }

    /** Sets both cookies for a session just opened with {@code secret}, for {@code lifetime}. */
    static void open(HttpServletResponse response, String secret, Duration lifetime, IdentitySettings settings,
            HttpServletRequest request) {
        response.addHeader(HttpHeaders.SET_COOKIE, of(secret, lifetime, settings, request).toString());
        response.addHeader(HttpHeaders.SET_COOKIE, csrfToken(csrfTokenOf(secret), lifetime, request).toString());
    }

    /**
     * Removes both cookies; over TLS also a plain session cookie from before TLS (or before the prefix), which the
     * server no longer reads.
     */
    static void close(HttpServletResponse response, IdentitySettings settings, HttpServletRequest request) {
        response.addHeader(HttpHeaders.SET_COOKIE, of("", Duration.ZERO, settings, request).toString());
        if (secure(settings, request)) {
            response.addHeader(HttpHeaders.SET_COOKIE, ResponseCookie.from(CredentialFilter.SESSION_COOKIE, "")
                    .httpOnly(true).secure(true).sameSite("Lax").path("/").maxAge(Duration.ZERO).build().toString());
        }
        response.addHeader(HttpHeaders.SET_COOKIE, csrfToken("", Duration.ZERO, request).toString());
    }

    /** The session cookie carrying {@code value} for {@code maxAge}; an empty value and zero age remove it. */
    static ResponseCookie of(String value, Duration maxAge, IdentitySettings settings, HttpServletRequest request) {
        boolean secure = secure(settings, request);
        String name = secure ? CredentialFilter.SECURE_SESSION_COOKIE : CredentialFilter.SESSION_COOKIE;
        return ResponseCookie.from(name, value)
                .httpOnly(true)
                .secure(secure)
                .sameSite("Lax")
                .path("/")
                .maxAge(maxAge)
                .build();
    }

    /**
     * The CSRF token of the session with {@code secret}: only who holds the secret, which no other site can read,
     * can derive it, and requests sent at the same time get the same one.
     */
    static String csrfTokenOf(String secret) {
        return Secrets.hash("csrf-token:" + secret);
    }

    /** The token cookie as Spring Security's {@code CookieCsrfTokenRepository} writes it, readable by the web app. */
    static ResponseCookie csrfToken(String value, Duration maxAge, HttpServletRequest request) {
        return ResponseCookie.from(CSRF_TOKEN, value)
                .httpOnly(false)
                .secure(request.isSecure())
                .path("/")
                .maxAge(maxAge)
                .build();
    }
}
