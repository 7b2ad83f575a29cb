package app.fieldbook.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/** The figures of a simulation, printed at its end and kept in {@code <results>/<name>.txt} for the run script. */
final class Summary {

    private Summary() {
    }

    static void publish(LoadSettings settings, String name, String text) {
        System.out.println();
        System.out.println(text);
        try {
            Files.createDirectories(settings.results());
            Files.writeString(settings.results().resolve(name + ".txt"), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
