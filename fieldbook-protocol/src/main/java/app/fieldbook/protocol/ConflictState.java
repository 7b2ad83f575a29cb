package app.fieldbook.protocol;

/** Whether a conflict still waits for someone to choose. */
public enum ConflictState {
    OPEN,
    RESOLVED
}
