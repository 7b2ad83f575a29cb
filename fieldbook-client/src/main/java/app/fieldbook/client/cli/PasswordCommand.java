package app.fieldbook.client.cli;

import app.fieldbook.client.FieldbookClient;
import java.io.IOException;
import java.util.Arrays;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "password", description = "Choose a new password for the person signed in on this device; this "
        + "device stays signed in, their other sign-ins end.")
final class PasswordCommand extends ClientCommand {

    @Option(names = "--password-stdin", description = "Read the current password from the first line of standard "
            + "input and the new one from the second.")
    private boolean passwordStdin;

    @Override
    int run(FieldbookClient client) throws IOException {
        Typed typed = new Typed(invocation, passwordStdin);
        char[] current = typed.secret("Current password: ", "No current password");
        try {
            char[] chosen = typed.chosenPassword();
            try {
                client.changePassword(current, chosen);
            } finally {
                Arrays.fill(chosen, ' ');
            }
        } finally {
            Arrays.fill(current, ' ');
        }
        invocation.out().println("Password changed; your other sign-ins were ended.");
        return 0;
    }
}
