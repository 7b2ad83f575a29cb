package app.fieldbook;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

/**
 * The module structure of the server: Spring Modulith's verification of every module, the rules it does
 * not cover (the Spring-free merge rules, the short list of what lives in the root package), and the
 * generated diagrams.
 */
class ModularityTest {

    /** The server's modules; the Java client, on the test class path for end-to-end tests, is not one. */
    private static final ApplicationModules MODULES = ApplicationModules.of(FieldbookApplication.class,
            JavaClass.Predicates.resideInAPackage("app.fieldbook.client.."));

    /** What may live in the root package, outside every module: the application and what all modules share. */
    private static final List<String> ROOT_PACKAGE = List.of("AppendedIds", "BackgroundJobs",
            "FieldbookApplication", "InsertsAtCommit", "KeyFile", "LagTolerantReads", "PerTransaction",
            "PrefixIndexedRequestMappings", "ProblemHandling", "RecurringJob", "RecurringJobs", "RejectedRequest",
            "RequestAdmission", "ServerBusy", "Snapshot", "StrictJson", "StrictParameters");

    /** The server's own classes, without the tests. */
    private static final JavaClasses SERVER = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("app.fieldbook");

    /**
     * Every module is named here, so that one that is not detected (or a new one) fails the test rather
     * than escaping notice; {@code verify} checks each of them.
     */
    @Test
    void modulesHaveNoCyclesAndUseOnlyEachOthersPublicTypes() {
        assertThat(MODULES.stream().map(module -> module.getIdentifier().toString()))
                .containsExactlyInAnyOrder("identity", "sites", "reports", "attachments", "audit", "sync", "insights",
                        "demo", "webapp", "monitoring", "digests", "protocol");
        MODULES.verify();
    }

    @Test
    void theMergeRulesAreFreeOfSpring() {
        JavaClasses merge = SERVER.that(JavaClass.Predicates.resideInAPackage("app.fieldbook.sync.merge.."));
        assertThat(merge).as("the classes of app.fieldbook.sync.merge").isNotEmpty();
        noClasses().should().dependOnClassesThat().resideInAPackage("org.springframework..")
                .because("the merge rules are plain Java, unit-tested without Spring")
                .check(merge);
    }

    @Test
    void theRootPackageHoldsOnlyWhatAllModulesShare() {
        assertThat(SERVER.that(JavaClass.Predicates.resideInAPackage("app.fieldbook")).stream()
                .filter(JavaClass::isTopLevelClass)
                .map(JavaClass::getSimpleName)
                .filter(name -> !name.equals("package-info")))
                .containsExactlyInAnyOrderElementsOf(ROOT_PACKAGE);
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
