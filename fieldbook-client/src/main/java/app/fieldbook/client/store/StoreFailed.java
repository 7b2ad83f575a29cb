package app.fieldbook.client.store;

/** The local store could not be opened, read or written; the transaction in progress was rolled back. */
public class StoreFailed extends RuntimeException {

    public StoreFailed(String message, Throwable cause) {
        super(message, cause);
    }
}
