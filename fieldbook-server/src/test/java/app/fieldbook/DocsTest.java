package app.fieldbook;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the docs true where they name code. In the README files and everything under {@code docs/}, a
 * name in backticks that looks like a Java type ({@code `PhotoUploads`}, {@code `sync.pull.ChangeFeed`})
 * must be declared in the sources or be on the list of other names below, a {@code `Type.member`} must be
 * a member of that type, and a setting ({@code `fieldbook.sync.sequence-interval`}) must be one the code
 * reads: a component of a {@code @ConfigurationProperties} record, or a key written out in the code, the
 * configuration or the scripts. (An independent read once found four of five claims of the architecture
 * document out of date.)
 */
class DocsTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    /** Names in backticks that are not Fieldbook's types: libraries', and words that look like one. */
    private static final Set<String> NOT_OURS = Set.of(
            "Administrator", "DataIntegrityViolationException", "DelegatingPasswordEncoder", "DuplicateKeyException",
            "HttpClient", "HttpOnly", "JdbcClient", "OffsetDateTime", "Propagation", "RowMapper", "Secure",
            "SessionCreationPolicy");

    private static final Pattern DECLARATION = Pattern.compile("\\b(?:class|interface|record|enum)\\s+([A-Z]\\w*)");
    private static final Pattern CODE = Pattern.compile("`([^`\\s]+)`");
    private static final Pattern TYPE_NAME = Pattern.compile(
            "(?:[a-z]\\w*\\.)*([A-Z]\\w*[a-z]\\w*)(?:[.#]([a-z]\\w*)(?:\\(\\))?)?");
    private static final Pattern SETTING = Pattern.compile("(?<![\\w.])fieldbook\\.[a-z][a-z0-9.-]*[a-z0-9]");
    private static final Pattern SETTINGS_RECORD = Pattern.compile(
            "@ConfigurationProperties\\(\"(fieldbook\\.[a-z.-]+)\"\\)\\s*(?:public\\s+)?record\\s+(\\w+)");
    private static final Set<String> LIBRARY_PACKAGES = Set.of("org", "java", "javax", "jakarta", "com", "tools", "io");

    @Test
    void everyTypeAndMemberTheDocsNameExists() throws IOException {
        Map<String, List<Path>> declared = declaredTypes();
        List<String> wrong = new ArrayList<>();
        for (Path doc : docs()) {
            Matcher code = CODE.matcher(read(doc));
            while (code.find()) {
                String token = code.group(1);
                Matcher name = TYPE_NAME.matcher(token);
                if (!name.matches() || LIBRARY_PACKAGES.contains(token.split("\\.")[0])) {
                    continue;
                }
                String type = name.group(1);
                String member = name.group(2);
                if (NOT_OURS.contains(type)) {
                    continue;
                }
                if (!declared.containsKey(type)) {
                    wrong.add(ROOT.relativize(doc) + ": `" + token + "` (no such type)");
                } else if (member != null && declared.get(type).stream().noneMatch(file -> hasMember(file, member))) {
                    wrong.add(ROOT.relativize(doc) + ": `" + token + "` (no such member)");
                }
            }
        }
        assertThat(wrong).as("names in the docs that the code does not have").isEmpty();
    }

    @Test
    void everySettingTheDocsNameIsReadByTheCode() throws IOException {
        Set<String> known = knownSettings();
        Set<String> wrong = new TreeSet<>();
        for (Path doc : docs()) {
            Matcher code = CODE.matcher(read(doc));
            while (code.find()) {
                Matcher setting = SETTING.matcher(code.group(1));
                if (setting.lookingAt()) {
                    String key = setting.group();
                    if (!known.contains(key)) {
                        wrong.add(ROOT.relativize(doc) + ": `" + key + "`");
                    }
                }
            }
        }
        assertThat(known).as("settings found in the code").contains("fieldbook.sync.sequence-interval",
                "fieldbook.identity.first-administrator.login", "fieldbook.attachments.upload-directory");
        assertThat(wrong).as("settings in the docs that the code does not read").isEmpty();
    }

    @Test
    void theCheckFindsANameThatIsGone() {
        assertThat(TYPE_NAME.matcher("sync.pull.ChangeFeed").matches()).isTrue();
        assertThat(declaredTypes()).containsKey("ChangeFeed").doesNotContainKey("ChangeFeedThatNeverWas");
        assertThat(knownSettings()).doesNotContain("fieldbook.sync.upload-directory");
    }

    private static List<Path> docs() throws IOException {
        List<Path> docs = new ArrayList<>();
        try (Stream<Path> all = Files.walk(ROOT.resolve("docs"))) {
            all.filter(path -> path.toString().endsWith(".md")).forEach(docs::add);
        }
        try (Stream<Path> top = Files.walk(ROOT, 2)) {
            top.filter(path -> path.getFileName().toString().equals("README.md")).forEach(docs::add);
        }
        assertThat(docs).as("docs found under " + ROOT).hasSizeGreaterThan(10);
        return docs;
    }

    /** Every type declared in the sources (main and test, every module), with the files that declare it. */
    private static Map<String, List<Path>> declaredTypes() {
        Map<String, List<Path>> declared = new HashMap<>();
        for (Path source : sources(".java")) {
            Matcher declaration = DECLARATION.matcher(read(source));
            while (declaration.find()) {
                declared.computeIfAbsent(declaration.group(1), name -> new ArrayList<>()).add(source);
            }
        }
        return declared;
    }

    private static boolean hasMember(Path source, String member) {
        return Pattern.compile("\\b" + Pattern.quote(member) + "\\s*[(;=,)]").matcher(read(source)).find();
    }

    /**
     * The settings the code reads: the components of the {@code @ConfigurationProperties} records (nested
     * records of the same file give dotted keys), and every {@code fieldbook.} key written out in the code,
     * the configuration or the scripts (values read with {@code @Value}, system properties of the tests).
     */
    private static Set<String> knownSettings() {
        Set<String> known = new HashSet<>();
        for (Path source : sources(".java", ".yml", ".properties", "run", ".xml")) {
            if (source.getFileName().toString().equals("DocsTest.java")) {
                continue; // its own examples are no settings
            }
            String text = read(source);
            Matcher written = SETTING.matcher(text);
            while (written.find()) {
                known.add(written.group());
            }
            Matcher settings = SETTINGS_RECORD.matcher(text);
            while (settings.find()) {
                addComponents(text, settings.group(2), settings.group(1), known, 0);
            }
        }
        return known;
    }

    private static void addComponents(String source, String record, String prefix, Set<String> known, int depth) {
        Matcher header = Pattern.compile("record\\s+" + record + "\\s*\\(").matcher(source);
        if (depth > 3 || !header.find()) {
            return;
        }
        for (String component : components(source, header.end())) {
            String[] words = component.trim().split("\\s+");
            String name = words[words.length - 1];
            String type = words.length > 1 ? words[words.length - 2] : "";
            String key = prefix + "." + kebab(name);
            known.add(key);
            addComponents(source, type, key, known, depth + 1);
        }
    }

    /** The components of a record header that starts at {@code from}, annotations' arguments removed. */
    private static List<String> components(String source, int from) {
        List<String> components = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int depth = 0;
        for (int i = from; i < source.length(); i++) {
            char c = source.charAt(i);
            if (c == '(' || c == '<') {
                depth++;
            } else if ((c == ')' || c == '>') && depth > 0) {
                depth--;
            } else if (c == ')' || (c == ',' && depth == 0)) {
                components.add(current.toString().replaceAll("//[^\n]*", ""));
                current.setLength(0);
                if (c == ')') {
                    break;
                }
            } else if (depth == 0) {
                current.append(c);
            }
        }
        return components;
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    private static List<Path> sources(String... endings) {
        try (Stream<Path> all = Files.walk(ROOT)) {
            return all.filter(Files::isRegularFile)
                    .filter(path -> !path.toString().contains("/target/") && !path.toString().contains("/node_modules/")
                            && !path.toString().contains("/.git/"))
                    .filter(path -> Stream.of(endings).anyMatch(ending -> path.getFileName().toString().endsWith(ending)))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
