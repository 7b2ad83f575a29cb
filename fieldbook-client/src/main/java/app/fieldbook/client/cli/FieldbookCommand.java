package app.fieldbook.client.cli;

import app.fieldbook.client.FieldbookClient;
import app.fieldbook.client.ChangeRefused;
import app.fieldbook.client.FieldbookException;
import app.fieldbook.client.NotSignedIn;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code fieldbook} command: sign in, write daily reports offline, attach photos, sync. Usage errors
 * exit with 2, other failures with 1, each with one line on stderr naming the failed command's
 * {@code --help}, which every command and subcommand has; a sync that leaves something waiting exits
 * with {@value SyncCommand#INCOMPLETE}.
 */
@Command(name = "fieldbook", versionProvider = FieldbookCommand.Version.class,
        description = "Fieldbook on this device: write daily reports offline, sync them when online.",
        synopsisSubcommandLabel = "COMMAND", subcommands = {LoginCommand.class, PasswordCommand.class, SyncCommand.class, ReportCommand.class, PhotoCommand.class,
                StatusCommand.class, ConflictsCommand.class})
public final class FieldbookCommand extends CommandGroup {

    @Option(names = {"-h", "--help"}, usageHelp = true, scope = ScopeType.INHERIT,
            description = "Show this command's usage and exit.")
    private boolean help;

    @Option(names = {"-V", "--version"}, versionHelp = true, description = "Print the version and exit.")
    private boolean version;

    @Option(names = "--store", paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "The device's local store (default: ~/.fieldbook/client.db).")
    private Path store;

    private final Function<Path, FieldbookClient.Builder> clients;
    private final InputStream stdin;

    public FieldbookCommand() {
        this(FieldbookClient::builder, System.in);
    }

    /** A command that opens its clients with {@code clients} (to choose clock, waiting, HTTP) and reads {@code stdin}. */
    public FieldbookCommand(Function<Path, FieldbookClient.Builder> clients, InputStream stdin) {
        this.clients = clients;
        this.stdin = stdin;
    }

    public static void main(String[] args) {
        System.exit(commandLine(new FieldbookCommand()).execute(args));
    }

    /** The command line for {@code command}, with Fieldbook's one-line error reporting. */
    public static CommandLine commandLine(FieldbookCommand command) {
        CommandLine commandLine = new CommandLine(command);
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setParameterExceptionHandler((failure, args) -> {
            CommandLine failed = failure.getCommandLine();
            failed.getErr().println("fieldbook: " + failure.getMessage() + " (see '"
                    + failed.getCommandSpec().qualifiedName() + " --help')");
            failed.getErr().flush();
            return failed.getCommandSpec().exitCodeOnInvalidInput();
        });
        commandLine.setExecutionExceptionHandler((failure, failed, parseResult) -> {
            PrintWriter err = failed.getErr();
            err.println("fieldbook: " + message(failure));
            err.flush();
            // a change the device refuses (a report no longer editable, a file that is not a photo) is bad input
            return failure instanceof ChangeRefused ? failed.getCommandSpec().exitCodeOnInvalidInput()
                    : failed.getCommandSpec().exitCodeOnExecutionException();
        });
        return commandLine;
    }

    private static String message(Exception failure) {
        if (failure instanceof NotSignedIn) {
            return failure.getMessage() + " Run: fieldbook login --server URL --user NAME";
        }
        if (failure instanceof FieldbookException || failure instanceof UncheckedIOException) {
            return failure.getMessage();
        }
        return "unexpected error: " + failure;
    }

    /** Opens the client on the chosen store; {@code server} only when the command sets it. */
    FieldbookClient open(URI server) {
        return clients.apply(storePath()).server(server).open();
    }

    Path storePath() {
        if (store != null) {
            return store;
        }
        // $HOME as the shell has it (Java's user.home is the account's, whatever HOME says)
        String home = System.getenv("HOME");
        return Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home"), ".fieldbook",
                "client.db");
    }

    InputStream stdin() {
        return stdin;
    }

    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = FieldbookCommand.class.getPackage().getImplementationVersion();
            return new String[] {"fieldbook " + (version == null ? "(development build)" : version)};
        }
    }
}
