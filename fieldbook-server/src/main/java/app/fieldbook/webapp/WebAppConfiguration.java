package app.fieldbook.webapp;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.web.header.HeaderWriter;

/**
 * The web app's shell and its Content-Security-Policy. The policy allows scripts, styles and connections
 * from this server only: no inline script except the import map (allowed by its hash), no inline style,
 * no {@code eval}. Swagger UI, which needs inline styles, gets the same policy with inline styles allowed.
 */
@Configuration
class WebAppConfiguration {

    static final String CONTENT_SECURITY_POLICY = "Content-Security-Policy";

    @Bean
    AppShell appShell(WebAppSettings settings) {
        return new AppShell(WebAppConfiguration.class.getClassLoader(), settings.version());
    }

    @Bean
    HeaderWriter contentSecurityPolicy(AppShell shell) {
        String common = "default-src 'self'; img-src 'self' blob: data:; connect-src 'self'; worker-src 'self'; "
                + "manifest-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
        String app = common + "; script-src 'self' " + shell.importMapHash() + "; style-src 'self'";
        String swagger = common + "; script-src 'self'; style-src 'self' 'unsafe-inline'";
        return (HttpServletRequest request, HttpServletResponse response) -> {
            if (!response.containsHeader(CONTENT_SECURITY_POLICY)) {
                String path = request.getRequestURI();
                response.setHeader(CONTENT_SECURITY_POLICY,
                        path.startsWith("/swagger-ui") || path.startsWith("/v3/api-docs") ? swagger : app);
            }
        };
    }
}
