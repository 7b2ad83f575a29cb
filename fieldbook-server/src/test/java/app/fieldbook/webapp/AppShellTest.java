package app.fieldbook.webapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The shell the Service Worker keeps, and its hash in the Content-Security-Policy, without a server. */
class AppShellTest {

    private final AppShell shell = new AppShell(AppShellTest.class.getClassLoader(), "0.1.0");

    @Test
    void theShellHoldsThePageItsModulesAndEveryLibraryModuleTheyImport() {
        assertThat(shell.files()).startsWith("/").contains(
                "/app/main.js", "/app/app.css", "/manifest.webmanifest", "/app/icons/icon-512.png",
                "/app/components/fb-report.js", "/app/store.js", "/app/sync.js", "/app/messages.js",
                "/webjars/lit/index.js", "/webjars/lit-element/lit-element.js", "/webjars/lit-html/lit-html.js",
                "/webjars/lit__reactive-element/reactive-element.js", "/webjars/lit__reactive-element/css-tag.js",
                "/webjars/idb/build/index.js", "/webjars/idb/build/wrap-idb-value.js");
        assertThat(shell.files()).doesNotHaveDuplicates().noneMatch(path -> path.contains("/development/"));
        assertThat(shell.version()).hasSize(16);
    }

    @Test
    void theAppsVersionIsAModuleOfTheShellAndANewVersionIsANewShell() {
        assertThat(shell.files()).contains(AppShell.VERSION_MODULE);
        assertThat(shell.versionModule()).contains("export const APP_VERSION = '0.1.0';");
        AppShell next = new AppShell(AppShellTest.class.getClassLoader(), "0.2.0");
        assertThat(next.versionModule()).contains("'0.2.0'");
        assertThat(next.version()).isNotEqualTo(shell.version());
        assertThatThrownBy(() -> new AppShell(AppShellTest.class.getClassLoader(), "1.0';alert(1);'"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theImportMapHashIsTheHashOfTheImportMapInThePage() throws Exception {
        String page;
        try (var in = getClass().getClassLoader().getResourceAsStream("static/index.html")) {
            page = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Matcher map = Pattern.compile("<script type=\"importmap\">(.*?)</script>", Pattern.DOTALL).matcher(page);
        assertThat(map.find()).isTrue();
        String expected = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
                .digest(map.group(1).getBytes(StandardCharsets.UTF_8)));
        assertThat(shell.importMapHash()).isEqualTo("'sha256-" + expected + "'");
        assertThat(Pattern.compile("<script(?![^>]*\\bsrc=)(?![^>]*type=\"importmap\")").matcher(page).find())
                .as("index.html has no inline script but the import map").isFalse();
        assertThat(page).doesNotContain("<style").doesNotContain(" style=");
    }

    /** Used by {@link WebAppTest}: every file of the Service Worker's list answers 200. */
    static List<String> unreachable(String base, List<String> paths) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        return paths.stream().filter(path -> {
            try {
                return http.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() != 200;
            } catch (Exception e) {
                return true;
            }
        }).toList();
    }
}
