package app.fieldbook.client;

/**
 * The device refuses a change before it enters the outbox: the report is unknown, not editable in its
 * status, a duplicate of another report of the same site and day, or the input is invalid.
 */
public final class ChangeRefused extends FieldbookException {

    ChangeRefused(String message) {
        super(message, null);
    }
}
