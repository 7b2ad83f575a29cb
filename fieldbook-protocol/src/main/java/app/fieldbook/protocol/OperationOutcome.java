package app.fieldbook.protocol;

/** What became of an operation. */
public enum OperationOutcome {
    /** Every change was applied (or the server already had the same values). */
    APPLIED,
    /** Some changes could not be applied because the server changed the same fields; they stand as conflicts, the rest was applied. */
    CONFLICT,
    /** Not allowed or not valid; nothing was applied. Retrying the same operation gives the same answer. */
    REJECTED
}
