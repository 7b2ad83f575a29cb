package app.fieldbook.identity;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.core.MethodClassKey;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.authorization.method.PreAuthorizeAuthorizationManager;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.util.SimpleMethodInvocation;
import org.springframework.stereotype.Component;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The role a handler's {@code @PreAuthorize} asks for is checked before its input is read and validated, so
 * that a caller without the role is answered 403 and learns nothing of the input's rules (a worker sending
 * an invalid user to the administration API got 400 with the field errors). Method security still checks
 * again at the call; expressions that need the handler's arguments ({@code #name}) are left to it alone.
 */
@Component
class RolesBeforeInput implements HandlerInterceptor, WebMvcConfigurer {

    private final PreAuthorizeAuthorizationManager roles = new PreAuthorizeAuthorizationManager();

    /**
     * Per handler method and controller, whether its rule can be checked without its arguments: looked up once, not
     * per request (the class's rule counts where the method has none, so the key is both).
     */
    private final Map<MethodClassKey, Boolean> checkable = new ConcurrentHashMap<>();

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(this);
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (!(handler instanceof HandlerMethod method)
                || !checkable.computeIfAbsent(new MethodClassKey(method.getMethod(), method.getBeanType()),
                        any -> checkableWithoutArguments(method))) {
            return true;
        }
        AuthorizationResult result = roles.authorize(() -> SecurityContextHolder.getContext().getAuthentication(),
                new SimpleMethodInvocation(method.getBean(), method.getMethod()));
        if (result != null && !result.isGranted()) {
            throw new AccessDeniedException("Access Denied");
        }
        return true;
    }

    private static boolean checkableWithoutArguments(HandlerMethod handler) {
        Method method = handler.getMethod();
        PreAuthorize rule = AnnotatedElementUtils.findMergedAnnotation(method, PreAuthorize.class);
        if (rule == null) {
            rule = AnnotatedElementUtils.findMergedAnnotation(handler.getBeanType(), PreAuthorize.class);
        }
        return rule != null && !rule.value().contains("#");
    }
}
