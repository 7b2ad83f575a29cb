package app.fieldbook;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLTransientConnectionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Overload is answered, never crashed into: a request that cannot get a database connection within the
 * pool's wait ({@code spring.datasource.hikari.connection-timeout}, 2 s) is answered 503 {@code server-busy}
 * with {@code Retry-After}, which both clients honour, instead of 500. {@link ProblemHandling} answers so
 * for handlers; this filter for what happens before them (the credential lookup of every request) and
 * runs just inside the request id's filter, so the answer carries the request's id too.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class ServerBusy extends OncePerRequestFilter {

    static final String RETRY_AFTER_SECONDS = "2";

    private static final Logger log = LoggerFactory.getLogger(ServerBusy.class);

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            chain.doFilter(request, response);
        } catch (RuntimeException | ServletException e) {
            if (!causedBy(e) || response.isCommitted()) {
                throw e;
            }
            log.info("503 for {} {}: {}", request.getMethod(), request.getRequestURI(), e.getMessage());
            response.resetBuffer();
            write(request, response, problem().getDetail());
        }
    }

    /** Answers 503 {@code server-busy} with {@code Retry-After} and {@code detail}, as problem+json. */
    static void write(HttpServletRequest request, HttpServletResponse response, String detail) throws IOException {
        response.setStatus(HttpStatus.SERVICE_UNAVAILABLE.value());
        response.setHeader(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write("""
                {"type":"%s","title":"Server busy","status":503,"detail":"%s","instance":"%s"}"""
                .formatted(problem().getType(), detail.replace("\"", "'"), request.getRequestURI().replace("\"", "")));
    }

    /** Whether the failure is a database connection the pool could not give within its wait. */
    static boolean causedBy(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLTransientConnectionException) {
                return true;
            }
        }
        return false;
    }

    static ResponseEntity<Object> answer() {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
                .body(problem());
    }

    private static ProblemDetail problem() {
        return RejectedRequest.busy("The server is too busy to take this request now. Send it again after the "
                + "seconds in the Retry-After header.").getBody();
    }
}
