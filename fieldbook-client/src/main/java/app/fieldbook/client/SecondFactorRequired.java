package app.fieldbook.client;

/**
 * The password was right, and the account has a second factor: sign in again with the code of the
 * authenticator app (or a recovery code) beside the password.
 */
public final class SecondFactorRequired extends FieldbookException {

    SecondFactorRequired(String message) {
        super(message, null);
    }
}
