package app.fieldbook.identity;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The access log: one line per request, refused ones included, on the logger {@code fieldbook.access}:
 * method, path (never the query string, which may carry what a log must not hold), status and milliseconds,
 * with the request id and, once known, the person's id ({@link UserInLog}) in the logging context. Switch it
 * off with {@code logging.level.fieldbook.access=warn}.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class AccessLog extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger("fieldbook.access");

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long started = System.nanoTime();
        try {
            chain.doFilter(request, response);
        } finally {
            if (log.isInfoEnabled()) {
                Object userId = request.getAttribute(UserInLog.ATTRIBUTE);
                if (userId != null) {
                    MDC.put(UserInLog.KEY, userId.toString());
                }
                log.info("{} {} {} {} ms", request.getMethod(), request.getRequestURI(), response.getStatus(),
                        (System.nanoTime() - started) / 1_000_000);
                MDC.remove(UserInLog.KEY);
            }
        }
    }
}
