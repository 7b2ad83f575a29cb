package app.fieldbook.protocol;

/** Life cycle of a daily report. */
public enum ReportStatus {
    /** Being written by its author; only the author edits it. */
    DRAFT,
    /** Filed by the author and waiting for a manager. */
    SUBMITTED,
    /** Sent back by a manager with a comment; the author edits and submits again. */
    RETURNED,
    /** Accepted by a manager; read-only until a manager reopens it. */
    APPROVED
}
