package app.fieldbook.client.cli;

import app.fieldbook.client.FieldbookClient;
import java.io.IOException;
import java.net.URI;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;

/**
 * A {@code fieldbook} command that does its work on the device's client: it takes the options every
 * such command shares ({@link Invocation}), checks its own arguments, opens the client on the chosen
 * store, runs, and closes the client. Its exit code is what {@link #run} returns.
 */
abstract class ClientCommand implements Callable<Integer> {

    @Mixin
    Invocation invocation;

    @Override
    public final Integer call() throws IOException {
        checkArguments();
        try (FieldbookClient client = invocation.open(server())) {
            return run(client);
        }
    }

    /** Refuses bad arguments with a usage error before the store is opened (and perhaps created). */
    void checkArguments() throws IOException {
    }

    /** The server this command sets for the store; null keeps the one the store has. */
    URI server() {
        return null;
    }

    abstract int run(FieldbookClient client) throws IOException;
}
