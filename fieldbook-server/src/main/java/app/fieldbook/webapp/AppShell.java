package app.fieldbook.webapp;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.webjars.WebJarVersionLocator;

/**
 * The files of the web app's shell, found by following {@code index.html}: its links and scripts, the
 * manifest's icons, the import map, and every module imported from there on. The Service Worker keeps
 * exactly these files for use without a network, under a version that changes whenever one of them does.
 * One of them is written by the server: {@code /app/version.js}, the app's version
 * ({@code fieldbook.webapp.version}), which the app reports when it syncs.
 */
final class AppShell {

    private static final Pattern IMPORT_MAP = Pattern.compile(
            "<script type=\"importmap\">(.*?)</script>", Pattern.DOTALL);
    private static final Pattern MAPPING = Pattern.compile("\"([^\"]+)\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern LINK = Pattern.compile("(?:src|href)=\"(/[^\"]*)\"");
    private static final Pattern MANIFEST_ICON = Pattern.compile("\"src\"\\s*:\\s*\"(/[^\"]+)\"");
    /** The module the server writes, with the app's version. */
    static final String VERSION_MODULE = "/app/version.js";
    private static final Pattern APP_VERSION = Pattern.compile("[0-9A-Za-z.+-]{1,40}");
    private static final Pattern IMPORT = Pattern.compile("(?:\\bfrom|\\bimport)\\s*\\(?\\s*[\"']([^\"'\\s]+)[\"']");

    private final ClassLoader classLoader;
    private final WebJarVersionLocator webJars = new WebJarVersionLocator();
    private final String importMap;
    private final Map<String, String> imports = new LinkedHashMap<>();
    private final List<String> files;
    private final String version;
    private final String versionModule;

    AppShell(ClassLoader classLoader, String appVersion) {
        if (!APP_VERSION.matcher(appVersion).matches()) {
            throw new IllegalArgumentException("fieldbook.webapp.version must be 1 to 40 letters, digits and . + -, not "
                    + appVersion);
        }
        this.classLoader = classLoader;
        this.versionModule = "// Written by the server (fieldbook.webapp.version): the version this app reports when it syncs.\n"
                + "export const APP_VERSION = '" + appVersion + "';\n";
        String index = text("/").orElseThrow(() -> new IllegalStateException("static/index.html is missing"));
        Matcher map = IMPORT_MAP.matcher(index);
        if (!map.find()) {
            throw new IllegalStateException("static/index.html has no import map");
        }
        this.importMap = map.group(1);
        Matcher mapping = MAPPING.matcher(importMap);
        while (mapping.find()) {
            if (!mapping.group(1).equals("imports")) {
                imports.put(mapping.group(1), mapping.group(2));
            }
        }
        this.files = List.copyOf(follow(index));
        this.version = digest();
    }

    /** The CSP source that allows the import map of {@code index.html}, its only inline script. */
    String importMapHash() {
        return "'sha256-" + Base64.getEncoder().encodeToString(sha256(importMap.getBytes(StandardCharsets.UTF_8))) + "'";
    }

    /** The paths of the shell's files, {@code /} (the page itself) first. */
    List<String> files() {
        return files;
    }

    /** The content of {@link #VERSION_MODULE}. */
    String versionModule() {
        return versionModule;
    }

    /** A digest of every file of the shell: a new version of any of them is a new version of the app. */
    String version() {
        return version;
    }

    private Set<String> follow(String index) {
        Set<String> found = new LinkedHashSet<>();
        found.add("/");
        Deque<String> pending = new ArrayDeque<>();
        Matcher link = LINK.matcher(index);
        while (link.find()) {
            pending.add(link.group(1));
        }
        imports.forEach((specifier, target) -> {
            if (!specifier.endsWith("/")) {
                pending.add(target);
            }
        });
        while (!pending.isEmpty()) {
            String path = pending.poll();
            if (found.contains(path)) {
                continue;
            }
            Optional<String> content = text(path);
            if (content.isEmpty()) {
                continue;
            }
            found.add(path);
            if (path.endsWith(".js")) {
                Matcher imported = IMPORT.matcher(content.get());
                while (imported.find()) {
                    resolve(path, imported.group(1)).ifPresent(pending::add);
                }
            } else if (path.endsWith(".webmanifest")) {
                Matcher icon = MANIFEST_ICON.matcher(content.get());
                while (icon.find()) {
                    pending.add(icon.group(1));
                }
            }
        }
        return found;
    }

    /** Resolves a module specifier as the browser would: relative to the importer, or through the import map. */
    private Optional<String> resolve(String importer, String specifier) {
        if (specifier.startsWith("./") || specifier.startsWith("../") || specifier.startsWith("/")) {
            return Optional.of(URI.create(importer).resolve(specifier).getPath());
        }
        if (imports.containsKey(specifier)) {
            return Optional.of(imports.get(specifier));
        }
        return imports.keySet().stream()
                .filter(prefix -> prefix.endsWith("/") && specifier.startsWith(prefix))
                .max((a, b) -> Integer.compare(a.length(), b.length()))
                .map(prefix -> imports.get(prefix) + specifier.substring(prefix.length()));
    }

    private String digest() {
        MessageDigest digest = sha256();
        for (String path : files) {
            digest.update(path.getBytes(StandardCharsets.UTF_8));
            digest.update(bytes(path).orElse(new byte[0]));
        }
        return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
    }

    private Optional<String> text(String path) {
        return bytes(path).map(content -> new String(content, StandardCharsets.UTF_8));
    }

    /** The content the server sends for a path: a static file, or a file of a WebJar named without its version. */
    private Optional<byte[]> bytes(String path) {
        if (path.equals(VERSION_MODULE)) {
            return Optional.of(versionModule.getBytes(StandardCharsets.UTF_8));
        }
        String resource;
        if (path.equals("/")) {
            resource = "static/index.html";
        } else if (path.startsWith("/webjars/")) {
            String rest = path.substring("/webjars/".length());
            int slash = rest.indexOf('/');
            if (slash < 0) {
                return Optional.empty();
            }
            String name = rest.substring(0, slash);
            String version = webJars.version(name);
            if (version == null) {
                return Optional.empty();
            }
            resource = "META-INF/resources/webjars/" + name + "/" + version + rest.substring(slash);
        } else {
            resource = "static" + path;
        }
        try (InputStream in = classLoader.getResourceAsStream(resource)) {
            return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] sha256(byte[] content) {
        return sha256().digest(content);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
