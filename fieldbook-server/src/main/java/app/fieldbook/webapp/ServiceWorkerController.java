package app.fieldbook.webapp;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Serves the Service Worker ({@code /sw.js}) with the shell's files and version written in, so that a
 * new version of any file makes the browser install the new worker, which then keeps the new files; and
 * the app's version module ({@code /app/version.js}).
 */
@RestController
class ServiceWorkerController {

    private final String script;
    private final String versionModule;

    ServiceWorkerController(AppShell shell) throws IOException {
        this.versionModule = shell.versionModule();
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("webapp/sw.js")) {
            if (in == null) {
                throw new IllegalStateException("webapp/sw.js is missing");
            }
            String files = shell.files().stream().map(path -> "'" + path + "'").collect(Collectors.joining(", "));
            this.script = new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("'__VERSION__'", "'" + shell.version() + "'")
                    .replace("['__SHELL__']", "[" + files + "]");
        }
    }

    @GetMapping(path = "/sw.js")
    ResponseEntity<String> serviceWorker() {
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType("text/javascript;charset=UTF-8"))
                .cacheControl(CacheControl.noCache())
                .body(script);
    }

    @GetMapping(path = AppShell.VERSION_MODULE)
    ResponseEntity<String> versionModule() {
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType("text/javascript;charset=UTF-8"))
                .cacheControl(CacheControl.noCache())
                .body(versionModule);
    }
}
