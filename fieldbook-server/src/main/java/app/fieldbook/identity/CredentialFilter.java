package app.fieldbook.identity;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Optional;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates a request by its bearer token ({@code Authorization: Bearer ...}) or its session cookie.
 * Each request looks the credential up, so a revoked credential or a disabled account stops at once. A
 * person whose role requires a second factor they have not enrolled is authenticated for enrolment only
 * ({@link CredentialAuthentication#enrolmentOnly()}), and a person whose password an administrator chose is
 * authenticated for changing it only ({@link CredentialAuthentication#passwordChangeRequired()}); both asked on
 * every request, so enrolling or changing the password takes effect at once.
 */
final class CredentialFilter extends OncePerRequestFilter {

    /** The session cookie where the browser came over plain HTTP (development, the demo on loopback). */
    static final String SESSION_COOKIE = "FIELDBOOK_SESSION";
    /** The session cookie over TLS: the prefix makes browsers keep it Secure, host-only and for the path /. */
    static final String SECURE_SESSION_COOKIE = "__Host-" + SESSION_COOKIE;
    private static final Duration TOUCH_INTERVAL = Duration.ofMinutes(1);
    private static final String REFUSED_SECRET = CredentialFilter.class.getName() + ".refusedSecret";

    private final Credentials credentials;
    private final SecondFactors secondFactors;
    private final IdentitySettings settings;
    private final Clock clock;

    CredentialFilter(Credentials credentials, SecondFactors secondFactors, IdentitySettings settings, Clock clock) {
        this.credentials = credentials;
        this.secondFactors = secondFactors;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (MetricsScrape.isScraper(SecurityContextHolder.getContext().getAuthentication())) {
            // authenticated by its own token, without the database
            chain.doFilter(request, response);
            return;
        }
        presentedSecret(request).ifPresent(secret -> {
            String secretHash = Secrets.hash(secret);
            credentials.findLive(secretHash, OffsetDateTime.now(clock))
                    .filter(this::notIdle)
                    .ifPresentOrElse(live -> {
                        touch(live);
                        var context = SecurityContextHolder.createEmptyContext();
                        context.setAuthentication(new CredentialAuthentication(live.actor(), live.id(), live.kind(),
                                secondFactors.enrolmentRequired(live.actor()), live.passwordChangeRequired()));
                        SecurityContextHolder.setContext(context);
                    }, () -> request.setAttribute(REFUSED_SECRET, secretHash));
        });
        chain.doFilter(request, response);
    }

    /**
     * Why the credential this request presented authenticates nobody, if it presented one; asked only when
     * the request is answered 401 (a page's files with an ended session's cookie write nothing).
     */
    Optional<CredentialRefused> refusal(HttpServletRequest request) {
        return Optional.ofNullable((String) request.getAttribute(REFUSED_SECRET))
                .map(secretHash -> credentials.refusal(secretHash, OffsetDateTime.now(clock)));
    }

    static boolean carriesBearerToken(HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        return header != null && header.regionMatches(true, 0, "Bearer ", 0, 7);
    }

    private Optional<String> presentedSecret(HttpServletRequest request) {
        if (carriesBearerToken(request)) {
            return Optional.of(request.getHeader("Authorization").substring(7).trim()).filter(s -> !s.isEmpty());
        }
        return sessionSecret(request, settings);
    }

    /**
     * The value of the session cookie the server reads: over TLS (or where the settings say so) only the {@code __Host-}
     * one counts, as a plain one could have been planted by a sibling subdomain.
     */
    static Optional<String> sessionSecret(HttpServletRequest request, IdentitySettings settings) {
        return SessionCookie.secure(settings, request) ? sessionCookie(request, SECURE_SESSION_COOKIE)
                : sessionCookie(request, SESSION_COOKIE);
    }

    /** Whether the request carries a session cookie, whatever its value (a write with one needs its CSRF token). */
    static boolean carriesSessionCookie(HttpServletRequest request) {
        Cookie[] cookies = request.getCookies();
        if (cookies != null) {
            for (Cookie cookie : cookies) {
                if (SESSION_COOKIE.equals(cookie.getName()) || SECURE_SESSION_COOKIE.equals(cookie.getName())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The value of the cookie {@code name}, when the request has one that is not blank. */
    private static Optional<String> sessionCookie(HttpServletRequest request, String name) {
        Cookie[] cookies = request.getCookies();
        if (cookies != null) {
            for (Cookie cookie : cookies) {
                if (name.equals(cookie.getName()) && !cookie.getValue().isBlank()) {
                    return Optional.of(cookie.getValue());
                }
            }
        }
        return Optional.empty();
    }

    private boolean notIdle(Credentials.Live live) {
        return live.kind() != Credentials.Kind.SESSION
                || live.lastUsedAt().plus(settings.sessionIdleTimeout()).isAfter(OffsetDateTime.now(clock));
    }

    private void touch(Credentials.Live live) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        if (live.lastUsedAt().plus(TOUCH_INTERVAL).isBefore(now)) {
            credentials.touch(live.id(), now);
        }
    }
}
