package app.fieldbook.client;

import java.util.Optional;

/**
 * The server no longer accepts this client version (426). Nothing is retried until the client is
 * updated; the changes on the device stay in the outbox.
 */
public final class ClientUpdateRequired extends FieldbookException {

    private final String minimumClientVersion;

    ClientUpdateRequired(String clientVersion, String minimumClientVersion) {
        super("This Fieldbook client (" + clientVersion + ") is too old for the server"
                + (minimumClientVersion == null ? "" : "; it needs " + minimumClientVersion + " or newer")
                + ". Please update; your changes stay on this device.", null);
        this.minimumClientVersion = minimumClientVersion;
    }

    public Optional<String> minimumClientVersion() {
        return Optional.ofNullable(minimumClientVersion);
    }
}
