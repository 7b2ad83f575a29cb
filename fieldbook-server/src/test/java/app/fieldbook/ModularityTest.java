package app.fieldbook;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

class ModularityTest {

    /** The server's modules; the Java client, on the test class path for end-to-end tests, is not one. */
    private static final ApplicationModules MODULES = ApplicationModules.of(FieldbookApplication.class,
            JavaClass.Predicates.resideInAPackage("app.fieldbook.client.."));

    @Test
    void modulesHaveNoCyclesAndUseOnlyEachOthersPublicTypes() {
        assertThat(MODULES.stream().map(module -> module.getIdentifier().toString()))
                .contains("identity", "sites", "reports", "attachments", "audit", "demo");
        MODULES.verify();
    }

    /**
     * The Mermaid diagram in docs/architecture.md is generated from the code; when a dependency between
     * modules changes, this test fails and leaves the new diagram in target/modules.mmd to paste in.
     */
    @Test
    void theArchitectureDocumentShowsTheCurrentModuleDependencies() throws Exception {
        StringBuilder diagram = new StringBuilder("```mermaid\nflowchart BT\n");
        MODULES.stream().sorted(Comparator.comparing(module -> module.getIdentifier().toString())).forEach(module ->
                module.getDirectDependencies(MODULES).uniqueModules()
                        .map(target -> target.getIdentifier().toString())
                        .sorted()
                        .forEach(target -> diagram.append("    ").append(module.getIdentifier()).append(" --> ")
                                .append(target).append('\n')));
        diagram.append("```\n");
        Path generated = Path.of("target/modules.mmd");
        Files.writeString(generated, diagram);
        String architecture = Files.readString(Path.of("../docs/architecture.md"));
        assertThat(architecture)
                .as("docs/architecture.md shows the module dependencies of the code; paste in " + generated.toAbsolutePath())
                .contains(diagram);
    }

    @Test
    void theModuleDiagramIsWritten() {
        new Documenter(MODULES, Documenter.Options.defaults().withOutputFolder("target/spring-modulith-docs"))
                .writeModulesAsPlantUml()
                .writeIndividualModulesAsPlantUml()
                .writeModuleCanvases();
        assertThat(new java.io.File("target/spring-modulith-docs/components.puml")).exists();
    }
}
