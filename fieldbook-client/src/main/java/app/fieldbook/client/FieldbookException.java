package app.fieldbook.client;

/**
 * Something the client cannot do, with a message written for the person using it. The subclasses say
 * what to do next: sign in, update, try again when online, or change the request.
 */
public abstract class FieldbookException extends RuntimeException {

    protected FieldbookException(String message, Throwable cause) {
        super(message, cause);
    }
}
