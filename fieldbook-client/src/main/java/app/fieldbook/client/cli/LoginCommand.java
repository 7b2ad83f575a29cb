package app.fieldbook.client.cli;

import app.fieldbook.client.Account;
import app.fieldbook.client.FieldbookClient;
import app.fieldbook.client.PasswordChangeRequired;
import app.fieldbook.client.SecondFactorRequired;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

@Command(name = "login", description = "Sign in to a Fieldbook server and keep a token on this device.")
final class LoginCommand extends ClientCommand {

    @Option(names = "--server", paramLabel = "URL", converter = ServerAddress.class,
            description = "The server's address, e.g. https://fieldbook.example.com (needed the first time).")
    private URI server;

    @Option(names = {"--user", "-u"}, required = true, paramLabel = "NAME", description = "Your login.")
    private String user;

    @Option(names = "--password-stdin", description = "Read the password from the first line of standard input "
            + "(then, when the account has a second factor and no --code is given, its code from the next line; and "
            + "when an administrator chose the password, the new one you choose from the line after).")
    private boolean passwordStdin;

    @Option(names = "--code", paramLabel = "CODE", description = "The code of your authenticator app, or a recovery "
            + "code, for an account with a second factor (asked for when needed and not given).")
    private String code;

    @Override
    void checkArguments() {
        if (server != null && !("http".equalsIgnoreCase(server.getScheme()) || "https".equalsIgnoreCase(server.getScheme()))
                || server != null && server.getHost() == null) {
            throw new ParameterException(invocation.commandLine(),
                    "'" + server + "' is not a server address (expected http://host or https://host)");
        }
        if (server != null && Files.exists(invocation.storePath())) {
            Optional<URI> known;
            try (FieldbookClient current = invocation.open(null)) {
                known = current.server();
            }
            if (known.isPresent() && !address(known.get()).equals(address(server))) {
                answersAsFieldbook(server, known.get());
            }
        }
    }

    private static String address(URI server) {
        return server.toString().replaceFirst("/+$", "");
    }

    /**
     * Before a device moves to another server (which forgets what it holds of the one it has): whether that server
     * answers as Fieldbook does, so that a typo or a lost network leaves the device as it was.
     */
    private static void answersAsFieldbook(URI server, URI known) {
        String stays = ", so this device stays with " + address(known) + " and keeps what it holds.";
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        try {
            HttpResponse<Void> answer = http.send(HttpRequest.newBuilder(URI.create(address(server) + "/api/v1/auth/me"))
                    .timeout(Duration.ofSeconds(15)).GET().build(), HttpResponse.BodyHandlers.discarding());
            if (!answer.headers().firstValue("Content-Type").orElse("").contains("json")) {
                throw new UncheckedIOException(new IOException(address(server) + " does not answer as a Fieldbook "
                        + "server (HTTP " + answer.statusCode() + ")" + stays));
            }
        } catch (IOException unreachable) {
            throw new UncheckedIOException("The server " + address(server) + " cannot be reached" + stays
                    + " Try again when online.", unreachable);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("Interrupted" + stays));
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
        Typed typed = new Typed(invocation, passwordStdin);
        char[] password = typed.secret("Password for " + user + ": ", "No password");
        try {
            Account account;
            try {
                account = signIn(client, typed, password);
            } catch (PasswordChangeRequired required) {
                invocation.out().println(required.getMessage());
                char[] chosen = typed.chosenPassword();
                try {
                    client.changePassword(password, chosen);
                } finally {
                    Arrays.fill(chosen, ' ');
                }
                invocation.out().println("Password changed; your other sign-ins were ended.");
                account = client.account().orElseThrow();
            }
            invocation.out().println("Signed in to " + client.server().orElseThrow() + " as "
                    + account.name() + " (" + account.role() + "). Run 'fieldbook sync' to download your sites.");
        } finally {
            Arrays.fill(password, ' ');
        }
        return 0;
    }

    private Account signIn(FieldbookClient client, Typed typed, char[] password) throws IOException {
        try {
            return client.signIn(user, password, code);
        } catch (SecondFactorRequired needed) {
            if (code != null) {
                throw needed;
            }
            return client.signIn(user, password, askForCode(typed));
        }
    }

    /** The second factor's code: the next line of standard input with --password-stdin, else from the terminal. */
    private String askForCode(Typed typed) throws IOException {
        if (typed.fromStdin()) {
            String line = typed.nextLine();
            if (line == null || line.isBlank()) {
                throw new ParameterException(invocation.commandLine(), "This account has a second factor: give its "
                        + "code with --code CODE, or on the line after the password");
            }
            return line.strip();
        }
        if (System.console() == null) {
            throw new ParameterException(invocation.commandLine(),
                    "This account has a second factor: give its code with --code CODE");
        }
        String line = typed.console().readLine("Code from your authenticator app (or a recovery code): ");
        if (line == null || line.isBlank()) {
            throw new ParameterException(invocation.commandLine(), "No code given");
        }
        return line.strip();
    }

    /** A server's address as typed; what is not one at all (no scheme, spaces) says what is expected. */
    static final class ServerAddress extends ParsedValue<URI> {
        ServerAddress() {
            super(URI::create, "a server address (expected http://host or https://host, e.g. https://fieldbook.example.com)");
        }
    }
}
