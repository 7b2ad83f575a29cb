package app.fieldbook.client.cli;

import app.fieldbook.client.FieldbookClient;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.net.URI;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What the {@code fieldbook} commands that do the work share, mixed in by {@link ClientCommand}: the
 * command line they print to and report usage errors against, standard input, and the client on the store
 * chosen with {@code --store}.
 */
@Command
final class Invocation {

    @Spec(Spec.Target.MIXEE)
    private CommandSpec spec;

    CommandLine commandLine() {
        return spec.commandLine();
    }

    PrintWriter out() {
        return commandLine().getOut();
    }

    PrintWriter err() {
        return commandLine().getErr();
    }

    InputStream stdin() {
        return root().stdin();
    }

    /** Opens the client on the chosen store; {@code server} only when the command sets it (null: the store's). The caller closes it. */
    FieldbookClient open(URI server) {
        return root().open(server);
    }

    /** The chosen store's file (it may not exist yet). */
    Path storePath() {
        return root().storePath();
    }

    private FieldbookCommand root() {
        return (FieldbookCommand) spec.root().userObject();
    }
}
