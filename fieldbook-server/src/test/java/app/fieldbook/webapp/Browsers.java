package app.fieldbook.webapp;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.ViewportSize;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Debian's Chromium driven by Playwright: each profile is a fresh user data directory, so that a test
 * starts with an empty IndexedDB and no Service Worker, and can close the browser and open the same
 * profile again.
 */
final class Browsers implements AutoCloseable {

    static final ViewportSize PHONE = new ViewportSize(390, 844);
    static final ViewportSize DESKTOP = new ViewportSize(1280, 800);
    private static final Path CHROMIUM = Paths.get("/usr/bin/chromium");

    private final Playwright playwright;
    private final List<Path> profiles = new ArrayList<>();
    private final List<String> pageErrors = new java.util.concurrent.CopyOnWriteArrayList<>();

    Browsers() {
        playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        // a first sync of the demo data takes far more than Playwright's 5 s on a busy machine
        PlaywrightAssertions.setDefaultAssertionTimeout(30_000);
    }

    Path newProfile() throws IOException {
        Path profile = Files.createTempDirectory("fieldbook-browser-");
        profiles.add(profile);
        return profile;
    }

    /** Opens Chromium on {@code profile} with one page of the given size. */
    BrowserContext open(Path profile, ViewportSize size) {
        BrowserContext context = playwright.chromium().launchPersistentContext(profile,
                new BrowserType.LaunchPersistentContextOptions()
                        .setExecutablePath(CHROMIUM)
                        .setHeadless(true)
                        .setViewportSize(size)
                        .setLocale("en-GB")
                        .setTimezoneId("Europe/Berlin")
                        .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-quic",
                                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                                "--no-first-run")));
        context.setDefaultTimeout(20_000);
        context.onConsoleMessage(message -> {
            if (message.type().equals("error") && message.text().contains("Content Security Policy")) {
                pageErrors.add(message.text());
            }
        });
        context.onWebError(error -> pageErrors.add(error.error()));
        return context;
    }

    /** Errors the pages threw and Content-Security-Policy violations they reported, since the last call. */
    List<String> takePageErrors() {
        List<String> errors = List.copyOf(pageErrors);
        pageErrors.clear();
        return errors;
    }

    static Page page(BrowserContext context) {
        return context.pages().isEmpty() ? context.newPage() : context.pages().getFirst();
    }

    @Override
    public void close() throws IOException {
        playwright.close();
        for (Path profile : profiles) {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }
}
