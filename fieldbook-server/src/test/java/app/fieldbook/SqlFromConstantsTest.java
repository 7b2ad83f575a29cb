package app.fieldbook;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No SQL is built from input: every place in the server's sources that hands SQL text to the database
 * ({@code JdbcClient.sql}, the {@code JdbcTemplate} and {@code NamedParameterJdbcTemplate} methods, JDBC's
 * {@code prepareStatement} and {@code execute*}, {@link InsertsAtCommit#add}, and the conditions and
 * statements of {@code ScopedQuery}) gets an expression made only of string literals, text blocks and
 * {@code static final String} constants of its own class, joined with {@code +} or filled in with
 * {@code formatted}; the site predicate of {@code DataScope}, which binds its ids as parameters and takes a
 * column name only if it is a plain column reference; and the few local values named below, each chosen
 * among literals by code (a column for one of two cases, say). A constant may be computed
 * (from the columns of an enum, say), but only when its class is loaded, where no request can reach it; a
 * value reaches the database only as a bound parameter. The two methods that take SQL as a parameter and
 * pass it on ({@code InsertsAtCommit} and {@code ScopedQuery} themselves) are named below; their callers
 * are checked instead. A source scan, not a compiler plug-in: it reads the text, so it is strict about form
 * (a local variable holding a literal is refused too) and a new way to reach the database needs its pattern
 * added here.
 */
class SqlFromConstantsTest {

    private static final Path SOURCES = Path.of("src/main/java");

    /** Where SQL passes through a parameter on purpose: file name to the argument text allowed there. */
    private static final Map<String, Set<String>> FORWARDERS = Map.of(
            "InsertsAtCommit.java", Set.of("sql", "batch"),
            "ScopedQuery.java", Set.of("sql(select, rest)"));

    /**
     * Values chosen among literals by code, never taken from input: file name to the names that hold them.
     * {@code Portfolios} picks its condition by the person's role; {@code Devices} writes the time of a push or
     * of a pull; {@code DailyReports} reads a page in one of its two list orders.
     */
    private static final Map<String, Set<String>> CHOSEN = Map.of(
            "Portfolios.java", Set.of("where"),
            "Devices.java", Set.of("stamp"),
            "DailyReports.java", Set.of("order"));

    private static final Pattern SITE_PREDICATE = Pattern.compile("\\w+\\.sitePredicate\\(\"[\\w.]+\"\\)");
    private static final Pattern FORMATTED = Pattern.compile("(?s)(.*)\\.formatted\\((.*)\\)");
    private static final Pattern JDBC_TEMPLATE = Pattern.compile(
            "\\b(?:NamedParameter)?JdbcTemplate\\s+(\\w+)\\s*[;,)=]");
    private static final Pattern JDBC_STATEMENT = Pattern.compile(
            "\\b(?:Connection|Statement|PreparedStatement|CallableStatement)\\s+(\\w+)\\s*[;,)=]");
    private static final Pattern INSERTS = Pattern.compile("\\bInsertsAtCommit\\s+(\\w+)\\s*[;,)=]");
    private static final Pattern CONSTANT = Pattern.compile("\\bstatic\\s+final\\s+String\\s+(\\w+)\\s*=");
    private static final Pattern STRING = Pattern.compile("\"(?:\\\\.|[^\"\\\\])*\"");

    /** A call that takes SQL, and which of its arguments are SQL. */
    private record Sink(String source, int call, List<Integer> arguments) {
    }

    @Test
    void everyStatementOfTheServerIsMadeOfConstants() throws IOException {
        List<String> found = new ArrayList<>();
        Set<String> forwardersSeen = new HashSet<>();
        Set<String> chosenSeen = new HashSet<>();
        int sinks = 0;
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(path -> path.toString().endsWith(".java")).toList()) {
                String name = file.getFileName().toString();
                String source = withoutComments(Files.readString(file));
                for (Sink sink : sinks(source)) {
                    sinks++;
                    List<String> arguments = arguments(source, sink.call());
                    for (int index : sink.arguments()) {
                        if (index >= arguments.size()) {
                            continue;
                        }
                        String sql = arguments.get(index).strip();
                        if (FORWARDERS.getOrDefault(name, Set.of()).contains(sql)) {
                            forwardersSeen.add(name + ":" + sql);
                        } else if (!isConstant(sql, source, CHOSEN.getOrDefault(name, Set.of()), chosenSeen)) {
                            found.add(name + ": " + sink.source() + "(" + sql + ")");
                        }
                    }
                }
            }
        }
        assertThat(found).as("SQL built from something other than constants").isEmpty();
        assertThat(sinks).as("calls that hand SQL to the database (none means the scan is broken)")
                .isGreaterThan(50);
        assertThat(forwardersSeen).as("the forwarders named here still exist")
                .containsExactlyInAnyOrder("InsertsAtCommit.java:sql", "InsertsAtCommit.java:batch",
                        "ScopedQuery.java:sql(select, rest)");
        assertThat(chosenSeen).as("the values chosen among literals named here are still used")
                .containsExactlyInAnyOrder("where", "stamp", "order");
    }

    @Test
    void sqlWithInputConcatenatedIsFound() {
        String source = """
                class Leaky {
                    private static final String TABLE = "reports";
                    private final JdbcTemplate jdbc;
                    private final InsertsAtCommit inserts;
                    void leak(String name, ScopedQuery query) {
                        jdbc.sql("SELECT * FROM " + TABLE + " WHERE id = ?").param(name).query();
                        jdbc.sql("SELECT * FROM reports WHERE name = '" + name + "'").query();
                        jdbc.queryForList("SELECT " + name);
                        inserts.add("INSERT INTO t VALUES ('%s')".formatted(name));
                        query.filter("name = '" + name + "'", null).statement(jdbc, \"""
                                SELECT 1\""", "ORDER BY " + name);
                    }
                }
                """;
        List<String> refused = new ArrayList<>();
        for (Sink sink : sinks(withoutComments(source))) {
            List<String> arguments = arguments(source, sink.call());
            sink.arguments().stream().filter(index -> index < arguments.size())
                    .map(index -> arguments.get(index).strip())
                    .filter(sql -> !isConstant(sql, source, Set.of(), new HashSet<>()))
                    .forEach(refused::add);
        }
        assertThat(refused).containsExactly("\"SELECT * FROM reports WHERE name = '\" + name + \"'\"",
                "\"SELECT \" + name", "\"INSERT INTO t VALUES ('%s')\".formatted(name)",
                "\"name = '\" + name + \"'\"", "\"ORDER BY \" + name");
    }

    /** The calls of a source that take SQL: the name of what is called, and where its parenthesis opens. */
    private static List<Sink> sinks(String source) {
        List<Sink> sinks = new ArrayList<>();
        add(sinks, source, "\\.sql\\s*\\(", List.of(0));
        for (String template : declared(JDBC_TEMPLATE, source)) {
            add(sinks, source, "\\b" + template
                    + "\\.(?:update|batchUpdate|query|queryForObject|queryForList|queryForMap|queryForRowSet|queryForStream"
                    + "|execute)\\s*\\(", List.of(0));
        }
        for (String statement : declared(JDBC_STATEMENT, source)) {
            add(sinks, source, "\\b" + statement
                    + "\\.(?:prepareStatement|prepareCall|execute|executeQuery|executeUpdate|executeLargeUpdate|addBatch)"
                    + "\\s*\\(", List.of(0));
        }
        for (String inserts : declared(INSERTS, source)) {
            add(sinks, source, "\\b" + inserts + "\\.add\\s*\\(", List.of(0));
        }
        if (source.contains("ScopedQuery")) {
            // a condition of ScopedQuery: every where(...), and filter(...) with a string (a stream's filter takes a lambda)
            add(sinks, source, "\\.where\\s*\\(", List.of(0));
            add(sinks, source, "\\.filter\\s*\\((?=\\s*\")", List.of(0));
            add(sinks, source, "\\.statement\\s*\\(", List.of(1, 2));
        }
        return sinks;
    }

    private static void add(List<Sink> sinks, String source, String call, List<Integer> arguments) {
        Matcher matcher = Pattern.compile(call).matcher(source);
        while (matcher.find()) {
            if (source.substring(matcher.end()).stripLeading().startsWith(")")) {
                continue; // no argument, no SQL: a prepared statement's execute()
            }
            sinks.add(new Sink(matcher.group().replaceAll("[\\s(]", ""), matcher.end() - 1, arguments));
        }
    }

    private static Set<String> declared(Pattern declaration, String source) {
        Set<String> names = new HashSet<>();
        declaration.matcher(source).results().forEach(result -> names.add(result.group(1)));
        return names;
    }

    /**
     * Literals, text blocks, this class's {@code static final String}s, site predicates and the values
     * {@code chosen} among literals, joined with {@code +} or filled in with {@code formatted}.
     */
    private static boolean isConstant(String expression, String source, Set<String> chosen, Set<String> chosenSeen) {
        Set<String> constants = declared(CONSTANT, source);
        for (String term : topLevel(expression, '+')) {
            String part = term.strip();
            boolean literal = STRING.matcher(part).matches() && !part.startsWith("\"\"\"");
            boolean textBlock = part.startsWith("\"\"\"") && part.endsWith("\"\"\"")
                    && part.indexOf("\"\"\"", 3) == part.length() - 3;
            if (literal || textBlock || constants.contains(part) || SITE_PREDICATE.matcher(part).matches()) {
                continue;
            }
            if (chosen.contains(part)) {
                chosenSeen.add(part);
                continue;
            }
            Matcher formatted = FORMATTED.matcher(part);
            if (formatted.matches() && isConstant(formatted.group(1), source, chosen, chosenSeen)
                    && topLevel(formatted.group(2), ',').stream()
                            .allMatch(argument -> isConstant(argument, source, chosen, chosenSeen))) {
                continue;
            }
            return false;
        }
        return true;
    }

    /** The arguments of the call whose parenthesis opens at {@code open}. */
    private static List<String> arguments(String source, int open) {
        int depth = 0;
        int i = open;
        while (i < source.length()) {
            char c = source.charAt(i);
            if (c == '"') {
                i = afterString(source, i);
                continue;
            }
            if (c == '\'') {
                i = source.indexOf('\'', i + (source.charAt(i + 1) == '\\' ? 3 : 2)) + 1;
                continue;
            }
            if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
                if (depth == 0) {
                    return topLevel(source.substring(open + 1, i), ',');
                }
            }
            i++;
        }
        throw new IllegalStateException("unbalanced call at " + open);
    }

    /** {@code text} split at {@code separator} where it stands outside brackets and strings. */
    private static List<String> topLevel(String text, char separator) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '"') {
                i = afterString(text, i);
                continue;
            }
            if (c == '(' || c == '[' || c == '{' || c == '<') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}' || c == '>') {
                depth--;
            } else if (c == separator && depth == 0) {
                parts.add(text.substring(start, i));
                start = i + 1;
            }
            i++;
        }
        parts.add(text.substring(start));
        return parts;
    }

    /** The index after the string literal or text block that starts at {@code start}. */
    private static int afterString(String text, int start) {
        if (text.startsWith("\"\"\"", start)) {
            int end = start + 3;
            while (true) {
                end = text.indexOf("\"\"\"", end);
                if (text.charAt(end - 1) != '\\') {
                    return end + 3;
                }
                end++;
            }
        }
        int i = start + 1;
        while (text.charAt(i) != '"') {
            i += text.charAt(i) == '\\' ? 2 : 1;
        }
        return i + 1;
    }

    /** The source with its comments blanked out (strings, where comment marks may stand, kept). */
    private static String withoutComments(String source) {
        StringBuilder code = new StringBuilder(source);
        int i = 0;
        while (i < source.length()) {
            if (source.charAt(i) == '"') {
                i = afterString(source, i);
            } else if (source.charAt(i) == '\'') {
                i = source.indexOf('\'', i + (source.charAt(i + 1) == '\\' ? 3 : 2)) + 1;
            } else if (source.startsWith("//", i) || source.startsWith("/*", i)) {
                int end = source.startsWith("//", i) ? source.indexOf('\n', i) : source.indexOf("*/", i) + 2;
                end = end < i ? source.length() : end;
                for (int j = i; j < end; j++) {
                    if (code.charAt(j) != '\n') {
                        code.setCharAt(j, ' ');
                    }
                }
                i = end;
            } else {
                i++;
            }
        }
        return code.toString();
    }
}
