package app.fieldbook.client;

/** The device has no valid token (never signed in, expired, or revoked): sign in again. */
public final class NotSignedIn extends FieldbookException {

    public NotSignedIn(String message) {
        super(message, null);
    }
}
