package app.fieldbook.protocol;

import jakarta.validation.constraints.NotNull;

/**
 * Resolves a conflict: keep the server's value, take the client's, or write a new one ({@code value}).
 * The resolution is an ordinary, audited change of the record.
 */
public record ConflictResolution(@NotNull Choice choice, Object value) {

    public enum Choice {
        SERVER,
        CLIENT,
        VALUE
    }
}
