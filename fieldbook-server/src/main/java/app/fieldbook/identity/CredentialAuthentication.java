package app.fieldbook.identity;

import java.util.List;
import java.util.UUID;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** A request authenticated by a session cookie or a bearer token. */
final class CredentialAuthentication extends AbstractAuthenticationToken {

    private final Actor actor;
    private final UUID credentialId;
    private final Credentials.Kind kind;
    private final boolean enrolmentOnly;
    private final boolean passwordChangeRequired;

    CredentialAuthentication(Actor actor, UUID credentialId, Credentials.Kind kind, boolean enrolmentOnly,
            boolean passwordChangeRequired) {
        super(List.of(new SimpleGrantedAuthority(actor.role().authority())));
        this.actor = actor;
        this.credentialId = credentialId;
        this.kind = kind;
        this.enrolmentOnly = enrolmentOnly;
        this.passwordChangeRequired = passwordChangeRequired;
        setAuthenticated(true);
    }

    @Override
    public Object getCredentials() {
        return credentialId;
    }

    @Override
    public Actor getPrincipal() {
        return actor;
    }

    @Override
    public String getName() {
        return actor.login();
    }

    UUID credentialId() {
        return credentialId;
    }

    Credentials.Kind kind() {
        return kind;
    }

    /**
     * The person's role requires a second factor and they have none: the request may only reach signing in and
     * out and enrolling a second factor ({@code /api/v1/auth/...}).
     */
    boolean enrolmentOnly() {
        return enrolmentOnly;
    }

    /**
     * An administrator chose the person's password and they have not changed it yet: the request may only change
     * it, sign in or out, and ask who is signed in.
     */
    boolean passwordChangeRequired() {
        return passwordChangeRequired;
    }
}
