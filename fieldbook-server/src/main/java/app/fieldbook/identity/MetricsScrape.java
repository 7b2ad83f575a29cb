package app.fieldbook.identity;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Lets a Prometheus server scrape the metrics with a token of its own ({@code fieldbook.identity.metrics-token},
 * sent as {@code Authorization: Bearer ...}): it opens {@link #PATH} and nothing else, and no person stands
 * behind it. Nothing else opens the metrics, not even an administrator's session (they are the monitoring's,
 * not the API's users'); without the setting nobody reads them.
 */
final class MetricsScrape extends OncePerRequestFilter {

    static final String PATH = "/actuator/prometheus";
    static final String ROLE = "METRICS_SCRAPER";
    static final int MINIMUM_TOKEN_LENGTH = 32;

    private final byte[] tokenHash;

    MetricsScrape(String token) {
        if (token != null && !token.isBlank() && token.strip().length() < MINIMUM_TOKEN_LENGTH) {
            throw new IllegalStateException("fieldbook.identity.metrics-token must have at least "
                    + MINIMUM_TOKEN_LENGTH + " characters (make one with: openssl rand -base64 32)");
        }
        this.tokenHash = token == null || token.isBlank() ? null : sha256(token.strip());
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return tokenHash == null || !request.getRequestURI().equals(request.getContextPath() + PATH)
                || !CredentialFilter.carriesBearerToken(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String presented = request.getHeader("Authorization").substring(7).strip();
        if (MessageDigest.isEqual(sha256(presented), tokenHash)) {
            var context = SecurityContextHolder.createEmptyContext();
            context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated("metrics scraper", null,
                    List.of(new SimpleGrantedAuthority("ROLE_" + ROLE))));
            SecurityContextHolder.setContext(context);
        }
        chain.doFilter(request, response);
    }

    static boolean isScraper(Authentication authentication) {
        return authentication != null && authentication.getAuthorities().stream()
                .anyMatch(authority -> ("ROLE_" + ROLE).equals(authority.getAuthority()));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
