package app.fieldbook;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The rule of rolling upgrades, read from the migration files (docs/operations.md, "Rolling upgrades"; ADR 0036):
 * while the nodes are rolled one at a time, the previous release's code runs on the schema this release migrated
 * to, so a migration only expands. A migration numbered above {@link #BASELINE} must not drop or rename a table or a
 * column, change a column's type, or make a column NOT NULL (SET NOT NULL, or ADD COLUMN ... NOT NULL without a
 * DEFAULT, which the previous release's INSERTs would leave out), unless it is the contract step of an
 * expand/contract change and says so in a reviewed comment naming what it removes and the release since which no
 * code uses it: {@code -- contract: report_crew.old_column unused since v1.4}. Plain SQL only: what a {@code $$}
 * block does is not read, and is reviewed by hand; the two-release test
 * ({@code deploy/bin/fieldbook-rolling-upgrade-check}) finds the rest.
 */
class MigrationsRollTest {

    /**
     * The last migration written before the rule. V18 broke it (report_crew.report_date SET NOT NULL: a node of an
     * earlier release inserting crew rows fails); the rolling-upgrade section of docs/operations.md says so.
     */
    static final int BASELINE = 20;

    private static final Path RESOURCES = Path.of("src", "main", "resources", "db");
    private static final Pattern VERSIONED = Pattern.compile("V(\\d+)__\\w+\\.sql");
    private static final Pattern ADD_COLUMN = Pattern.compile("\\bADD\\s+(COLUMN\\s+)?(?!CONSTRAINT\\b)\\w+\\s");
    private static final Pattern MARKER = Pattern.compile(
            "--\\s*contract:\\s*\\S.*\\bunused since\\s+\\S+", Pattern.CASE_INSENSITIVE);
    private static final Map<String, Predicate<String>> BREAKING = Map.of(
            "DROP TABLE", matches("\\bDROP\\s+TABLE\\b"),
            "DROP COLUMN", matches("\\bDROP\\s+COLUMN\\b"),
            "RENAME", matches("\\bRENAME\\b"),
            "ALTER ... TYPE", matches("\\bALTER\\s+(COLUMN\\s+)?\\w+\\s+(SET\\s+DATA\\s+)?TYPE\\b"),
            "SET NOT NULL", matches("\\bSET\\s+NOT\\s+NULL\\b"),
            "ADD COLUMN ... NOT NULL without a DEFAULT", MigrationsRollTest::addsARequiredColumn);

    @Test
    void everyMigrationAfterTheBaselineKeepsThePreviousReleaseWorking() throws IOException {
        Map<Integer, Path> migrations = migrations();
        assertThat(migrations).as("the migrations under " + RESOURCES).containsKey(1).containsKey(BASELINE);
        List<String> breaking = new ArrayList<>();
        for (Map.Entry<Integer, Path> migration : migrations.entrySet()) {
            if (migration.getKey() > BASELINE) {
                breaking(Files.readString(migration.getValue())).forEach(found -> breaking.add(
                        migration.getValue() + ": " + found));
            }
        }
        assertThat(breaking).as("statements that break the previous release while the nodes roll; make the change "
                + "in two releases (expand, then contract), or mark the contract step with '-- contract: WHAT "
                + "unused since RELEASE'").isEmpty();
    }

    @Test
    void theCrewsReportDateOfV18BrokeThePreviousRelease() throws IOException {
        String v18 = Files.readString(migrations().get(18));

        assertThat(breaking(v18)).containsExactly(
                "SET NOT NULL: ALTER TABLE report_crew ALTER COLUMN report_date SET NOT NULL");
    }

    @Test
    void expandingIsAllowedAndEachBreakingStatementIsFound() {
        assertThat(breaking("""
                -- a nullable column, one with a default, a new table with NOT NULL columns, an index
                ALTER TABLE sites ADD COLUMN region VARCHAR(40);
                ALTER TABLE sites ADD COLUMN archived BOOLEAN NOT NULL DEFAULT FALSE;
                CREATE TABLE notes (id UUID NOT NULL PRIMARY KEY, body TEXT NOT NULL);
                CREATE INDEX notes_by_body ON notes (body);
                DROP INDEX sites_by_name;
                ALTER TABLE sites ADD CONSTRAINT sites_code_unique UNIQUE (code);
                DO $$ BEGIN EXECUTE 'ALTER TABLE sites RENAME TO places'; END $$;
                """)).isEmpty();
        assertThat(breaking("""
                ALTER TABLE sites ADD COLUMN region VARCHAR(40) NOT NULL;
                ALTER TABLE sites DROP COLUMN address;
                ALTER TABLE sites RENAME COLUMN name TO title;
                ALTER TABLE sites ALTER COLUMN code TYPE VARCHAR(80);
                alter table sites alter column code set data type text;
                DROP TABLE notes;
                """)).containsExactly(
                "ADD COLUMN ... NOT NULL without a DEFAULT: ALTER TABLE sites ADD COLUMN region VARCHAR(40) NOT NULL",
                "DROP COLUMN: ALTER TABLE sites DROP COLUMN address",
                "RENAME: ALTER TABLE sites RENAME COLUMN name TO title",
                "ALTER ... TYPE: ALTER TABLE sites ALTER COLUMN code TYPE VARCHAR(80)",
                "ALTER ... TYPE: alter table sites alter column code set data type text",
                "DROP TABLE: DROP TABLE notes");
    }

    @Test
    void aMarkedContractStepIsAllowed() {
        assertThat(breaking("""
                -- contract: sites.address unused since v1.4 (the code reads sites.street from v1.3 on)
                ALTER TABLE sites DROP COLUMN address;
                """)).isEmpty();
        assertThat(breaking("""
                -- contract: sites.address
                ALTER TABLE sites DROP COLUMN address;
                """)).as("a marker that names no release").hasSize(1);
    }

    private static Predicate<String> matches(String regex) {
        return Pattern.compile(regex).asPredicate();
    }

    /** Whether an ALTER TABLE statement (upper case) adds a column NOT NULL without a DEFAULT. */
    private static boolean addsARequiredColumn(String statement) {
        if (!statement.startsWith("ALTER TABLE")) {
            return false;
        }
        List<String> clauses = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < statement.length(); i++) {
            char c = statement.charAt(i);
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            if (c == ',' && depth == 0) {
                clauses.add(statement.substring(start, i));
                start = i + 1;
            }
        }
        clauses.add(statement.substring(start));
        return clauses.stream().anyMatch(clause -> ADD_COLUMN.matcher(clause).find()
                && clause.matches(".*\\bNOT\\s+NULL\\b.*") && !clause.matches(".*\\bDEFAULT\\b.*"));
    }

    /** Every versioned migration of every location, by version; a version in two locations fails. */
    private static Map<Integer, Path> migrations() throws IOException {
        Map<Integer, Path> migrations = new TreeMap<>();
        try (Stream<Path> files = Files.walk(RESOURCES)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Matcher versioned = VERSIONED.matcher(file.getFileName().toString());
                if (versioned.matches()) {
                    Path other = migrations.put(Integer.parseInt(versioned.group(1)), file);
                    assertThat(other).as("another migration of version " + versioned.group(1) + " than " + file)
                            .isNull();
                }
            }
        }
        return migrations;
    }

    /**
     * The statements of this script that break the previous release, each as "what: statement", none when the
     * script carries a contract marker. {@code $$} blocks and comments are left out.
     */
    static List<String> breaking(String script) {
        if (MARKER.matcher(script).find()) {
            return List.of();
        }
        String plain = script.replaceAll("(?s)\\$\\$.*?\\$\\$", "''").replaceAll("--[^\\n]*", "");
        List<String> found = new ArrayList<>();
        for (String statement : plain.split(";")) {
            String flat = statement.strip().replaceAll("\\s+", " ");
            String upper = flat.toUpperCase(java.util.Locale.ROOT);
            BREAKING.entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .filter(rule -> rule.getValue().test(upper))
                    .findFirst()
                    .ifPresent(rule -> found.add(rule.getKey() + ": " + flat));
        }
        return found;
    }
}
