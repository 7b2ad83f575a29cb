package app.fieldbook.client;

/** A call that needs the server (sign-in, resolving a conflict) could not reach it. */
public final class ServerUnreachable extends FieldbookException {

    ServerUnreachable(String message, Throwable cause) {
        super(message, cause);
    }
}
