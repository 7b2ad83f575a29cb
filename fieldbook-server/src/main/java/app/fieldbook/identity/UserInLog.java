package app.fieldbook.identity;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.MDC;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties;
import org.springframework.core.annotation.Order;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Once Spring Security has authenticated a request, puts the id of its person into the logging context
 * ({@code userId}, next to the {@code requestId}), so every line logged while the request is handled names
 * both; and leaves the id on the request for the {@link AccessLog}. Never the login, a token or a name.
 */
@Component
@Order(SecurityFilterProperties.DEFAULT_FILTER_ORDER + 1)
class UserInLog extends OncePerRequestFilter {

    static final String KEY = "userId";
    static final String ATTRIBUTE = UserInLog.class.getName() + "." + KEY;

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication != null && authentication.getPrincipal() instanceof Actor actor) {
            MDC.put(KEY, actor.id().toString());
            request.setAttribute(ATTRIBUTE, actor.id().toString());
        }
        try {
            chain.doFilter(request, response);
        } finally {
            MDC.remove(KEY);
        }
    }
}
