package app.fieldbook.client;

/** The local store could not be opened, read or written; the transaction in progress was rolled back. */
public final class StoreFailed extends FieldbookException {

    public StoreFailed(String message, Throwable cause) {
        super(message, cause);
    }
}
