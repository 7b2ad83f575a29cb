package app.fieldbook.client.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** A command that only holds others ({@code fieldbook}, {@code fieldbook report}, ...): run alone, it is a usage error naming them. */
abstract class CommandGroup implements Runnable {

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        List<String> names = spec.subcommands().values().stream().map(CommandLine::getCommandName).distinct().toList();
        String choices = names.size() == 1 ? names.getFirst()
                : String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.getLast();
        throw new ParameterException(spec.commandLine(), "Missing command: " + choices);
    }
}
