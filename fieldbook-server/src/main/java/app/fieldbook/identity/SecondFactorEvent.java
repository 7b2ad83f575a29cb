package app.fieldbook.identity;

/**
 * Something that happened to a person's second factor, published inside the transaction that did it, by the
 * person themself. Never carries a key or a code.
 */
public sealed interface SecondFactorEvent {

    Actor actor();

    /** An authenticator app was enrolled: its first code was confirmed, and ten recovery codes were made. */
    record SecondFactorEnrolled(Actor actor, String method) implements SecondFactorEvent {
    }

    /** A second factor was removed, after the person proved it was them ({@code proof}: password or code). */
    record SecondFactorRemoved(Actor actor, String method, String proof) implements SecondFactorEvent {
    }

    /** The recovery codes were replaced by ten new ones; the old ones no longer work. */
    record RecoveryCodesRegenerated(Actor actor) implements SecondFactorEvent {
    }

    /** A recovery code was used in place of the authenticator app; {@code left} are still unused. */
    record RecoveryCodeUsed(Actor actor, int left) implements SecondFactorEvent {
    }
}
