package app.fieldbook;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.stereotype.Repository;

/** ADR 0006 lists the repositories; the list is the code's. */
class DataAccessDecisionTest {

    @Test
    void theDataAccessDecisionListsExactlyTheRepositories() throws Exception {
        List<String> repositories = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("app.fieldbook").stream()
                .filter(type -> type.isAnnotatedWith(Repository.class))
                .filter(type -> !type.getPackageName().startsWith("app.fieldbook.client"))
                .map(JavaClass::getSimpleName)
                .sorted()
                .toList();
        String decision = Files.readString(Path.of("../docs/adr/0006-plain-jdbc-instead-of-jpa.md"));
        Matcher list = Pattern.compile("repositories \\(([^)]*)\\)").matcher(decision);
        assertThat(list.find()).as("ADR 0006 names the repositories in \"repositories (`A`, `B`)\"").isTrue();
        List<String> named = Pattern.compile("`(\\w+)`").matcher(list.group(1)).results()
                .map(result -> result.group(1)).sorted().toList();
        assertThat(repositories).isNotEmpty();
        assertThat(named).isEqualTo(repositories);
    }
}
