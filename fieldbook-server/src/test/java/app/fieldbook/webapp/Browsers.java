package app.fieldbook.webapp;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.deque.html.axecore.playwright.AxeBuilder;
import com.deque.html.axecore.results.Rule;
import com.google.gson.JsonObject;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.CDPSession;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.ViewportSize;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * Debian's Chromium driven by Playwright: each profile is a fresh user data directory, so that a test
 * starts with an empty IndexedDB and no Service Worker, and can close the browser (or kill it) and open
 * the same profile again. One instance is one Playwright driver: its objects may be used by one thread
 * at a time. The browser test classes share one ({@link #shared()}); a test that drives browsers from
 * several threads at once makes one per thread.
 */
public final class Browsers implements AutoCloseable {

    public static final ViewportSize PHONE = new ViewportSize(390, 844);
    public static final ViewportSize DESKTOP = new ViewportSize(1280, 800);
    private static final Path CHROMIUM = Paths.get("/usr/bin/chromium");
    /** Where the browser tests write their screenshots, for the docs (relative to the server module). */
    private static final Path SCREENSHOTS = Path.of("../docs/screenshots");
    private static Browsers shared;

    private final Playwright playwright;
    private final List<Path> profiles = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<String> pageErrors = new java.util.concurrent.CopyOnWriteArrayList<>();

    public Browsers() {
        playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        // a first sync of the demo data takes far more than Playwright's 5 s on a busy machine
        PlaywrightAssertions.setDefaultAssertionTimeout(30_000);
    }

    /**
     * The driver of this test JVM's browser test classes, started by the first of them (a driver costs seconds
     * to start on a busy machine) and closed when the JVM ends. A class removes its profiles when it is done
     * ({@link #removeProfiles()}) and forgets nothing else: every browser it opened, it closed.
     */
    public static synchronized Browsers shared() {
        if (shared == null) {
            Browsers browsers = new Browsers();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    browsers.close();
                } catch (IOException | RuntimeException ignored) {
                    // the JVM ends anyway, and the driver with it
                }
            }, "close-browsers"));
            shared = browsers;
        }
        return shared;
    }

    public Path newProfile() throws IOException {
        Path profile = Files.createTempDirectory("fieldbook-browser-");
        profiles.add(profile);
        return profile;
    }

    /** Opens Chromium on {@code profile} with one page of the given size. */
    public BrowserContext open(Path profile, ViewportSize size) {
        return open(profile, size, "Europe/Berlin");
    }

    /** {@link #open(Path, ViewportSize)} with the browser's clock in {@code timeZone}. */
    public BrowserContext open(Path profile, ViewportSize size, String timeZone) {
        BrowserContext context = playwright.chromium().launchPersistentContext(profile,
                new BrowserType.LaunchPersistentContextOptions()
                        .setExecutablePath(CHROMIUM)
                        .setHeadless(true)
                        .setViewportSize(size)
                        .setLocale("en-GB")
                        .setTimezoneId(timeZone)
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
    public List<String> takePageErrors() {
        List<String> errors = List.copyOf(pageErrors);
        pageErrors.clear();
        return errors;
    }

    public static Page page(BrowserContext context) {
        return context.pages().isEmpty() ? context.newPage() : context.pages().getFirst();
    }

    /**
     * A virtual authenticator of the DevTools protocol in the page's browser, as a phone's built-in one with a
     * fingerprint set up (CTAP2, discoverable credentials, the person verified); answers its id.
     */
    public static String addVirtualAuthenticator(CDPSession cdp) {
        cdp.send("WebAuthn.enable");
        JsonObject options = new JsonObject();
        options.addProperty("protocol", "ctap2");
        options.addProperty("transport", "internal");
        options.addProperty("hasResidentKey", true);
        options.addProperty("hasUserVerification", true);
        options.addProperty("isUserVerified", true);
        options.addProperty("automaticPresenceSimulation", true);
        JsonObject request = new JsonObject();
        request.add("options", options);
        return cdp.send("WebAuthn.addVirtualAuthenticator", request).get("authenticatorId").getAsString();
    }

    /**
     * Kills the Chromium of {@code profile} the hard way ({@code kill -9} of the browser process and all of
     * its processes at once), as a crash or the system would: nothing is written on the way out.
     */
    public static void kill(Path profile) {
        String dataDirectory = "--user-data-dir=" + profile;
        List<ProcessHandle> browser = ProcessHandle.current().descendants()
                .filter(process -> process.info().arguments().map(Arrays::asList)
                        .filter(arguments -> arguments.contains(dataDirectory)
                                && arguments.stream().noneMatch(argument -> argument.startsWith("--type=")))
                        .isPresent())
                .toList();
        if (browser.isEmpty()) {
            throw new IllegalStateException("No Chromium runs on " + profile);
        }
        List<ProcessHandle> all = new ArrayList<>(browser);
        browser.forEach(process -> process.descendants().forEach(all::add));
        all.forEach(ProcessHandle::destroyForcibly);
        // the browser process must be gone before its profile is opened again (its lock names it)
        for (ProcessHandle process : browser) {
            try {
                process.onExit().get(30, TimeUnit.SECONDS);
            } catch (InterruptedException | ExecutionException | TimeoutException e) {
                throw new IllegalStateException("Chromium on " + profile + " did not end", e);
            }
        }
    }

    /** Signs in through the app's form at {@code base} and waits for the first sync and the Service Worker. */
    public static Page signIn(BrowserContext browser, String base, String login, String password) {
        Page page = page(browser);
        page.navigate(base + "/");
        submitSignIn(page, login, password);
        assertThat(page.getByTestId("sync-status")).containsText("last synced",
                new LocatorAssertions.ContainsTextOptions().setTimeout(30_000));
        waitForServiceWorker(page);
        return page;
    }

    /**
     * Waits until the Service Worker has the shell and controls the page. A page that was loaded while the
     * first worker installed (sign-in reloads at once) is controlled from its next load.
     */
    private static void waitForServiceWorker(Page page) {
        page.waitForFunction("async () => { await navigator.serviceWorker.ready; return true; }");
        if (!(Boolean) page.evaluate("() => navigator.serviceWorker.controller !== null")) {
            page.reload();
            page.waitForFunction("() => navigator.serviceWorker.controller !== null");
        }
        assertThat(page.getByTestId("sync-status")).containsText("last synced",
                new LocatorAssertions.ContainsTextOptions().setTimeout(30_000));
    }

    /** Deletes the profiles made so far, whose browsers must all be closed. */
    public void removeProfiles() throws IOException {
        for (Path profile : List.copyOf(profiles)) {
            if (Files.exists(profile)) {
                try (Stream<Path> files = Files.walk(profile)) {
                    files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
                }
            }
            profiles.remove(profile);
        }
    }

    @Override
    public void close() throws IOException {
        playwright.close();
        removeProfiles();
    }

    /** Fills the sign-in form with {@code login} and {@code password} and sends it; waits for nothing. */
    public static void submitSignIn(Page page, String login, String password) {
        page.locator("#login").fill(login);
        page.locator("#password").fill(password);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in").setExact(true)).click();
    }

    /** Changes the signed-in person's password in the form on Security: the current one, the new one twice. */
    public static void changeOwnPassword(Page page, String current, String next) {
        Locator form = page.getByTestId("password");
        form.locator("#current-password").fill(current);
        form.locator("#new-password-own").fill(next);
        form.locator("#repeat-password").fill(next);
        form.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Change password")).click();
    }

    /** The name of a screen's screenshot at a size: {@code screen-phone} or {@code screen-desktop}. */
    public static String shot(String screen, ViewportSize size) {
        return screen + (size == DESKTOP ? "-desktop" : "-phone");
    }

    /**
     * How far the page reaches past the screen's right edge, and the outermost element that does, or null when
     * it fits: a page that scrolls sideways on a phone (a table or form wider than the screen) is a defect; a wide
     * table belongs in a box that scrolls on its own.
     */
    private static final String WIDER_THAN_THE_SCREEN = """
            () => {
              const root = document.documentElement;
              const over = root.scrollWidth - root.clientWidth;
              if (over <= 0) {
                return null;
              }
              // clipped by a box that scrolls or hides: an absolute element only by its containing block or above
              const clipped = (element) => {
                let escaping = getComputedStyle(element).position === 'absolute';
                for (let up = element.parentElement; up && up !== root; up = up.parentElement) {
                  const style = getComputedStyle(up);
                  escaping = escaping && style.position === 'static';
                  if (!escaping && style.overflowX !== 'visible') {
                    return true;
                  }
                }
                return false;
              };
              const outermost = [...document.body.querySelectorAll('*')].find((element) =>
                element.getBoundingClientRect().right > root.clientWidth + 1 && !clipped(element));
              const name = outermost ? outermost.tagName.toLowerCase() + (outermost.id ? '#' + outermost.id : '')
                + (outermost.className && typeof outermost.className === 'string' ? '.' + outermost.className.trim().split(/\s+/).join('.') : '') : 'unknown';
              return over + ' px (' + name + ')';
            }""";

    /**
     * Adds to {@code problems} (named by {@code shot}) a page that scrolls sideways and each serious or critical
     * finding of axe's accessibility rules, and writes the page's screenshot to docs/screenshots/{@code shot}.png,
     * of the viewport or of the {@code fullPage}.
     */
    public static void check(Page page, String shot, List<String> problems, boolean fullPage) throws IOException {
        page.waitForLoadState();
        Object wider = page.evaluate(WIDER_THAN_THE_SCREEN);
        if (wider != null) {
            problems.add(shot + ": the page scrolls sideways, wider than the screen by " + wider);
        }
        for (Rule violation : new AxeBuilder(page).analyze().getViolations()) {
            if ("serious".equals(violation.getImpact()) || "critical".equals(violation.getImpact())) {
                problems.add(shot + ": " + violation.getId() + " " + violation.getHelp() + " "
                        + violation.getNodes().stream().map(node -> String.valueOf(node.getTarget())).toList());
            }
        }
        screenshot(page, shot, fullPage);
    }

    /** Writes the page's screenshot to docs/screenshots/{@code shot}.png, of the viewport or of the {@code fullPage}. */
    public static void screenshot(Page page, String shot, boolean fullPage) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve(shot + ".png")).setFullPage(fullPage));
    }
}
