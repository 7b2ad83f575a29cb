package app.fieldbook.identity;

import java.util.Optional;
import java.util.UUID;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/** The authenticated person a request acts for. */
public record Actor(UUID id, String login, String name, Role role) {

    public boolean is(Role candidate) {
        return role == candidate;
    }

    /** The actor of the current request, if it is authenticated. */
    public static Optional<Actor> current() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication != null && authentication.getPrincipal() instanceof Actor actor) {
            return Optional.of(actor);
        }
        return Optional.empty();
    }
}
