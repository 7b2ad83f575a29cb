package app.fieldbook.client.cli;

import app.fieldbook.client.FieldbookClient;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The report a command acts on, mixed in as its first parameter: the report's id or a unique prefix of it. */
@Command
final class ReportId {

    @Spec(Spec.Target.MIXEE)
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ID", description = "The report's id (or its first characters).")
    private String typed;

    /** The id of the report on this device that the typed id names; a usage error when none or several. */
    UUID in(FieldbookClient client) {
        return ReportCommand.reportId(spec.commandLine(), client, typed);
    }
}
