package app.fieldbook.sync.faults;

import app.fieldbook.Fixtures;
import app.fieldbook.protocol.CrewRow;
import app.fieldbook.protocol.ReportContent;
import app.fieldbook.protocol.Weather;
import app.fieldbook.webapp.Browsers;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.PlaywrightException;
import com.microsoft.playwright.TimeoutError;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A field worker's browser in the fault scenario: the web app in Debian's Chromium on a profile of its
 * own, signed in as a worker who also has Java-client devices, reaching the server through a
 * {@link FaultyProxy} of its own (the page, the app's requests and its Service Worker's all cross it).
 * The person's changes go through the app's store module, as its screens make them: each is written to
 * IndexedDB together with its outbox entry, and the app's sync engine sends it. A sync can be interrupted
 * by reloading the page or killing the browser ({@code kill -9}) after it sent its first request; the
 * browser is then opened again on the same profile. A browser killed within half a minute of signing in
 * may not have written its session cookie to disk yet (Chromium writes cookies out in batches): the app
 * then says the session has ended, and the device signs in again as its person would, from the banner.
 *
 * <p>One thread at a time may use a device (its Playwright driver is its own).
 */
final class BrowserDevice implements AutoCloseable {

    enum Interruption { NONE, RELOAD, KILL }

    /** The outcome of one sync as the app's engine saw it, and what still waits on the device. */
    record Outcome(boolean ended, String lastError, boolean signInNeeded, int waiting, int photos) {

        boolean complete() {
            return ended && lastError == null && !signInNeeded && waiting == 0 && photos == 0;
        }
    }

    /** An entry of the app's outbox, with what the app noted of its attempts (for a failure's message). */
    record Waiting(UUID operationId, String kind, String entity, String entityId, String attempts) {
    }

    /**
     * A report as the app holds it in IndexedDB; {@code settled} when no change of it waits and no server
     * copy is kept beside it.
     */
    record Held(UUID id, String status, long version, UUID siteId, LocalDate date, UUID authorId,
            ReportContent content, String returnComment, boolean settled) {
    }

    /** A photo as the app holds it: its device copy is gone only after the server's receipt. */
    record HeldPhoto(String id, String sha256, boolean copyOnDevice, boolean receipt, String refused) {
    }

    /** What the app holds in IndexedDB: reports, the outbox, refused changes and photos. */
    record Holdings(List<Held> reports, List<Waiting> outbox, List<String> refused, List<HeldPhoto> photos) {
    }

    private static final int SYNC_LIMIT_MILLIS = 90_000;

    final int index;
    final Fixtures.Person person;
    final FaultyProxy network;
    final List<String> photosAttached = new ArrayList<>();
    int reloads;
    int kills;
    int interruptedWhileSyncing;
    int signedInAgain;
    int failedLoads;
    final AtomicInteger uploadChunks = new AtomicInteger();
    /** The scenario's bookkeeping, as for its Java devices: values typed, and syncs still to lose push answers. */
    int counter;
    int deafFor = -1;
    private final String base;
    private final Browsers browsers = new Browsers();
    private final Path profile;
    private final AtomicInteger syncRequests = new AtomicInteger();
    private BrowserContext context;
    private Page page;

    /** Opens Chromium on a new profile and signs the person in through the app's form. */
    BrowserDevice(int index, Fixtures.Person person, FaultyProxy network) throws IOException {
        this.index = index;
        this.person = person;
        this.network = network;
        this.base = "http://127.0.0.1:" + network.port();
        this.profile = browsers.newProfile();
        open();
        page = Browsers.signIn(context, base, person.login(), Fixtures.PASSWORD);
    }

    private void open() {
        context = browsers.open(profile, Browsers.PHONE);
        context.onRequest(request -> {
            if (request.url().contains("/api/v1/sync/")) {
                syncRequests.incrementAndGet();
                if (request.method().equals("PATCH")) {
                    uploadChunks.incrementAndGet();
                }
            }
        });
        page = Browsers.page(context);
    }

    String name() {
        return "browser " + index;
    }

    /** The browser's network goes away (the engine does not even try): the person works offline. */
    void offline() {
        context.setOffline(true);
    }

    /**
     * Creates the person's report of a site and day with {@code content} (the protocol's flat fields), as
     * the report screen does; answers its id, or null when the device holds that report already.
     */
    String create(String siteId, LocalDate date, Map<String, Object> content) {
        return (String) page.evaluate("""
                async ({ siteId, date, content }) => {
                  const store = await import('/app/store.js');
                  const { uuid } = await import('/app/report-fields.js');
                  const me = await store.account();
                  if (await store.reportOf(siteId, date, me.id)) {
                    return null;
                  }
                  const id = uuid();
                  await store.saveReport({ id, siteId, date }, content, me);
                  return id;
                }""", Map.of("siteId", siteId, "date", date.toString(), "content", content));
    }

    /** Sets a text field of one of the person's reports that may still be changed; null when there is none. */
    String edit(double pick, String field, String value) {
        return (String) page.evaluate(MINE + """
                  const report = pickOf(mine);
                  if (!report) {
                    return null;
                  }
                  await store.saveReport(report, { [a.field]: a.value }, me);
                  return report.id;
                }""", Map.of("pick", pick, "field", field, "value", value, "own", index));
    }

    /**
     * Submits one of the person's reports of a day of this device or of a day several devices report (the
     * rule of the Java devices, see SyncFaultScenario); null when there is none or the app refused.
     */
    String submit(double pick) {
        return (String) page.evaluate(MINE + """
                  const report = pickOf(mine.filter((r) => dayOf(r.date) === a.own || dayOf(r.date) === -1));
                  if (!report) {
                    return null;
                  }
                  try {
                    await store.submitReport(report.id, me);
                  } catch (refusedByTheApp) {
                    return null;
                  }
                  return report.id;
                }""", Map.of("pick", pick, "own", index));
    }

    /**
     * Adds a photo (a PNG, downscaled and encoded as JPEG on the device as the report screen does) to a
     * draft of a day of this device; answers the photo's id, or null when there is no such draft.
     */
    String attachPhoto(double pick, byte[] png, String caption) {
        String id = (String) page.evaluate(MINE + """
                  const report = pickOf(mine.filter((r) => dayOf(r.date) === a.own));
                  if (!report) {
                    return null;
                  }
                  const { prepare } = await import('/app/photos.js');
                  const bytes = Uint8Array.from(atob(a.png), (c) => c.charCodeAt(0));
                  const file = new File([bytes], 'photo.png', { type: 'image/png', lastModified: Date.now() });
                  return store.addPhoto(report.id, await prepare(file), a.caption, me);
                }""", Map.of("pick", pick, "own", index, "png", Base64.getEncoder().encodeToString(png),
                "caption", caption));
        if (id != null) {
            photosAttached.add(id);
        }
        return id;
    }

    /**
     * The start of the scripts above: the person's reports that may still be changed (in id order), the
     * device whose own day a date is (-1 for a day several devices report), and a pick among a list.
     */
    private static final String MINE = """
            async (a) => {
              const store = await import('/app/store.js');
              const me = await store.account();
              const mine = (await store.allReports())
                .filter((r) => r.authorId === me.id && (r.fields.status === 'DRAFT' || r.fields.status === 'RETURNED'))
                .sort((x, y) => x.id.localeCompare(y.id));
              const dayOf = (date) => {
                const day = Math.round((Date.parse(date) - Date.parse('%s')) / 86_400_000);
                return day < 0 ? -1 : Math.floor(day / 1000);
              };
              const pickOf = (list) => list[Math.floor(a.pick * list.length)];
            """.formatted(SyncFaultScenario.OWN_DAYS);

    /**
     * Comes online and syncs as "Sync now" does, until that sync ends. With an interruption, the sync is
     * started, and once it sent its first request and {@code millis} more passed, the page is reloaded or
     * the browser killed and opened again on its profile; the app then syncs at its start, and this
     * answers how that sync ended.
     */
    Outcome sync(Interruption interruption, int millis) {
        int before = syncRequests.get();
        context.setOffline(false);
        if (interruption != Interruption.NONE) {
            page.evaluate("() => { document.querySelector('fb-app').engine.syncNow({ retry: true }); }");
            try {
                page.waitForCondition(() -> syncRequests.get() > before,
                        new Page.WaitForConditionOptions().setTimeout(20_000));
            } catch (TimeoutError noRequest) {
                // the sync ended (or never reached the network) without a request seen: interrupted all the same
            }
            page.waitForTimeout(millis);
            if ((Boolean) page.evaluate("() => document.querySelector('fb-app').engine.state.running")) {
                interruptedWhileSyncing++;
            }
            if (interruption == Interruption.RELOAD) {
                reloads++;
                loadApp(() -> page.reload(new Page.ReloadOptions().setTimeout(60_000)));
            } else {
                kills++;
                Browsers.kill(profile);
                try {
                    context.close();
                } catch (PlaywrightException alreadyGone) {
                    // the browser is dead: nothing to close
                }
                open();
                loadApp(() -> page.navigate(base + "/", new Page.NavigateOptions().setTimeout(60_000)));
            }
        }
        return syncNow();
    }

    /**
     * Loads the app as its person would: when the page does not come up (a browser killed soon after it
     * installed the app can come back without its Service Worker, and then loads the app's files through the
     * faulty network, where one of them is almost surely cut), reload. The errors of a load that failed are
     * the network's, not the app's: they are printed and kept out of the app's errors. From the third try
     * on, the network's faults are off for the load, as when the person waits for a better signal.
     */
    private void loadApp(Runnable load) {
        for (int attempt = 1; ; attempt++) {
            FaultyProxy.Faults faults = network.faults();
            if (attempt >= 3) {
                network.faults(FaultyProxy.Faults.none());
            }
            try {
                if (attempt == 1) {
                    load.run();
                } else {
                    page.navigate(base + "/", new Page.NavigateOptions().setTimeout(60_000));
                }
                page.waitForFunction("() => !!document.querySelector('fb-app')?.engine", null,
                        new Page.WaitForFunctionOptions().setTimeout(20_000));
                return;
            } catch (PlaywrightException notUp) {
                if (attempt == 5) {
                    throw notUp;
                }
                failedLoads++;
                System.out.printf("%s: the app did not come up (try %d): %s; errors of that load: %s%n", name(),
                        attempt, notUp.getMessage().lines().findFirst().orElse(""), browsers.takePageErrors());
            } finally {
                network.faults(faults);
            }
        }
    }

    /**
     * Syncs as "Sync now" does (or joins the sync under way), then once more as the app does by itself (a
     * change put off after a failure waits for its time, the pull goes on), and answers how that ended.
     */
    Outcome syncNow() {
        Outcome outcome = syncOnce();
        if (outcome.signInNeeded() && signInAgain()) {
            outcome = syncOnce();
        }
        return outcome;
    }

    private Outcome syncOnce() {
        Map<?, ?> outcome = (Map<?, ?>) page.evaluate("""
                async (limit) => {
                  let timer;
                  const engine = await Promise.race([
                    (async () => {
                      await customElements.whenDefined('fb-app');
                      const started = document.querySelector('fb-app').engine;
                      await started.syncNow({ retry: true });
                      await started.syncNow();
                      return started;
                    })(),
                    new Promise((resolve) => { timer = setTimeout(() => resolve(null), limit); })]);
                  clearTimeout(timer);
                  const store = await import('/app/store.js');
                  return { ended: engine !== null, lastError: engine ? engine.state.lastError ?? null : null,
                    signInNeeded: engine ? engine.state.signInNeeded : false, waiting: await store.outboxDepth(), photos: (await store.photosWaiting()).length };
                }""", SYNC_LIMIT_MILLIS);
        return new Outcome((Boolean) outcome.get("ended"), (String) outcome.get("lastError"),
                (Boolean) outcome.get("signInNeeded"), ((Number) outcome.get("waiting")).intValue(), ((Number) outcome.get("photos")).intValue());
    }

    /**
     * Signs in again as the person does when the banner says the session has ended: its button, then the
     * password (the login is filled in); the app reloads once signed in. False when the sign-in did not go
     * through (its request met a fault): the next sync shows the banner again.
     */
    private boolean signInAgain() {
        try {
            page.locator(".banner .warning button").click();
            page.locator("fb-sign-in #password").fill(Fixtures.PASSWORD);
            // the app reloads once signed in: a mark on this page's window tells the new page from the old
            page.evaluate("() => { window.beforeSigningInAgain = true; }");
            page.locator("fb-sign-in button[type=submit]").click();
            page.waitForFunction("() => !window.beforeSigningInAgain && !!document.querySelector('fb-app')?.engine",
                    null, new Page.WaitForFunctionOptions().setTimeout(20_000));
            signedInAgain++;
            return true;
        } catch (TimeoutError notThrough) {
            return false;
        }
    }

    /** What the app holds, read from IndexedDB directly (in one transaction), not through the app's code. */
    Holdings holdings() {
        Map<?, ?> stored = (Map<?, ?>) page.evaluate("""
                async () => {
                  const db = await new Promise((resolve, reject) => {
                    const request = indexedDB.open('fieldbook');
                    request.onsuccess = () => resolve(request.result);
                    request.onerror = () => reject(request.error);
                  });
                  const names = ['reports', 'outbox', 'rejected', 'photos'];
                  const tx = db.transaction(names);
                  const all = {};
                  await Promise.all(names.map((name) => new Promise((resolve, reject) => {
                    const request = tx.objectStore(name).getAll();
                    request.onsuccess = () => resolve(all[name] = request.result);
                    request.onerror = () => reject(request.error);
                  })));
                  db.close();
                  all.photos = all.photos.map((photo) => ({ id: photo.id, sha256: photo.sha256, copy: !!photo.blob,
                    receipt: !!photo.receipt, refused: photo.refused ?? null }));
                  return JSON.parse(JSON.stringify(all));
                }""");
        List<Waiting> outbox = new ArrayList<>();
        for (Object item : (List<?>) stored.get("outbox")) {
            Map<?, ?> entry = (Map<?, ?>) item;
            outbox.add(new Waiting(UUID.fromString((String) entry.get("operationId")), (String) entry.get("kind"),
                    (String) entry.get("entity"), (String) entry.get("entityId"), "attempts " + entry.get("attempts")
                    + ", next at " + entry.get("nextAttemptAt") + ", sent " + (entry.get("sent") != null) + ", held "
                    + entry.get("held") + ", last error " + entry.get("lastError")));
        }
        List<String> refused = new ArrayList<>();
        for (Object item : (List<?>) stored.get("rejected")) {
            Map<?, ?> entry = (Map<?, ?>) item;
            refused.add(entry.get("operationId") + " " + entry.get("kind") + " " + entry.get("entity") + " "
                    + entry.get("entityId") + ": " + entry.get("status") + " " + entry.get("problemType") + " "
                    + entry.get("detail"));
        }
        List<HeldPhoto> photos = new ArrayList<>();
        for (Object item : (List<?>) stored.get("photos")) {
            Map<?, ?> photo = (Map<?, ?>) item;
            photos.add(new HeldPhoto((String) photo.get("id"), (String) photo.get("sha256"), (Boolean) photo.get("copy"),
                    (Boolean) photo.get("receipt"), (String) photo.get("refused")));
        }
        List<Held> reports = new ArrayList<>();
        for (Object item : (List<?>) stored.get("reports")) {
            Map<?, ?> record = (Map<?, ?>) item;
            if (Boolean.TRUE.equals(record.get("deleted"))) {
                continue;
            }
            String id = (String) record.get("id");
            boolean waits = outbox.stream().anyMatch(entry -> entry.entityId().equals(id));
            reports.add(held(record, !waits && record.get("serverCopy") == null));
        }
        return new Holdings(reports, outbox, refused, photos);
    }

    private static Held held(Map<?, ?> record, boolean settled) {
        Map<?, ?> fields = (Map<?, ?>) record.get("fields");
        List<CrewRow> crew = new ArrayList<>();
        for (Object item : (List<?>) fields.get("crew")) {
            Map<?, ?> row = (Map<?, ?>) item;
            crew.add(new CrewRow((String) row.get("trade"), (String) row.get("company"),
                    ((Number) row.get("headcount")).intValue(), decimal(row.get("hours"))));
        }
        ReportContent content = new ReportContent(
                new Weather((String) fields.get("weather.conditions"), decimal(fields.get("weather.temperatureCelsius"))),
                crew, (String) fields.get("workPerformed"), (String) fields.get("delays"),
                (String) fields.get("safetyIncidents"), (String) fields.get("materials"), (String) fields.get("notes"));
        return new Held(UUID.fromString((String) record.get("id")), (String) fields.get("status"),
                ((Number) record.get("version")).longValue(), UUID.fromString((String) record.get("siteId")),
                LocalDate.parse((String) record.get("date")), UUID.fromString((String) record.get("authorId")), content,
                (String) fields.get("returnComment"), settled);
    }

    private static BigDecimal decimal(Object number) {
        return number == null ? null : new BigDecimal(number.toString());
    }

    /** Errors the app's pages threw, and Content-Security-Policy violations, since the last call. */
    List<String> takePageErrors() {
        return browsers.takePageErrors();
    }

    @Override
    public void close() throws IOException {
        browsers.close();
    }
}
