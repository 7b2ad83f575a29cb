package app.fieldbook.identity;

/** A sign-in was refused: unknown login, wrong password, disabled account, or throttled. */
public record SignInFailed(String login, String reason) {
}
