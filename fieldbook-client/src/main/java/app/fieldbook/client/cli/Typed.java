package app.fieldbook.client.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * What a person types for a command: passwords and codes, from the terminal (never echoed) or, with
 * {@code --password-stdin}, line by line from standard input, for scripts.
 */
final class Typed {

    private final CommandLine commandLine;
    private final Invocation invocation;
    private final boolean fromStdin;
    private BufferedReader stdin;

    Typed(Invocation invocation, boolean fromStdin) {
        this.commandLine = invocation.commandLine();
        this.invocation = invocation;
        this.fromStdin = fromStdin;
    }

    boolean fromStdin() {
        return fromStdin;
    }

    /** The next line of standard input, or null at its end. */
    String nextLine() throws IOException {
        if (stdin == null) {
            stdin = new BufferedReader(new InputStreamReader(invocation.stdin(), StandardCharsets.UTF_8));
        }
        return stdin.readLine();
    }

    /** A secret: the next line of standard input, else typed at the terminal after {@code prompt}. */
    char[] secret(String prompt, String missing) throws IOException {
        if (fromStdin) {
            String line = nextLine();
            if (line == null || line.isEmpty()) {
                throw new ParameterException(commandLine, missing + " on standard input");
            }
            return line.toCharArray();
        }
        char[] typed = console().readPassword("%s", prompt);
        if (typed == null || typed.length == 0) {
            throw new ParameterException(commandLine, missing);
        }
        return typed;
    }

    /** A new password: the next line of standard input, else typed twice at the terminal, the same both times. */
    char[] chosenPassword() throws IOException {
        char[] chosen = secret("New password (at least 12 characters): ", "No new password");
        if (fromStdin) {
            return chosen;
        }
        char[] again = secret("The new password again: ", "No new password");
        try {
            if (!Arrays.equals(chosen, again)) {
                Arrays.fill(chosen, ' ');
                throw new ParameterException(commandLine, "The two new passwords differ; nothing was changed");
            }
        } finally {
            Arrays.fill(again, ' ');
        }
        return chosen;
    }

    Console console() {
        Console console = System.console();
        if (console == null) {
            throw new ParameterException(commandLine, "No terminal to ask; use --password-stdin");
        }
        return console;
    }
}
