package app.fieldbook.identity;

/** A person ended their session or revoked their token. */
public record SignedOut(Actor actor, String method) {
}
