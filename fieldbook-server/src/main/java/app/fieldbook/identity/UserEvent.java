package app.fieldbook.identity;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Something that happened to a user account, published inside the transaction that did it: who did it
 * ({@code null} when no one signed in did: the first administrator is made at start-up), to which
 * account, and the account's audited fields before and after (never its password).
 */
public sealed interface UserEvent {

    Actor actor();

    UUID userId();

    /** The account's audited fields before the change; empty for a new account. */
    Map<String, Object> before();

    /** The account's audited fields after the change. */
    Map<String, Object> after();

    /** An account was created. */
    record UserCreated(Actor actor, UUID userId, Map<String, Object> after) implements UserEvent {

        @Override
        public Map<String, Object> before() {
            return Map.of();
        }
    }

    /** An administrator changed an account's name, e-mail, role or (re-enabling it) its state. */
    record UserEdited(Actor actor, UUID userId, Map<String, Object> before, Map<String, Object> after)
            implements UserEvent {
    }

    /** An administrator disabled an account; its sessions and tokens were revoked with it. */
    record UserDisabled(Actor actor, UUID userId, Map<String, Object> before, Map<String, Object> after)
            implements UserEvent {
    }

    /**
     * An account got a new password: set by an administrator ({@code changeRequired}: its person must change it
     * before anything else; every session and token was revoked), or changed by its person, giving the current
     * one (every other session and token was revoked). {@code sessionsEnded}: how many were revoked.
     */
    record PasswordChanged(Actor actor, UUID userId, boolean changeRequired, int sessionsEnded) implements UserEvent {

        @Override
        public Map<String, Object> before() {
            return Map.of("password", "(hidden)");
        }

        @Override
        public Map<String, Object> after() {
            return Map.of("password", "(changed)", "changeRequired", changeRequired, "sessionsEnded", sessionsEnded);
        }
    }

    /**
     * A person ended sessions or tokens of their own from another one (one they chose, or every other one), or an
     * administrator ended every one of another person's: {@code sessionIds} the ones ended.
     */
    record SessionsEnded(Actor actor, UUID userId, List<UUID> sessionIds) implements UserEvent {

        @Override
        public Map<String, Object> before() {
            return Map.of();
        }

        @Override
        public Map<String, Object> after() {
            return Map.of("sessionsEnded", sessionIds.size(),
                    "sessions", String.join(",", sessionIds.stream().map(UUID::toString).toList()));
        }
    }

    /**
     * An administrator removed another person's second factor (their authenticator app with its recovery codes,
     * and their passkeys), because it was lost; every session and token of theirs was revoked with it.
     */
    record SecondFactorReset(Actor actor, UUID userId, boolean authenticatorApp, int passkeys, int sessionsEnded)
            implements UserEvent {

        @Override
        public Map<String, Object> before() {
            return Map.of("authenticatorApp", authenticatorApp, "passkeys", passkeys);
        }

        @Override
        public Map<String, Object> after() {
            return Map.of("authenticatorApp", false, "passkeys", 0, "sessionsEnded", sessionsEnded);
        }
    }

    /** A person registered a passkey under a label. */
    record PasskeyRegistered(Actor actor, UUID userId, UUID passkeyId, String label) implements UserEvent {

        @Override
        public Map<String, Object> before() {
            return Map.of();
        }

        @Override
        public Map<String, Object> after() {
            return Map.of("passkey", passkeyId.toString(), "passkeyLabel", label);
        }
    }

    /** A person removed one of their passkeys; it signs in no more. */
    record PasskeyRemoved(Actor actor, UUID userId, UUID passkeyId, String label) implements UserEvent {

        @Override
        public Map<String, Object> before() {
            return Map.of("passkey", passkeyId.toString(), "passkeyLabel", label);
        }

        @Override
        public Map<String, Object> after() {
            return Map.of();
        }
    }
}
