package app.fieldbook.client.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The store is not for applications: a type of it is public only when the sync engine's other packages
 * ({@code app.fieldbook.client}, {@code replica}, {@code sync.*}) must name or call it, and then it is on
 * this list. A type that becomes public, or stops being public, fails here until the list says why.
 */
class StoreVisibilityTest {

    private static final String STORE = "app.fieldbook.client.store";

    /** The engine opens the store and runs its work in the store's transactions. */
    private static final List<String> HANDLE = List.of("LocalStore", "LocalStore$VoidWork");

    /** The tables, reached through {@link LocalStore}'s accessors by the facade and the sync's jobs. */
    private static final List<String> TABLES = List.of("Device", "Outbox", "Reports", "Photos", "PhotoUploads",
            "Conflicts", "Sites", "People", "RejectedChanges");

    /** The rows the tables give and take that no public type of {@code app.fieldbook.client} carries. */
    private static final List<String> ROWS = List.of("OutboxEntry", "StoredReport", "StoredPhoto", "StoredUpload");

    @Test
    void onlyTheTypesTheSyncEngineNeedsArePublic() throws IOException, URISyntaxException {
        assertThat(publicTypes()).containsExactlyInAnyOrderElementsOf(
                Stream.of(HANDLE, TABLES, ROWS).flatMap(List::stream).toList());
    }

    /** The public types compiled into the store's package (the main classes, not the tests'). */
    private static List<String> publicTypes() throws IOException, URISyntaxException {
        Path classes = Path.of(LocalStore.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolve(STORE.replace('.', '/'));
        try (Stream<Path> files = Files.list(classes)) {
            return files.map(file -> file.getFileName().toString())
                    .filter(name -> name.endsWith(".class") && !name.equals("package-info.class"))
                    .map(name -> name.substring(0, name.length() - ".class".length()))
                    .filter(name -> Modifier.isPublic(load(STORE + "." + name).getModifiers()))
                    .toList();
        }
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, StoreVisibilityTest.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}
