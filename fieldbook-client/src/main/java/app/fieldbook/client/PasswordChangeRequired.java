package app.fieldbook.client;

/**
 * An administrator chose this account's password: the server takes nothing from the device but the
 * person's own new password ({@link FieldbookClient#changePassword}) until they have chosen it. The sign-in
 * is kept, so the change needs no second sign-in.
 */
public final class PasswordChangeRequired extends FieldbookException {

    PasswordChangeRequired(String message) {
        super(message, null);
    }
}
