package app.fieldbook.client.cli;

import app.fieldbook.client.FieldbookClient;
import app.fieldbook.client.ServerUnreachable;
import app.fieldbook.protocol.Conflict;
import app.fieldbook.protocol.ConflictResolution;
import app.fieldbook.protocol.ConflictResolution.Choice;
import app.fieldbook.protocol.CrewRow;
import app.fieldbook.protocol.ReportField;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

@Command(name = "conflicts", description = "See and resolve fields two people changed differently.",
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {ConflictsCommand.ListConflicts.class, ConflictsCommand.Resolve.class})
final class ConflictsCommand extends CommandGroup {

    @Command(name = "list", description = "List the open conflicts (from the server when online).")
    static final class ListConflicts extends ClientCommand {

        @Override
        int run(FieldbookClient client) {
            PrintWriter out = invocation.out();
            List<Conflict> open;
            try {
                open = client.refreshConflicts();
            } catch (ServerUnreachable offline) {
                open = client.conflicts();
                invocation.err().println("fieldbook: offline; showing the conflicts of the last sync.");
            }
            if (open.isEmpty()) {
                out.println("No open conflicts.");
            }
            ShortIds ids = ShortIds.known(client);
            for (Conflict conflict : open) {
                out.println(ids.of(conflict.id()) + "  " + conflict.entity() + " "
                        + ids.of(conflict.entityId()) + "  " + conflict.field());
                out.println("    server: " + conflict.serverValue() + "  ("
                        + who(client, ids, conflict.serverChangedBy()) + ", " + conflict.serverChangedAt() + ")");
                out.println("    client: " + conflict.clientValue() + "  ("
                        + who(client, ids, conflict.clientChangedBy()) + ", " + conflict.clientChangedAt() + ")");
            }
            return 0;
        }

        private static String who(FieldbookClient client, ShortIds ids, UUID person) {
            return person == null ? "unknown" : client.personName(person).orElse(ids.of(person));
        }
    }

    @Command(name = "resolve", description = "Resolve a conflict: keep the server's value, take the client's, or write a new one.")
    static final class Resolve extends ClientCommand {

        @Parameters(index = "0", paramLabel = "ID", description = "The conflict's id (or its first characters).")
        private String id;

        @ArgGroup(exclusive = true, multiplicity = "1")
        private Choosing choosing;

        static final class Choosing {
            @Option(names = "--server", required = true, description = "Keep the server's value.")
            boolean server;

            @Option(names = "--client", required = true, description = "Take the value from the device.")
            boolean client;

            @Option(names = "--value", required = true, paramLabel = "TEXT",
                    description = "Write this value (a number for the temperature, JSON rows for the crew).")
            String value;
        }

        @Override
        int run(FieldbookClient client) {
            List<Conflict> known = client.conflicts();
            ShortIds ids = ShortIds.known(client);
            UUID conflictId = ShortIds.resolve(invocation.commandLine(), id, known.stream().map(Conflict::id).toList(),
                    "conflict");
            Conflict conflict = known.stream().filter(c -> c.id().equals(conflictId)).findFirst().orElseThrow();
            ConflictResolution resolution = choosing.server ? new ConflictResolution(Choice.SERVER, null)
                    : choosing.client ? new ConflictResolution(Choice.CLIENT, null)
                    : new ConflictResolution(Choice.VALUE, value(conflict.field(), choosing.value));
            Conflict resolved = client.resolveConflict(conflictId, resolution);
            invocation.out().println("Resolved " + ids.of(resolved.id()) + " (" + resolved.field()
                    + " = " + resolved.resolvedValue() + "); the report updates with the next sync.");
            return 0;
        }

        private Object value(String field, String text) {
            if (ReportField.WEATHER_TEMPERATURE.wireName().equals(field)) {
                try {
                    return new BigDecimal(text.trim());
                } catch (NumberFormatException e) {
                    throw new ParameterException(invocation.commandLine(), "'" + text + "' is not a temperature");
                }
            }
            if (ReportField.CREW.wireName().equals(field)) {
                try {
                    return Arrays.asList(JsonMapper.builder().build().readValue(text, CrewRow[].class));
                } catch (JacksonException e) {
                    throw new ParameterException(invocation.commandLine(), "The crew is JSON rows, e.g. "
                            + "[{\"trade\":\"Concrete\",\"company\":null,\"headcount\":6,\"hours\":48}]");
                }
            }
            return Optional.ofNullable(text).filter(value -> !value.isBlank()).orElse(null);
        }
    }
}
