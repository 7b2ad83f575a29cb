package app.fieldbook.webapp;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import app.fieldbook.Api;
import app.fieldbook.Fixtures;
import app.fieldbook.Images;
import app.fieldbook.SoftwareAuthenticator;
import app.fieldbook.TestDatabase;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import java.io.IOException;
import java.io.InputStream;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.ContextConfiguration;
import tools.jackson.databind.JsonNode;

/**
 * A corpus of XSS payloads ({@code webapp/xss-payloads.txt}) stored through the API in every text field a
 * person can write (a report's text fields and crew rows, a return comment, a conflicting value, photo
 * captions, site names and addresses, portfolio names, people's names, and on a person's own security screen
 * the labels of passkeys and bearer tokens and the browsers' {@code User-Agent} of web sessions), then every
 * screen of the web app
 * opened in Chromium as each role that sees them: no payload may run. A run is a call of {@code alert},
 * {@code confirm}, {@code prompt}, {@code print} or {@code __xss} (instrumented in every frame), a dialog,
 * a Content-Security-Policy violation or a page error; and no screen may hold an element or attribute
 * that a payload brought in (an event handler, a {@code javascript:} address, a frame). The payloads must
 * show as text. Fields whose validation refuses a payload (a site's code, a login) must refuse it as a
 * problem and store nothing.
 *
 * <p>An application context of its own (no demo data; the property only sets it apart from the context that
 * the {@code @FullStackTest} classes share, whose records would be counted here): the corpus fills every
 * list, which other tests count.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "fieldbook.test.context=xss-corpus")
@ContextConfiguration(initializers = TestDatabase.class)
@ActiveProfiles("test")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class XssCorpusTest {

    /** The test profile's first administrator. */
    private static final String ADMIN = "test-admin";
    private static final String PASSWORD = "granite-kettle-orbit";
    private static final List<String> PAYLOADS = payloads();
    private static final tools.jackson.databind.json.JsonMapper JSON = tools.jackson.databind.json.JsonMapper.builder()
            .build();

    /**
     * Counts every way a payload could run, in every frame of every page: the dialogs' functions and
     * {@code __xss} report to the test instead of opening anything, and so does every policy violation.
     */
    private static final String INSTRUMENT = """
            (() => {
              const report = (how, what) => { try { window.__xssRan(how + ' ' + String(what)); } catch (e) { } };
              for (const name of ['alert', 'confirm', 'prompt', 'print']) {
                window[name] = (...args) => report(name, args.join(','));
              }
              window.__xss = (...args) => report('__xss', args.join(','));
              document.addEventListener('securitypolicyviolation',
                (event) => report('csp', event.violatedDirective + ' ' + event.blockedURI + ' ' + event.sample), true);
            })();
            """;

    /**
     * What a payload may have brought into a screen even when nothing ran yet: elements the app never
     * renders, event-handler attributes, inline styles, and addresses that run script.
     */
    private static final String INJECTED = """
            () => {
              const tags = new Set(['script', 'iframe', 'frame', 'frameset', 'object', 'embed', 'base', 'meta', 'link',
                'style', 'template', 'marquee', 'isindex', 'keygen', 'xss', 'math', 'image', 'foreignobject', 'animate', 'set']);
              const addresses = new Set(['href', 'src', 'srcset', 'action', 'formaction', 'data', 'xlink:href', 'background', 'poster']);
              const runs = /^[\\s\\u0000-\\u001f]*(javascript|vbscript|data\\s*:\\s*text)/i;
              const found = [];
              const visit = (root) => {
                for (const element of root.querySelectorAll('*')) {
                  const tag = element.localName.toLowerCase();
                  if (tags.has(tag)) {
                    found.push('<' + tag + '>');
                  }
                  for (const attribute of element.attributes) {
                    const name = attribute.name.toLowerCase();
                    // Chart.js sizes its own canvas through the CSSOM, and the month-end its chart's box (as tall as
                    // its bars), which shows as a style attribute.
                    const chartSize = name === 'style' && ((tag === 'canvas' && element.parentElement?.classList.contains('chart'))
                        || (tag === 'div' && element.classList.contains('chart') && element.attributes.length === 2));
                    if (name.startsWith('on') || name === 'srcdoc' || (name === 'style' && !chartSize)
                        || (addresses.has(name) && runs.test(attribute.value))) {
                      found.push('<' + tag + ' ' + name + '="' + attribute.value + '">');
                    }
                  }
                  if (element.shadowRoot) {
                    visit(element.shadowRoot);
                  }
                }
              };
              visit(document.body);
              return found;
            }
            """;

    /** Resolves once every image of the page has loaded or failed, a frame was drawn and a task ran. */
    private static final String SETTLED = """
            async () => {
              const images = [];
              const visit = (root) => {
                for (const element of root.querySelectorAll('*')) {
                  if (element.localName === 'img' || element.localName === 'image') {
                    images.push(element);
                  }
                  if (element.shadowRoot) {
                    visit(element.shadowRoot);
                  }
                }
              };
              visit(document);
              const loading = images.filter((image) => image.complete === false && image.loading !== 'lazy');
              await Promise.all(loading.map((image) => new Promise((done) => {
                image.addEventListener('load', done, { once: true });
                image.addEventListener('error', done, { once: true });
              })));
              await new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)));
            }
            """;

    @LocalServerPort
    int port;

    private Browsers browsers;
    private final List<String> runs = new CopyOnWriteArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private final List<String> refusals = new ArrayList<>();
    private final Corpus corpus = new Corpus();

    /** The records that hold the payloads; entry {@code i} of each list holds payload {@code i}. */
    private static final class Corpus {
        final List<String> sites = new ArrayList<>();
        final List<String> portfolios = new ArrayList<>();
        final List<String> people = new ArrayList<>();
        /** The first field worker's reports, returned by the manager with a comment and in conflict. */
        final List<String> returned = new ArrayList<>();
        /** The second field worker's reports, waiting for review. */
        final List<String> submitted = new ArrayList<>();
        final List<String> photos = new ArrayList<>();
        final Map<String, String> actors = new LinkedHashMap<>();
        /** The payloads that a {@code User-Agent} header can carry (printable ASCII), each a web session's. */
        final List<String> agents = new ArrayList<>();
        int acceptedEmails;
        LocalDate day;
    }

    private static List<String> payloads() {
        try (InputStream in = XssCorpusTest.class.getResourceAsStream("/webapp/xss-payloads.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(line -> !line.isEmpty() && !line.startsWith("##")).toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private String base() {
        return "http://localhost:" + port;
    }

    private Api as(String login) {
        return Api.anonymous(port).signIn(login, PASSWORD);
    }

    @BeforeAll
    void storeTheCorpusThroughTheApi() {
        browsers = Browsers.shared();
        Api admin = as(ADMIN);
        int n = PAYLOADS.size();
        for (int i = 0; i < n; i++) {
            corpus.sites.add(site(admin, i));
        }
        for (int i = 0; i < n; i++) {
            corpus.portfolios.add(expect(admin.post("/api/v1/portfolios", Map.of("name", PAYLOADS.get(i),
                    "siteIds", List.of(corpus.sites.get(i)))), 201).id());
        }
        for (int i = 0; i < n; i++) {
            corpus.people.add(person(admin, i));
        }
        String workerA = actor(admin, "xss-worker-a", n - 1, "WORKER");
        String workerB = actor(admin, "xss-worker-b", n - 2, "WORKER");
        String manager = actor(admin, "xss-manager", n - 3, "MANAGER");
        actor(admin, "xss-executive", n - 4, "EXECUTIVE");
        String me = admin.get("/api/v1/auth/me").body().path("id").asString();
        JsonNode self = admin.get("/api/v1/users/" + me).body();
        expect(admin.put("/api/v1/users/" + me, Map.of("version", self.path("version").asLong(), "name", PAYLOADS.get(n - 5),
                "email", self.path("email").asString(), "role", "ADMINISTRATOR", "active", true)), 200);
        for (String worker : List.of(workerA, workerB)) {
            expect(admin.put("/api/v1/users/" + worker + "/sites", Map.of("siteIds", corpus.sites)), 200);
        }
        expect(admin.put("/api/v1/users/" + manager + "/portfolios", Map.of("portfolioIds", corpus.portfolios)), 200);

        LocalDate today = LocalDate.now(ZoneId.of("Europe/Berlin"));
        corpus.day = today.getDayOfMonth() > 1 ? today.minusDays(1) : today;
        Api a = as("xss-worker-a");
        Api b = as("xss-worker-b");
        Api reviewer = as("xss-manager");
        for (int i = 0; i < n; i++) {
            String returned = report(a, i);
            expect(a.post("/api/v1/reports/" + returned + "/submit"), 200);
            expect(reviewer.post("/api/v1/reports/" + returned + "/return", Map.of("comment", PAYLOADS.get(i))), 200);
            conflict(a, returned, PAYLOADS.get((i + 1) % n));
            corpus.returned.add(returned);
            String submitted = report(b, i);
            expect(b.post("/api/v1/reports/" + submitted + "/submit"), 200);
            corpus.submitted.add(submitted);
        }
        keysAndSessions("xss-worker-a");
        for (int i = 0; i < n; i++) {
            Api.Answer photo = a.postBytes("/api/v1/reports/" + corpus.returned.getFirst() + "/photos?caption="
                    + URLEncoder.encode(PAYLOADS.get(i), StandardCharsets.UTF_8), Images.jpeg(24 + i, 16), "image/jpeg");
            expect(photo, 201);
            corpus.photos.add(photo.id());
        }
    }

    /** A site named and addressed with payload {@code i}; its code and time zone must refuse the payload. */
    private String site(Api admin, int i) {
        String payload = PAYLOADS.get(i);
        refused(admin.post("/api/v1/sites", site(payload, payload, payload)), "code", "timezone");
        return expect(admin.post("/api/v1/sites", site("X-" + i, payload, "Europe/Berlin")), 201).id();
    }

    private static Map<String, Object> site(String code, String payload, String timezone) {
        return Map.of("code", code, "name", payload, "timezone", timezone, "address", payload);
    }

    /**
     * A person named with payload {@code i}; the login must refuse the payload, the e-mail address takes it
     * where it is one.
     */
    private String person(Api admin, int i) {
        String payload = PAYLOADS.get(i);
        Api.Answer refused = admin.post("/api/v1/users", person(payload, payload, payload, "WORKER"));
        refused(refused, "login");
        if (fields(refused).contains("email")) {
            refusals.add("email");
            return expect(admin.post("/api/v1/users", person("xss-" + i, payload, "xss-" + i + "@test.fieldbook.app",
                    "WORKER")), 201).id();
        }
        corpus.acceptedEmails++;
        return expect(admin.post("/api/v1/users", person("xss-" + i, payload, payload, "WORKER")), 201).id();
    }

    private static Map<String, Object> person(String login, String name, String email, String role) {
        return Map.of("login", login, "name", name, "email", email, "role", role, "password", PASSWORD);
    }

    /** One of the people who sign in to the app, named with payload {@code i}. */
    private String actor(Api admin, String login, int i, String role) {
        Map<String, Object> person = new LinkedHashMap<>(person(login, PAYLOADS.get(i), login + "@test.fieldbook.app",
                role));
        person.put("password", Fixtures.FIRST_PASSWORD);
        String id = expect(admin.post("/api/v1/users", person), 201).id();
        Fixtures.changeFirstPassword(Api.anonymous(port), login, Fixtures.FIRST_PASSWORD, PASSWORD);
        corpus.actors.put(login, PAYLOADS.get(i));
        return id;
    }

    /** A report on site {@code i} with payload {@code i} in every text field and its crew row. */
    private String report(Api worker, int i) {
        String payload = PAYLOADS.get(i);
        Map<String, Object> content = new LinkedHashMap<>();
        content.put("weather", Map.of("conditions", payload, "temperatureCelsius", 12));
        content.put("crew", List.of(Map.of("trade", payload, "company", payload, "headcount", 2, "hours", 8)));
        for (String field : List.of("workPerformed", "delays", "safetyIncidents", "materials", "notes")) {
            content.put(field, payload);
        }
        return expect(worker.post("/api/v1/reports", Map.of("siteId", corpus.sites.get(i), "date", corpus.day.toString(),
                "content", content)), 201).id();
    }

    /**
     * For each payload: a passkey labelled with it (registered with a software authenticator, as a browser
     * would), a bearer token labelled with it, and a web session opened by a browser whose {@code User-Agent}
     * it is, where a header can carry it; all of them shown on the person's own security screen.
     */
    private void keysAndSessions(String login) {
        Api person = as(login);
        for (String payload : PAYLOADS) {
            JsonNode options = expect(person.post("/api/v1/auth/passkeys/registration-options", Map.of("password", PASSWORD)), 200).body();
            expect(person.post("/api/v1/auth/passkeys", Map.of("label", payload,
                    "credential", new SoftwareAuthenticator("http://127.0.0.1:" + port).register(options))), 201);
            expect(Api.anonymous(port).post("/api/v1/auth/tokens", Map.of("login", login, "password", PASSWORD,
                    "label", payload)), 201);
            if (payload.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
                webSession(login, payload);
                corpus.agents.add(payload);
            }
        }
    }

    /** Signs {@code login} in to a web session from a browser that names itself {@code agent}. */
    private void webSession(String login, String agent) {
        CookieManager cookies = new CookieManager();
        URI base = URI.create("http://127.0.0.1:" + port);
        try (HttpClient http = HttpClient.newBuilder().cookieHandler(cookies).build()) {
            http.send(HttpRequest.newBuilder(base.resolve("/api/v1/auth/me")).header("User-Agent", agent).build(),
                    HttpResponse.BodyHandlers.discarding());
            String xsrf = cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals("XSRF-TOKEN"))
                    .map(HttpCookie::getValue).findFirst().orElseThrow();
            HttpResponse<String> signedIn = http.send(HttpRequest.newBuilder(base.resolve("/api/v1/auth/session"))
                    .header("User-Agent", agent).header("Content-Type", "application/json").header("X-XSRF-TOKEN", xsrf)
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("login", login,
                            "password", PASSWORD)))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(200);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Another device of the author wrote {@code value} into the notes, which had changed meanwhile. */
    private void conflict(Api worker, String report, String value) {
        long version = worker.get("/api/v1/reports/" + report).body().path("version").asLong();
        Map<String, Object> notes = new LinkedHashMap<>();
        notes.put("base", null);
        notes.put("value", value);
        Api.Answer pushed = expect(worker.post("/api/v1/sync/push", Map.of("protocolVersion", 1, "clientVersion", "0.1.0",
                "deviceId", UUID.randomUUID().toString(),
                "device", Map.of("outboxDepth", 1, "pendingPhotos", 0, "appVersion", "0.1.0"),
                "operations", List.of(Map.of("operationId", UUID.randomUUID().toString(), "entity", "DailyReport",
                        "entityId", report, "kind", "UPDATE", "baseVersion", version,
                        "changes", Map.of("notes", notes), "madeAt", OffsetDateTime.now().minusHours(1).toString())))), 200);
        assertThat(pushed.body().path("results").get(0).path("outcome").asString()).as(pushed.toString())
                .isEqualTo("CONFLICT");
    }

    private static Api.Answer expect(Api.Answer answer, int status) {
        assertThat(answer.status()).as(answer.toString()).isEqualTo(status);
        return answer;
    }

    /** A payload that validation refuses: a problem naming each of {@code fields}. */
    private void refused(Api.Answer answer, String... fields) {
        assertThat(answer.status()).as(answer.toString()).isIn(400, 422);
        assertThat(answer.isProblem()).as(answer.toString()).isTrue();
        for (String field : fields) {
            // a site's time zone is checked by a method, and its error names it timezoneKnown
            assertThat(fields(answer)).as(answer.toString()).anyMatch(named -> named.startsWith(field));
            refusals.add(field);
        }
    }

    private static List<String> fields(Api.Answer problem) {
        List<String> fields = new ArrayList<>();
        problem.body().path("errors").forEach(error -> fields.add(error.path("field").asString()));
        return fields;
    }

    @BeforeEach
    void forgetEarlierTests() {
        runs.clear();
        problems.clear();
        browsers.takePageErrors();
    }

    @AfterAll
    void removeProfiles() throws Exception {
        browsers.removeProfiles();
    }

    @Test
    void everyPayloadIsStoredUnchangedOrRefusedAsAProblemWithNothingStored() {
        int n = PAYLOADS.size();
        assertThat(PAYLOADS).hasSizeGreaterThanOrEqualTo(50).doesNotHaveDuplicates();
        Api admin = as(ADMIN);
        assertThat(admin.get("/api/v1/sites").body().path("total").asInt()).as("no refused site stored").isEqualTo(n);
        assertThat(admin.get("/api/v1/users?size=500").body().path("total").asInt()).as("no refused person stored")
                .isEqualTo(n + 5);
        assertThat(refusals).filteredOn("code"::equals).hasSize(n);
        assertThat(refusals).filteredOn("login"::equals).hasSize(n);
        assertThat(refusals).filteredOn("timezone"::equals).hasSize(n);
        assertThat(refusals).filteredOn("email"::equals).hasSize(n - corpus.acceptedEmails);
        Api worker = as("xss-worker-a");
        for (int i = 0; i < n; i++) {
            String payload = PAYLOADS.get(i);
            JsonNode site = admin.get("/api/v1/sites/" + corpus.sites.get(i)).body();
            assertThat(List.of(site.path("name").asString(), site.path("address").asString())).containsOnly(payload);
            assertThat(admin.get("/api/v1/users/" + corpus.people.get(i)).body().path("name").asString()).isEqualTo(payload);
            JsonNode report = worker.get("/api/v1/reports/" + corpus.returned.get(i)).body();
            JsonNode content = report.path("content");
            assertThat(List.of(content.path("weather").path("conditions").asString(), content.path("workPerformed").asString(),
                    content.path("delays").asString(), content.path("safetyIncidents").asString(),
                    content.path("materials").asString(), content.path("notes").asString(),
                    content.path("crew").get(0).path("trade").asString(), content.path("crew").get(0).path("company").asString(),
                    report.path("returnComment").asString())).containsOnly(payload);
            assertThat(worker.get("/api/v1/photos/" + corpus.photos.get(i)).body().path("caption").asString())
                    .isEqualTo(payload);
        }
    }

    @Test
    void aFieldWorkerSeesEveryPayloadAsTextAndNoneRuns() throws Exception {
        int n = PAYLOADS.size();
        try (BrowserContext browser = open()) {
            Page page = Browsers.signIn(browser, base(), "xss-worker-a", PASSWORD);
            assertThat(page.locator("li[data-site]")).hasCount(n);
            check(page, "sites");
            assertThat(page.locator("fb-sites")).containsText(PAYLOADS.getFirst());
            for (int i = 0; i < n; i++) {
                String payload = PAYLOADS.get(i);
                page.navigate(base() + "/#/reports/" + corpus.returned.get(i));
                assertThat(page.getByTestId("return-comment")).isVisible();
                assertThat(page.getByTestId("return-comment").textContent()).isEqualTo(payload);
                for (String field : List.of("#conditions", "#workPerformed", "#delays", "#safetyIncidents", "#materials",
                        "#notes", "#trade-0", "#company-0")) {
                    assertThat(page.locator(field).inputValue()).as(field).isEqualTo(payload);
                }
                assertThat(page.locator("p.subtitle")).containsText(payload);
                assertThat(page.locator("main")).containsText(corpus.actors.get("xss-manager"));
                check(page, "returned report " + i);
            }
            page.navigate(base() + "/#/reports/" + corpus.returned.getFirst());
            assertThat(page.getByTestId("photos").locator("li")).hasCount(n);
            page.getByTestId("photos").locator("button.photo-open").first().click();
            Locator viewer = page.getByTestId("photo-viewer");
            List<String> captions = new ArrayList<>();
            for (int i = 1; i <= n; i++) {
                assertThat(page.getByTestId("viewer-position")).containsText("Photo " + i + " of " + n);
                captions.add(viewer.locator("#viewer-title").textContent());
                check(page, "photo viewer " + i);
                if (i < n) {
                    viewer.locator(".viewer-nav button").last().click();
                }
            }
            assertThat(captions).containsExactlyInAnyOrderElementsOf(PAYLOADS);
            page.keyboard().press("Escape");
            page.navigate(base() + "/#/sites/" + corpus.sites.getFirst() + "/photos");
            assertThat(page.getByTestId("gallery").locator("img")).hasCount(n);
            check(page, "photos of a site");
            for (int i = 0; i < n; i++) {
                page.navigate(base() + "/#/sites/" + corpus.sites.get(i));
                assertThat(page.locator("a.row")).hasCount(2);
                check(page, "past reports " + i);
            }
            page.navigate(base() + "/#/reports/" + corpus.submitted.get(1));
            assertThat(page.locator("section.view p.prose").first().textContent()).isEqualTo(PAYLOADS.get(1));
            check(page, "a co-worker's report");
            page.navigate(base() + "/#/conflicts");
            assertThat(page.getByTestId("server-value")).hasCount(n);
            assertThat(page.getByTestId("device-value").allTextContents()).containsExactlyInAnyOrderElementsOf(PAYLOADS);
            check(page, "conflicts");
            browser.setOffline(true);
            page.navigate(base() + "/#/sites/" + corpus.sites.get(2) + "/today");
            page.locator("#workPerformed").fill(PAYLOADS.get(2));
            page.locator("#delays").fill(PAYLOADS.get(3));
            assertThat(page.getByTestId("save-state")).hasText("Saved on this device");
            check(page, "today's report, typed");
            page.navigate(base() + "/#/outbox");
            assertThat(page.getByTestId("outbox")).isVisible();
            check(page, "outbox");
            page.navigate(base() + "/#/help");
            check(page, "help");
            browser.setOffline(false);
            assertThat(page.getByTestId("waiting")).hasText("All changes synced");
            page.navigate(base() + "/#/security");
            Locator passkeys = page.getByTestId("passkeys").locator("li.passkey strong");
            assertThat(passkeys).hasCount(n);
            assertThat(passkeys.allTextContents()).containsExactlyInAnyOrderElementsOf(
                    PAYLOADS.stream().map(String::strip).toList());
            Locator sessions = page.getByTestId("sessions").locator("li.session strong");
            assertThat(sessions.first()).isVisible();
            String shown = String.join("\n", sessions.allTextContents());
            assertThat(PAYLOADS).as("every token's label shown").allMatch(shown::contains);
            assertThat(corpus.agents).as("web sessions of the payloads' browsers").hasSizeGreaterThanOrEqualTo(50)
                    .allMatch(agent -> shown.contains(agent.substring(0, Math.min(60, agent.length()))));
            check(page, "security: passkeys and sessions");
        }
        assertNothingRan();
    }

    @Test
    void aManagerSeesEveryPayloadAsTextAndNoneRuns() throws Exception {
        int n = PAYLOADS.size();
        try (BrowserContext browser = open()) {
            Page page = Browsers.signIn(browser, base(), "xss-manager", PASSWORD);
            assertThat(page.locator("fb-review a.row")).hasCount(n);
            check(page, "review queue and sites");
            for (int i = 0; i < n; i++) {
                String payload = PAYLOADS.get(i);
                page.navigate(base() + "/#/reports/" + corpus.submitted.get(i));
                assertThat(page.locator("#decide-heading")).isVisible();
                assertThat(page.locator("section.view p.prose")).hasCount(5);
                assertThat(page.locator("section.view p.prose").allTextContents()).containsOnly(payload);
                assertThat(page.locator("section.view td").nth(0).textContent()).isEqualTo(payload);
                assertThat(page.locator("section.view td").nth(1).textContent()).isEqualTo(payload);
                assertThat(page.locator("section.view p").first().textContent()).startsWith(payload + ", 12");
                assertThat(page.locator("main")).containsText(corpus.actors.get("xss-worker-b"));
                check(page, "report review " + i);
            }
            page.navigate(base() + "/#/reports/" + corpus.returned.get(4));
            assertThat(page.getByTestId("return-comment").textContent()).isEqualTo(PAYLOADS.get(4));
            check(page, "a returned report");
            page.navigate(base() + "/#/dashboard");
            assertThat(page.getByTestId("status-grid").locator("tbody tr")).hasCount(n);
            assertThat(page.getByTestId("trades")).containsText(PAYLOADS.get(5));
            check(page, "dashboard");
            page.navigate(base() + "/#/month-end");
            page.locator("#month-end-month").fill(YearMonth.from(corpus.day).toString());
            page.locator("form.month-end-choice button[type=submit]").click();
            assertThat(page.getByTestId("month-end-sites").locator("tbody tr")).hasCount(n);
            assertThat(page.getByTestId("trades-table")).containsText(PAYLOADS.get(5));
            assertThat(page.getByTestId("month-end-delays")).containsText(PAYLOADS.get(3));
            check(page, "month-end");
            page.navigate(base() + "/#/conflicts");
            check(page, "conflicts");
            page.navigate(base() + "/#/audit");
            assertThat(page.getByTestId("audit-events").locator("tbody tr").first()).isVisible();
            check(page, "audit trail");
        }
        assertNothingRan();
    }

    @Test
    void anExecutiveSeesEveryPayloadAsTextAndNoneRuns() throws Exception {
        int n = PAYLOADS.size();
        try (BrowserContext browser = open()) {
            Page page = Browsers.signIn(browser, base(), "xss-executive", PASSWORD);
            assertThat(page.getByTestId("status-grid").locator("tbody tr")).hasCount(n);
            assertThat(page.locator("li[data-site]")).hasCount(n);
            check(page, "dashboard and sites");
            page.navigate(base() + "/#/reports/" + corpus.returned.get(6));
            assertThat(page.getByTestId("return-comment").textContent()).isEqualTo(PAYLOADS.get(6));
            assertThat(page.locator("section.view p.prose").allTextContents()).containsOnly(PAYLOADS.get(6));
            check(page, "a report");
            page.navigate(base() + "/#/sites/" + corpus.sites.getFirst() + "/photos");
            assertThat(page.getByTestId("gallery").locator("img")).hasCount(n);
            check(page, "photos of a site");
            page.navigate(base() + "/#/audit");
            assertThat(page.getByTestId("audit-events").locator("tbody tr").first()).isVisible();
            check(page, "audit trail");
        }
        assertNothingRan();
    }

    @Test
    void anAdministratorSeesEveryPayloadAsTextAndNoneRuns() throws Exception {
        int n = PAYLOADS.size();
        try (BrowserContext browser = open()) {
            Page page = Browsers.page(browser);
            page.navigate(base() + "/");
            page.locator("#login").fill(ADMIN);
            page.locator("#password").fill(PASSWORD);
            page.locator("form").getByText("Sign in").click();
            assertThat(page.getByTestId("users").locator("li")).hasCount(n + 5);
            assertThat(page.getByTestId("users").locator("strong").allTextContents()).containsAll(PAYLOADS);
            check(page, "users");
            for (String person : List.of(corpus.people.get(7), corpus.people.get(8))) {
                page.navigate(base() + "/#/users/" + person);
                assertThat(page.getByTestId("account")).isVisible();
                check(page, "a person");
            }
            for (String login : List.of("xss-worker-a", "xss-manager")) {
                page.navigate(base() + "/#/users");
                page.getByTestId("users").locator("a[data-login='" + login + "']").click();
                assertThat(page.getByTestId("assignments").locator("input[type=checkbox]")).hasCount(n);
                assertThat(page.getByTestId("assignments")).containsText(PAYLOADS.get(9));
                check(page, "the assignments of " + login);
            }
            page.navigate(base() + "/#/admin/sites");
            assertThat(page.getByTestId("admin-sites").locator("li")).hasCount(n);
            check(page, "sites");
            for (int i : List.of(10, 11)) {
                page.navigate(base() + "/#/admin/sites/" + corpus.sites.get(i));
                assertThat(page.locator("#site-name")).hasValue(PAYLOADS.get(i));
                assertThat(page.locator("#site-address").inputValue()).isEqualTo(PAYLOADS.get(i));
                check(page, "a site");
            }
            page.navigate(base() + "/#/admin/portfolios");
            assertThat(page.getByTestId("portfolios").locator("li")).hasCount(n);
            check(page, "portfolios");
            page.navigate(base() + "/#/admin/portfolios/" + corpus.portfolios.get(12));
            assertThat(page.getByTestId("portfolio-form")).isVisible();
            check(page, "a portfolio");
            page.navigate(base() + "/#/operations");
            assertThat(page.getByTestId("site-health")).isVisible();
            check(page, "operations: alerts and sync health by site");
            page.navigate(base() + "/#/audit");
            Locator events = page.getByTestId("audit-events");
            assertThat(events.locator("tbody tr").first()).isVisible();
            Locator next = page.locator("nav.pager button").last();
            Set<String> seen = new HashSet<>();
            for (int pageNumber = 1; ; pageNumber++) {
                assertThat(page.locator("nav.pager span")).containsText("Page " + pageNumber + " ");
                String text = events.textContent();
                // the trail shortens a value of more than 60 characters to its first 57 and an ellipsis
                PAYLOADS.stream().filter(payload -> text.contains(payload.length() > 60 ? payload.substring(0, 57) : payload))
                        .forEach(seen::add);
                check(page, "audit trail, page " + pageNumber);
                if (next.isDisabled()) {
                    break;
                }
                next.click();
            }
            assertThat(seen).as("the audit trail shows the payloads as text").containsExactlyInAnyOrderElementsOf(PAYLOADS);
            page.getByTestId("verify").click();
            assertThat(page.getByTestId("verification")).containsText("The chain is intact");
        }
        assertNothingRan();
    }

    /** A browser whose every frame reports runs to {@link #runs}, and whose dialogs count as runs. */
    private BrowserContext open() throws IOException {
        BrowserContext browser = browsers.open(browsers.newProfile(), Browsers.DESKTOP);
        browser.exposeFunction("__xssRan", arguments -> {
            runs.add(String.valueOf(arguments[0]));
            return null;
        });
        browser.addInitScript(INSTRUMENT);
        browser.onDialog(dialog -> {
            runs.add("dialog " + dialog.type() + " " + dialog.message());
            dialog.dismiss();
        });
        return browser;
    }

    /**
     * Lets the screen settle (every image loaded or failed, including in shadow roots; then a frame and a
     * task, for focus and toggle events), then looks for what a payload brought in.
     */
    @SuppressWarnings("unchecked")
    private void check(Page page, String screen) {
        page.waitForLoadState();
        page.evaluate(SETTLED);
        List<String> injected = (List<String>) page.evaluate(INJECTED);
        if (!injected.isEmpty()) {
            problems.add(screen + ": " + injected);
        }
    }

    private void assertNothingRan() {
        assertThat(runs).as("payloads that ran").isEmpty();
        assertThat(problems).as("elements and attributes payloads brought in").isEmpty();
        assertThat(browsers.takePageErrors()).as("page errors and policy violations").isEmpty();
    }
}
