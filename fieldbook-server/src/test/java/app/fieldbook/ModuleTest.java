package app.fieldbook;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.ContextConfiguration;

/**
 * A test of one module with the modules it uses, on H2 and (in the {@code postgres} Surefire
 * run) on PostgreSQL, without the web server: the module's services are called as another module would,
 * and its events are seen through Spring Modulith's {@code Scenario} and {@code PublishedEvents}. The
 * modules that only listen (audit, sync) are not started. Build the rows a test needs with {@link Rows}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("database")
@ApplicationModuleTest(mode = ApplicationModuleTest.BootstrapMode.ALL_DEPENDENCIES)
@ContextConfiguration(initializers = TestDatabase.class)
@ActiveProfiles("test")
public @interface ModuleTest {
}
