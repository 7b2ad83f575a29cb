package app.fieldbook.identity;

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

    /** An account got a new password; its sessions and tokens were revoked with it. */
    record PasswordChanged(Actor actor, UUID userId) implements UserEvent {

        @Override
        public Map<String, Object> before() {
            return Map.of("password", "(hidden)");
        }

        @Override
        public Map<String, Object> after() {
            return Map.of("password", "(changed)");
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
