package app.fieldbook.identity;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponse;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;

/**
 * Records a domain rule that refuses the caller (an error answer with status 403, such as "only the
 * author may edit") as {@link AccessDenied}. It only observes: the answer itself is rendered by the
 * regular problem handling.
 */
@Component
class RefusalRecorder implements HandlerExceptionResolver, Ordered {

    private final ApplicationEventPublisher events;

    RefusalRecorder(ApplicationEventPublisher events) {
        this.events = events;
    }

    @Override
    public ModelAndView resolveException(HttpServletRequest request, HttpServletResponse response, Object handler,
            Exception ex) {
        if (ex instanceof ErrorResponse refusal && refusal.getStatusCode().value() == HttpStatus.FORBIDDEN.value()) {
            events.publishEvent(new AccessDenied(Actor.current().orElse(null),
                    request.getMethod() + " " + request.getRequestURI(), null, null, refusal.getBody().getDetail()));
        }
        return null;
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
