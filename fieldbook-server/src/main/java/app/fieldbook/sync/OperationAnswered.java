package app.fieldbook.sync;

/**
 * The server answered an operation a device pushed, for the first time: published in the transaction that
 * records the answer, so that an attempt rolled back (and made again) is not counted, nor is a replay, which
 * gets the answer recorded before.
 */
public record OperationAnswered(Outcome outcome) {

    /** What became of the operation. */
    public enum Outcome {
        /** Applied to a record the device saw as it was (or created). */
        APPLIED,
        /** Applied to a record someone changed meanwhile: its changes were merged with theirs, field by field. */
        MERGED,
        /** Some of its changes stand as conflicts; the rest was applied. */
        CONFLICT,
        /** Refused (not allowed, not valid); nothing was applied. */
        REFUSED
    }
}
