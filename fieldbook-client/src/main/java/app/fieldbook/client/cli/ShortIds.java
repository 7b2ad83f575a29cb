package app.fieldbook.client.cli;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** Ids as people type them: the first eight characters in lists, any unique prefix on the command line. */
final class ShortIds {

    private ShortIds() {
    }

    static String of(UUID id) {
        return id.toString().substring(0, 8);
    }

    /**
     * The one id of {@code candidates} starting with {@code typed}.
     *
     * @throws ParameterException none or several match
     */
    static UUID resolve(CommandLine commandLine, String typed, Collection<UUID> candidates, String noun) {
        String prefix = typed.trim().toLowerCase(Locale.ROOT);
        List<UUID> matches = prefix.isEmpty() ? List.of()
                : candidates.stream().filter(id -> id.toString().startsWith(prefix)).distinct().toList();
        if (matches.size() == 1) {
            return matches.getFirst();
        }
        throw new ParameterException(commandLine, matches.isEmpty()
                ? "No " + noun + " '" + typed + "' on this device"
                : "'" + typed + "' matches " + matches.size() + " " + noun + "s; type more of the id");
    }
}
