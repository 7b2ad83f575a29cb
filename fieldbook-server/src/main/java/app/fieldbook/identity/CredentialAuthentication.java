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

    CredentialAuthentication(Actor actor, UUID credentialId, Credentials.Kind kind) {
        super(List.of(new SimpleGrantedAuthority(actor.role().authority())));
        this.actor = actor;
        this.credentialId = credentialId;
        this.kind = kind;
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
}
