package app.fieldbook.identity;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.apache.tomcat.util.buf.EncodedSolidusHandling;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.header.HeaderWriter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;
import org.springframework.security.web.csrf.CsrfException;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.CsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfTokenRequestAttributeHandler;
import org.springframework.security.web.csrf.CsrfTokenRequestHandler;
import org.springframework.security.web.csrf.DefaultCsrfToken;
import org.springframework.security.web.csrf.XorCsrfTokenRequestAttributeHandler;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.util.StringUtils;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Every {@code /api} request must be authenticated; roles are checked on the endpoints. Sessions live in
 * the database (see {@link Credentials}), so the servlet container keeps no session. Requests
 * authenticated by the session cookie need a CSRF token; bearer-token requests cannot be forged by a
 * browser and need none. Other modules add response headers as {@link HeaderWriter} beans (the web app
 * module writes the Content-Security-Policy).
 */
@Configuration
@EnableMethodSecurity
class SecurityConfiguration {

    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");
    private static final String ARGON2 = "argon2@SpringSecurity_v5_8";
    static final String PERMISSIONS_POLICY = "camera=(self), geolocation=(self), microphone=(), payment=(), usb=(), "
            + "interest-cohort=()";

    @Bean
    PasswordEncoder passwordEncoder() {
        return new DelegatingPasswordEncoder(ARGON2, Map.of(
                ARGON2, Argon2PasswordEncoder.defaultsForSpringSecurity_v5_8(),
                "bcrypt", new BCryptPasswordEncoder()));
    }

    /**
     * Spring Security observes nothing of its own (each filter of the chain, each authorization): a request is
     * observed once, as {@code http.server.requests}, which the alerts and the dashboards use. Its observations
     * were measured at about 1 % of the server's processor in the Monday-morning reads (docs/performance.md).
     */
    @Bean
    static SecurityObservationSettings securityObservations() {
        return SecurityObservationSettings.noObservations();
    }

    /**
     * A request the firewall refuses (an encoded slash or a dot segment in its path, say) is answered 400 as a
     * problem. The container passes an encoded slash through to it instead of answering with its own HTML page.
     */
    @Bean
    RequestRejectedHandler requestRejectedHandler() {
        return (request, response, e) -> problem(response, HttpStatus.BAD_REQUEST, "invalid-request",
                "Invalid request", "The request's path or headers are not allowed.");
    }

    @Bean
    TomcatConnectorCustomizer encodedSlashesToTheFirewall() {
        return connector -> connector.setEncodedSolidusHandling(EncodedSolidusHandling.PASS_THROUGH.getValue());
    }

    @Bean
    SecurityFilterChain api(HttpSecurity http, Credentials credentials, SecondFactors secondFactors,
            IdentitySettings settings, Clock clock, ApplicationEventPublisher events,
            ObjectProvider<HeaderWriter> headerWriters) throws Exception {
        CredentialFilter credentialFilter = new CredentialFilter(credentials, secondFactors, settings, clock);
        RequestMatcher cookieAuthenticatedWrite = request -> !SAFE_METHODS.contains(request.getMethod())
                && !CredentialFilter.carriesBearerToken(request)
                && CredentialFilter.carriesSessionCookie(request);
        http
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(csrf -> csrf.csrfTokenRepository(new SessionCsrfTokens(settings))
                        .csrfTokenRequestHandler(new CookieRequestsCsrfTokens())
                        .requireCsrfProtectionMatcher(cookieAuthenticatedWrite))
                .formLogin(form -> form.disable())
                .httpBasic(basic -> basic.disable())
                .logout(logout -> logout.disable())
                .requestCache(cache -> cache.disable())
                .headers(headers -> {
                    headers.frameOptions(frame -> frame.deny());
                    headers.referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.SAME_ORIGIN));
                    // the app may use the camera and the location (a photo's place); nothing else
                    headers.permissionsPolicyHeader(permissions -> permissions.policy(PERMISSIONS_POLICY));
                    // Strict-Transport-Security stays Spring Security's: sent on requests over TLS (behind a
                    // proxy, with the prod profile's forwarded headers), one year, subdomains included
                    headerWriters.orderedStream().forEach(headers::addHeaderWriter);
                })
                // filters of one order keep the order they were added in: the scraper's token is checked first,
                // without the database, so that metrics still come while the pool is exhausted
                .addFilterBefore(new MetricsScrape(settings.metricsToken()), AuthorizationFilter.class)
                .addFilterBefore(credentialFilter, AuthorizationFilter.class)
                // after the credential filter (filters of one order keep the order they were added in): a password an
                // administrator chose is changed first, then a second factor is enrolled
                .addFilterBefore(new PasswordChangeGate(events), AuthorizationFilter.class)
                .addFilterBefore(new EnrolmentGate(events), AuthorizationFilter.class)
                .authorizeHttpRequests(authorize -> authorize
                        .requestMatchers(HttpMethod.POST, "/api/v1/auth/session", "/api/v1/auth/session/second-factor",
                                "/api/v1/auth/tokens").permitAll()
                        .requestMatchers(HttpMethod.POST, "/api/v1/auth/passkey-session/options",
                                "/api/v1/auth/passkey-session").permitAll()
                        .requestMatchers("/api/**").authenticated()
                        .requestMatchers("/actuator/health/**", "/actuator/health", "/actuator/info").permitAll()
                        .requestMatchers(MetricsScrape.PATH).hasRole(MetricsScrape.ROLE)
                        .requestMatchers("/actuator/**").hasRole(Role.ADMINISTRATOR.name())
                        .anyRequest().permitAll())
                .exceptionHandling(exceptions -> exceptions
                        .authenticationEntryPoint((request, response, e) -> {
                            credentialFilter.refusal(request).ifPresent(events::publishEvent);
                            problem(response, HttpStatus.UNAUTHORIZED, "unauthenticated", "Authentication required",
                                    "Sign in, or send a valid bearer token.");
                        })
                        .accessDeniedHandler((request, response, e) -> {
                            boolean csrf = e instanceof CsrfException;
                            events.publishEvent(new AccessDenied(Actor.current().orElse(null),
                                    request.getMethod() + " " + request.getRequestURI(), null, null,
                                    csrf ? "missing or wrong CSRF token" : e.getMessage()));
                            if (csrf) {
                                problem(response, HttpStatus.FORBIDDEN, "csrf-token", "Missing CSRF token",
                                        "Send the value of the XSRF-TOKEN cookie in the X-XSRF-TOKEN header.");
                            } else {
                                problem(response, HttpStatus.FORBIDDEN, "forbidden", "Not allowed",
                                        "Your role does not allow this request.");
                            }
                        }));
        return http.build();
    }

    /**
     * Answers 403 {@code second-factor-enrolment-required} to a person who must enrol a second factor first
     * ({@link CredentialAuthentication#enrolmentOnly()}), on every request that needs authentication except
     * those of signing in and out and enrolling ({@code /api/v1/auth/...}). The web app's files stay public.
     */
    private static final class EnrolmentGate extends OncePerRequestFilter {

        private final ApplicationEventPublisher events;

        EnrolmentGate(ApplicationEventPublisher events) {
            this.events = events;
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            if (SecurityContextHolder.getContext().getAuthentication() instanceof CredentialAuthentication current
                    && current.enrolmentOnly() && gated(request.getRequestURI())) {
                events.publishEvent(new AccessDenied(current.getPrincipal(),
                        request.getMethod() + " " + request.getRequestURI(), null, null,
                        "second factor required but not enrolled"));
                problem(response, HttpStatus.FORBIDDEN, "second-factor-enrolment-required",
                        "Second factor required", "Your role requires a second factor. Enrol one under Security "
                                + "in the web app (an authenticator app); until then only that is open to you.");
                return;
            }
            chain.doFilter(request, response);
        }

        private static boolean gated(String path) {
            return needsAuthentication(path) && !path.startsWith("/api/v1/auth/");
        }
    }

    /** Whether the path is one that needs authentication: the API, and the Actuator but health and info. */
    private static boolean needsAuthentication(String path) {
        return path.startsWith("/api/")
                || path.startsWith("/actuator/") && !path.startsWith("/actuator/health")
                && !path.equals("/actuator/info");
    }

    /**
     * Answers 403 {@code password-change-required} to a person whose password an administrator chose
     * ({@link CredentialAuthentication#passwordChangeRequired()}), on every request that needs authentication
     * except changing the password, signing in and out, and asking who is signed in. The web app's files stay
     * public.
     */
    private static final class PasswordChangeGate extends OncePerRequestFilter {

        /** Method and path of the requests open to such a person. */
        private static final Set<String> OPEN = Set.of("PUT /api/v1/auth/password", "GET /api/v1/auth/me",
                "POST /api/v1/auth/session", "DELETE /api/v1/auth/session", "POST /api/v1/auth/session/second-factor",
                "POST /api/v1/auth/tokens", "DELETE /api/v1/auth/tokens/current",
                "POST /api/v1/auth/passkey-session/options", "POST /api/v1/auth/passkey-session");

        private final ApplicationEventPublisher events;

        PasswordChangeGate(ApplicationEventPublisher events) {
            this.events = events;
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            if (SecurityContextHolder.getContext().getAuthentication() instanceof CredentialAuthentication current
                    && current.passwordChangeRequired() && needsAuthentication(request.getRequestURI())
                    && !OPEN.contains(request.getMethod() + " " + request.getRequestURI())) {
                events.publishEvent(new AccessDenied(current.getPrincipal(),
                        request.getMethod() + " " + request.getRequestURI(), null, null,
                        "password chosen by an administrator not changed yet"));
                problem(response, HttpStatus.FORBIDDEN, "password-change-required", "Password change required",
                        "An administrator chose your password. Choose your own (PUT /api/v1/auth/password with the "
                                + "current and a new one; in the web app you are asked at once); until then only that "
                                + "is open to you.");
                return;
            }
            chain.doFilter(request, response);
        }
    }

    /**
     * The web app's CSRF token: the XSRF-TOKEN cookie, sent back in the X-XSRF-TOKEN header as it is (a form
     * field would carry it masked against BREACH). A request with a bearer token needs none and gets none: making
     * one for it cost a random token, its masking and a Set-Cookie on every answer to a phone or the Java client.
     */
    private static final class CookieRequestsCsrfTokens implements CsrfTokenRequestHandler {

        private final CsrfTokenRequestHandler plain = new CsrfTokenRequestAttributeHandler();
        private final CsrfTokenRequestHandler masked = new XorCsrfTokenRequestAttributeHandler();

        @Override
        public void handle(HttpServletRequest request, HttpServletResponse response, Supplier<CsrfToken> token) {
            if (!CredentialFilter.carriesBearerToken(request)) {
                masked.handle(request, response, token);
                // loaded now, so that the browser has the cookie before its first write (e.g. right after sign-in)
                token.get();
            }
        }

        @Override
        public String resolveCsrfTokenValue(HttpServletRequest request, CsrfToken token) {
            return StringUtils.hasText(request.getHeader(token.getHeaderName()))
                    ? plain.resolveCsrfTokenValue(request, token)
                    : masked.resolveCsrfTokenValue(request, token);
        }
    }

    /**
     * The XSRF-TOKEN cookie, kept as long as a session: the session cookie outlives the browser, and a token cookie
     * that ended with the browser was missing each time the browser was opened again. A request with a session
     * cookie and no token cookie is given a token derived from its session, so that the answers to requests sent at
     * the same time (the app's first write fetching a token, the browser checking the Service Worker) all set the
     * same one: a random token each replaced the other, and a write could go out with a token its cookie no longer
     * held. Only who holds the session's secret, which no other site can read, can derive its token; requests
     * without a session get a random one. The check stays Spring Security's: the header must equal the cookie (or,
     * without one, the session's token).
     */
    private static final class SessionCsrfTokens implements CsrfTokenRepository {

        private final CookieCsrfTokenRepository cookies = CookieCsrfTokenRepository.withHttpOnlyFalse();
        /** The same cookie without the lifetime, which would keep a removed one (Max-Age 0) alive. */
        private final CookieCsrfTokenRepository removal = CookieCsrfTokenRepository.withHttpOnlyFalse();

        private final IdentitySettings settings;

        SessionCsrfTokens(IdentitySettings settings) {
            this.settings = settings;
            cookies.setCookieCustomizer(cookie -> cookie.maxAge(settings.sessionLifetime()));
        }

        @Override
        public CsrfToken generateToken(HttpServletRequest request) {
            CsrfToken random = cookies.generateToken(request);
            String session = sessionSecret(request);
            return session == null ? random
                    : new DefaultCsrfToken(random.getHeaderName(), random.getParameterName(),
                            SessionCookie.csrfTokenOf(session));
        }

        @Override
        public void saveToken(CsrfToken token, HttpServletRequest request, HttpServletResponse response) {
            (token == null ? removal : cookies).saveToken(token, request, response);
        }

        @Override
        public CsrfToken loadToken(HttpServletRequest request) {
            return cookies.loadToken(request);
        }

        /** The value of the session cookie the server reads (over TLS the {@code __Host-} one only); null without. */
        private String sessionSecret(HttpServletRequest request) {
            return CredentialFilter.sessionSecret(request, settings).orElse(null);
        }
    }

    private static void problem(HttpServletResponse response, HttpStatus status, String type, String title,
            String detail) throws IOException {
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.getWriter().write("{\"type\":\"https://fieldbook.app/problems/" + type + "\",\"title\":\"" + title
                + "\",\"status\":" + status.value() + ",\"detail\":\"" + detail + "\"}");
    }
}
