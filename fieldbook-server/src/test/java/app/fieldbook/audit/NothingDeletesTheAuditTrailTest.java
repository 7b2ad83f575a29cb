package app.fieldbook.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No statement of the server removes anything from the audit trail: every DELETE, TRUNCATE and DROP in its
 * sources (the Java code, the migrations and the after-migrate script) names a table that is not an audit
 * table, except the queue of events waiting to be linked ({@code audit_unlinked}), which the linker empties
 * as it links (and an early migration made anew). With {@code AuditRetentionTest}, which runs every scheduled job with the clock eight years on,
 * this is the proof that no purge, present or added later, deletes audit rows.
 */
class NothingDeletesTheAuditTrailTest {

    private static final Pattern REMOVAL = Pattern.compile(
            "\\b(DELETE\\s+FROM|TRUNCATE(?:\\s+TABLE)?|DROP\\s+TABLE(?:\\s+IF\\s+EXISTS)?)\\s+([a-z_][a-z0-9_]*)",
            Pattern.CASE_INSENSITIVE);

    @Test
    void noStatementOfTheServerRemovesAuditRows() throws IOException {
        List<String> removals = new ArrayList<>();
        try (Stream<Path> files = Stream.concat(Files.walk(Path.of("src/main/java")),
                Files.walk(Path.of("src/main/resources/db")))) {
            for (Path file : files.filter(path -> path.toString().endsWith(".java") || path.toString().endsWith(".sql"))
                    .toList()) {
                Matcher removal = REMOVAL.matcher(Files.readString(file));
                while (removal.find()) {
                    removals.add(file.getFileName() + ": " + removal.group(1).toUpperCase(Locale.ROOT)
                            .replaceAll("\\s+", " ") + " " + removal.group(2).toLowerCase(Locale.ROOT));
                }
            }
        }
        assertThat(removals).as("the clean-ups are found").contains("Credentials.java: DELETE FROM credentials",
                "LoginThrottle.java: DELETE FROM login_failures", "AuditChain.java: DELETE FROM audit_unlinked");
        assertThat(removals).filteredOn(removal -> removal.substring(removal.lastIndexOf(' ') + 1).startsWith("audit_"))
                .allSatisfy(removal -> assertThat(removal).endsWith(" audit_unlinked"));
    }
}
