package app.fieldbook.client.cli;

import app.fieldbook.client.Account;
import app.fieldbook.client.FieldbookClient;
import app.fieldbook.client.SecondFactorRequired;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

@Command(name = "login", description = "Sign in to a Fieldbook server and keep a token on this device.")
final class LoginCommand extends ClientCommand {

    @Option(names = "--server", paramLabel = "URL",
            description = "The server's address, e.g. https://fieldbook.example.com (needed the first time).")
    private URI server;

    @Option(names = {"--user", "-u"}, required = true, paramLabel = "NAME", description = "Your login.")
    private String user;

    @Option(names = "--password-stdin", description = "Read the password from the first line of standard input "
            + "(and, when the account has a second factor and no --code is given, its code from the second line).")
    private boolean passwordStdin;

    @Option(names = "--code", paramLabel = "CODE", description = "The code of your authenticator app, or a recovery "
            + "code, for an account with a second factor (asked for when needed and not given).")
    private String code;

    private BufferedReader stdin;

    @Override
    void checkArguments() {
        if (server != null && !("http".equalsIgnoreCase(server.getScheme()) || "https".equalsIgnoreCase(server.getScheme()))
                || server != null && server.getHost() == null) {
            throw new ParameterException(invocation.commandLine(),
                    "'" + server + "' is not a server address (expected http://host or https://host)");
        }
    }

    @Override
    URI server() {
        return server;
    }

    @Override
    int run(FieldbookClient client) throws IOException {
        if (client.server().isEmpty()) {
            throw new ParameterException(invocation.commandLine(), "Give the server's address with --server URL");
        }
        char[] password = password();
        try {
            Account account;
            try {
                account = client.signIn(user, password, code);
            } catch (SecondFactorRequired needed) {
                if (code != null) {
                    throw needed;
                }
                account = client.signIn(user, password, askForCode());
            }
            invocation.out().println("Signed in to " + client.server().orElseThrow() + " as "
                    + account.name() + " (" + account.role() + "). Run 'fieldbook sync' to download your sites.");
        } finally {
            Arrays.fill(password, ' ');
        }
        return 0;
    }

    /** The second factor's code: the next line of standard input with --password-stdin, else from the terminal. */
    private String askForCode() throws IOException {
        if (passwordStdin) {
            String line = stdin().readLine();
            if (line == null || line.isBlank()) {
                throw new ParameterException(invocation.commandLine(), "This account has a second factor: give its "
                        + "code with --code CODE, or on the line after the password");
            }
            return line.strip();
        }
        Console console = System.console();
        if (console == null) {
            throw new ParameterException(invocation.commandLine(),
                    "This account has a second factor: give its code with --code CODE");
        }
        String line = console.readLine("Code from your authenticator app (or a recovery code): ");
        if (line == null || line.isBlank()) {
            throw new ParameterException(invocation.commandLine(), "No code given");
        }
        return line.strip();
    }

    private BufferedReader stdin() {
        if (stdin == null) {
            stdin = new BufferedReader(new InputStreamReader(invocation.stdin(), StandardCharsets.UTF_8));
        }
        return stdin;
    }

    private char[] password() throws IOException {
        if (passwordStdin) {
            String line = stdin().readLine();
            if (line == null || line.isEmpty()) {
                throw new ParameterException(invocation.commandLine(), "No password on standard input");
            }
            return line.toCharArray();
        }
        Console console = System.console();
        if (console == null) {
            throw new ParameterException(invocation.commandLine(),
                    "No terminal to ask for the password; use --password-stdin");
        }
        char[] password = console.readPassword("Password for %s: ", user);
        if (password == null || password.length == 0) {
            throw new ParameterException(invocation.commandLine(), "No password given");
        }
        return password;
    }
}
