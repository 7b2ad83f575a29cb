package app.fieldbook.identity;

import app.fieldbook.RejectedRequest;
import app.fieldbook.identity.UserEvent.SessionsEnded;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A signed-in person's own sessions and tokens: which are open (never their secrets), ending one of the others
 * (a phone left behind, a laptop at a site), or every other one at once. Each ending is audited as
 * {@link SessionsEnded}; the credential the request came with is ended by signing out, not here.
 */
@Service
class EndingSessions {

    /**
     * An open session or token: {@code kind} {@code session} (the web app) or {@code token} (the Java client, the
     * command line), its label, the browser or program it was opened from, and whether the request came with it.
     */
    record OpenSession(UUID id, String kind, String label, String userAgent, OffsetDateTime createdAt,
            OffsetDateTime lastUsedAt, OffsetDateTime expiresAt, boolean current) {
    }

    private final Credentials credentials;
    private final IdentitySettings settings;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    EndingSessions(Credentials credentials, IdentitySettings settings, ApplicationEventPublisher events, Clock clock) {
        this.credentials = credentials;
        this.settings = settings;
        this.events = events;
        this.clock = clock;
    }

    /** The person's sessions and tokens that still work, the most recently used first. */
    public List<OpenSession> of(Actor actor, UUID currentId) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        return credentials.openOf(actor.id(), now).stream()
                .filter(open -> open.kind() != Credentials.Kind.SESSION
                        || open.lastUsedAt().plus(settings.sessionIdleTimeout()).isAfter(now))
                .map(open -> new OpenSession(open.id(), open.kind().name().toLowerCase(Locale.ROOT),
                        open.label(), open.userAgent(), open.createdAt(), open.lastUsedAt(), open.expiresAt(),
                        open.id().equals(currentId)))
                .toList();
    }

    /**
     * Ends one of the person's other sessions or tokens. 404 for an id that is not one of theirs or has ended, 409
     * {@code current-session} for the one the request came with (sign out instead).
     */
    @Transactional
    public void end(Actor actor, UUID currentId, UUID id) {
        if (id.equals(currentId)) {
            throw new RejectedRequest(HttpStatus.CONFLICT, "current-session", "This session",
                    "This is the session you are using. Sign out to end it.");
        }
        if (!credentials.revokeOf(id, actor.id(), OffsetDateTime.now(clock))) {
            throw RejectedRequest.notFound("Session", id);
        }
        events.publishEvent(new SessionsEnded(actor, actor.id(), List.of(id)));
    }

    /** Ends every session and token of the person but the one the request came with; answers how many. */
    @Transactional
    public int endOthers(Actor actor, UUID currentId) {
        List<UUID> others = credentials.openOf(actor.id(), OffsetDateTime.now(clock)).stream()
                .map(Credentials.Open::id).filter(id -> !id.equals(currentId)).toList();
        OffsetDateTime now = OffsetDateTime.now(clock);
        List<UUID> ended = others.stream().filter(id -> credentials.revokeOf(id, actor.id(), now)).toList();
        if (!ended.isEmpty()) {
            events.publishEvent(new SessionsEnded(actor, actor.id(), ended));
        }
        return ended.size();
    }
}
