package app.fieldbook.client.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
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
    void onlyTheTypesTheSyncEngineNeedsArePublic() {
        List<String> publicTypes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(STORE).stream()
                .filter(type -> type.getPackageName().equals(STORE))
                .filter(type -> type.getModifiers().contains(JavaModifier.PUBLIC))
                .map(JavaClass::getName)
                .map(name -> name.substring(STORE.length() + 1))
                .toList();

        assertThat(publicTypes).containsExactlyInAnyOrderElementsOf(
                Stream.of(HANDLE, TABLES, ROWS).flatMap(List::stream).toList());
    }
}
