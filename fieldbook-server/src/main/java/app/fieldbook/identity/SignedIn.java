package app.fieldbook.identity;

/** A person proved their identity and got a session or a bearer token. */
public record SignedIn(Actor actor, String method) {
}
