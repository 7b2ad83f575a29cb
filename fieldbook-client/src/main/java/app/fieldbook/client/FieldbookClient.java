package app.fieldbook.client;

import app.fieldbook.client.http.Retrying;
import app.fieldbook.client.http.SyncApi;
import app.fieldbook.client.replica.Replica;
import app.fieldbook.client.replica.ReportFieldValues;
import app.fieldbook.client.store.LocalStore;
import app.fieldbook.client.store.StoredPhoto;
import app.fieldbook.client.sync.SyncRequests;
import app.fieldbook.client.sync.Syncing;
import app.fieldbook.client.sync.pull.Pulling;
import app.fieldbook.client.sync.push.Pushing;
import app.fieldbook.client.sync.upload.UploadingPhotos;
import app.fieldbook.protocol.Conflict;
import app.fieldbook.protocol.ConflictResolution;
import app.fieldbook.protocol.Photo;
import app.fieldbook.protocol.ReportContent;
import app.fieldbook.protocol.SiteReference;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.random.RandomGenerator;
import tools.jackson.databind.json.JsonMapper;

/**
 * Fieldbook on a device: daily reports and photos written offline into a local SQLite store, and
 * {@link #sync()} to exchange them with the server when there is a connection.
 *
 * <p>Every change goes first into the store's outbox, in the same transaction as the device's copy of
 * the record, and leaves the outbox only in the transaction that records the server's answer. Sync
 * pushes the outbox, pulls what changed on the server, then uploads photos; it may stop anywhere
 * (no signal, the app killed) and the next sync carries on, the server's idempotency making resends
 * safe.
 *
 * <p>Open one per store file with {@link #open(Path, URI)} or {@link #builder(Path)} (to choose the
 * clock, the waiting between retries, the HTTP client); close it when done. Methods may be called from
 * several threads; syncs run one at a time.
 */
public final class FieldbookClient implements AutoCloseable {

    private final LocalStore store;
    private final Clock clock;
    private final ClientVersion version;
    private final HttpClient http;
    private final boolean ownsHttp;
    private final SyncApi api;
    private final Replica replica;
    private final Session session;
    private final DeviceRecords records;
    private final EditingReports editing;
    private final AttachingPhotos attaching;
    private final ResolvingConflicts conflicts;
    private final Syncing syncing;

    private FieldbookClient(Builder builder, LocalStore store, JsonMapper json) {
        this.store = store;
        this.clock = builder.clock;
        this.version = ClientVersion.ofBuild();
        String appVersion = builder.appVersion != null ? builder.appVersion : "fieldbook-client/" + version.full();
        this.ownsHttp = builder.http == null;
        this.http = builder.http != null ? builder.http : HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(15))
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        Failures failures = new Failures(store, version);
        this.session = new Session(store, json, clock, failures);
        this.api = new SyncApi(URI.create(store.device().server().orElse("http://server.invalid")), http, json,
                builder.requestTimeout, appVersion, clock, session::validToken, store.device()::id);
        Retrying retrying = new Retrying(builder.backoff, builder.sleeper, builder.random);
        ReportFieldValues values = new ReportFieldValues(json);
        this.replica = new Replica(store, values, clock);
        this.records = new DeviceRecords(store, values, clock);
        this.editing = new EditingReports(store, values, replica, clock, session::requireAccount);
        this.attaching = new AttachingPhotos(store, editing, values, replica, clock);
        this.conflicts = new ResolvingConflicts(store, api, retrying, session, failures);
        SyncRequests requests = new SyncRequests(store, json, version.release(), appVersion, builder.pageSize);
        this.syncing = new Syncing(store, clock,
                new Pushing(store, api, replica, values, retrying, builder.backoff, builder.random, clock, json,
                        requests::push, builder.batchSize),
                new Pulling(store, api, replica, values, clock, retrying, requests::pull),
                new UploadingPhotos(store, api, replica, retrying, builder.backoff, builder.random, clock,
                        builder.chunkSize),
                session::requireSignedIn, failures::translated);
    }

    /** Opens the store at {@code store}, syncing with {@code server} (null: the server the store already has). */
    public static FieldbookClient open(Path store, URI server) {
        return builder(store).server(server).open();
    }

    public static Builder builder(Path store) {
        return new Builder(store);
    }

    // Signing in

    /**
     * Signs in and keeps a bearer token in the store. Signing in as another person is refused while
     * changes of the previous one wait on the device (they would reach the server under the wrong
     * name); otherwise the previous person's data is forgotten.
     *
     * @throws SignInRefused wrong login or password, or throttled after too many failures
     * @throws SecondFactorRequired the account has a second factor: sign in with its code
     * @throws PasswordChangeRequired signed in, but an administrator chose the password: the server takes
     *     nothing but {@link #changePassword} until the person has chosen their own
     * @throws ServerUnreachable no connection to the server
     */
    public Account signIn(String login, char[] password) {
        return signIn(login, password, null);
    }

    /**
     * Signs in with the code of the person's second factor beside the password: the authenticator app's
     * current six digits, or one of their recovery codes (each works once).
     *
     * @throws SignInRefused wrong login, password or code, throttled after too many failures, or the person's
     *     role requires a second factor they have not enrolled yet (in the web app)
     * @throws PasswordChangeRequired signed in, but the person must choose their own password first
     * @throws ServerUnreachable no connection to the server
     */
    public Account signIn(String login, char[] password, String code) {
        return session.signIn(api, login, password, code, "Fieldbook client " + version.full() + ", device "
                + store.device().id().toString().substring(0, 8));
    }

    /**
     * Changes the signed-in person's password to one they chose; this device stays signed in, the person's
     * other sign-ins end.
     *
     * @throws ServerRefused the server's password policy refuses {@code chosen} (the message says why)
     * @throws SignInRefused the current password is wrong, or too many were
     * @throws NotSignedIn not signed in
     * @throws ServerUnreachable no connection to the server
     */
    public void changePassword(char[] current, char[] chosen) {
        session.changePassword(api, current, chosen);
    }

    /** Forgets the token on this device; the account stays, so changes made offline keep their author. */
    public void signOut() {
        store.device().forgetToken();
    }

    /** Who the device is signed in as, also when the token has expired. */
    public Optional<Account> account() {
        return session.account();
    }

    /** Whether the device holds a token that has not expired. */
    public boolean signedIn() {
        return session.validToken().isPresent();
    }

    public Optional<URI> server() {
        return store.device().server().map(URI::create);
    }

    public UUID deviceId() {
        return store.device().id();
    }

    /** This client's version, as built. */
    public String version() {
        return version.full();
    }

    // Reference data

    /** The sites the signed-in person may see, as of the last sync. */
    public List<SiteReference> sites() {
        return store.sites().all();
    }

    /** Today at {@code site}: the date in its time zone (this device's, when the site names none it knows). */
    public LocalDate todayAt(SiteReference site) {
        ZoneId zone;
        try {
            zone = site.timezone() == null ? clock.getZone() : ZoneId.of(site.timezone());
        } catch (DateTimeException unknown) {
            zone = clock.getZone();
        }
        return LocalDate.now(clock.withZone(zone));
    }

    /** A known site by its id or its code (ignoring case). */
    public Optional<SiteReference> site(String idOrCode) {
        try {
            return store.sites().find(UUID.fromString(idOrCode));
        } catch (IllegalArgumentException notAnId) {
            return store.sites().withCode(idOrCode);
        }
    }

    public Optional<String> personName(UUID personId) {
        return store.people().name(personId);
    }

    // Reports

    /**
     * Creates a draft report on the device.
     *
     * @throws NotSignedIn when no one ever signed in on this device
     * @throws ChangeRefused an unknown site, a report of the same person, site and day exists here, or
     *     content the server would refuse (a temperature out of range, a crew row without trade, text too long)
     */
    public LocalReport createReport(UUID siteId, LocalDate date, ReportContent content) {
        return records.report(editing.create(siteId, date, content));
    }

    /**
     * Replaces the content of a draft or returned report; only the fields that differ become a change.
     *
     * @throws ChangeRefused unknown here, someone else's, no longer editable (submitted, approved), or
     *     content the server would refuse
     */
    public LocalReport editReport(UUID reportId, ReportContent content) {
        return records.report(editing.edit(reportId, content));
    }

    /**
     * Submits a draft or returned report.
     *
     * @throws ChangeRefused unknown here, someone else's, or not a draft or returned
     */
    public LocalReport submitReport(UUID reportId) {
        return records.report(editing.submit(reportId));
    }

    /**
     * Deletes a draft.
     *
     * @throws ChangeRefused unknown here, someone else's, or not a draft
     */
    public void deleteDraft(UUID reportId) {
        editing.deleteDraft(reportId);
    }

    /** The reports on this device, newest day first (drafts deleted here are left out). */
    public List<LocalReport> reports() {
        return records.reports();
    }

    public Optional<LocalReport> report(UUID reportId) {
        return records.report(reportId);
    }

    // Photos

    /**
     * Attaches a photo to a draft or returned report: the file is copied into the store and its SHA-256
     * computed; the photo's metadata goes with the next push and its content is uploaded after.
     *
     * @throws ChangeRefused the report cannot be changed, or the file is missing, unreadable, empty or does not begin as
     *     a photo of a type the server takes; the caption is too long, or the position off the globe
     */
    public PhotoUpload attachPhoto(UUID reportId, Path file, PhotoDetails details) {
        return records.upload(attaching.attach(reportId, file, details));
    }

    /**
     * The photos on this device (attached here, or pulled with their reports), as the device shows them: without
     * those waiting to be removed from the server.
     */
    public List<Photo> photos() {
        return store.photos().all().stream().map(StoredPhoto::photo)
                .filter(photo -> !attaching.beingRemoved(photo.id())).toList();
    }

    /**
     * Takes a photo off a draft or returned report of the person's: at once on the device, from the server with the
     * next push (a photo the server was not told of yet is simply forgotten, with the device's copy). A removal the
     * server refuses (the report was submitted elsewhere meanwhile) brings the photo back and is kept among the
     * rejected changes.
     *
     * @return false when no such photo is on the device
     * @throws ChangeRefused the photo's report cannot be changed
     */
    public boolean removePhoto(UUID photoId) {
        return attaching.remove(photoId);
    }

    /**
     * Writes, changes or clears (blank) the caption of a photo of a draft or returned report of the person's: on
     * the device at once, on the server with the next push. A change the server refuses (the photo changed
     * elsewhere meanwhile, or the report was submitted) gives way to the server's caption and is kept among the
     * rejected changes.
     *
     * @throws ChangeRefused no such photo on the device, its report cannot be changed, or the caption is too long
     */
    public Photo captionPhoto(UUID photoId, String caption) {
        return attaching.recaption(photoId, caption);
    }

    /** Photos attached on this device: waiting, uploaded, or refused. */
    public List<PhotoUpload> photoUploads() {
        return records.uploads();
    }

    /** Deletes the device's copy of a photo the server refused. */
    public boolean discardFailedPhoto(UUID photoId) {
        return attaching.discardRefused(photoId);
    }

    // Sync

    public SyncSummary sync() {
        return sync(SyncProgress.SILENT);
    }

    /**
     * Pushes the outbox, pulls the server's changes, then uploads waiting photos (and withdraws from the
     * server the photos it refused for good). Ends early, without
     * throwing, when the server cannot be reached or asks the device to wait (see
     * {@link SyncSummary#interruption()}); what was acknowledged before is recorded.
     *
     * @throws NotSignedIn no valid token; the server refused it (the token is then forgotten)
     * @throws ClientUpdateRequired the server refuses this client version; nothing is retried
     * @throws ServerRefused the server refused the sync itself (not one of its changes)
     */
    public SyncSummary sync(SyncProgress progress) {
        return syncing.sync(progress);
    }

    /** What waits on this device and how its sync stands. */
    public DeviceState state() {
        return store.inTransaction(() -> new DeviceState(
                server().orElse(null),
                store.device().id(),
                account().orElse(null),
                signedIn(),
                store.outbox().count(),
                store.outbox().oldestMadeAt().orElse(null),
                store.uploads().count(PhotoUpload.State.WAITING),
                store.uploads().count(PhotoUpload.State.FAILED),
                store.rejectedChanges().count(),
                store.conflicts().open().size(),
                store.device().lastSyncAt().orElse(null),
                version.full(),
                store.device().minimumClientVersion().orElse(null),
                store.device().notBefore().filter(clock.instant()::isBefore).orElse(null)));
    }

    /**
     * The changes waiting for the server, oldest first, each with why it waits (its last failure, or why
     * the last sync stopped) and when a sync sends it again.
     */
    public List<WaitingChange> waitingChanges() {
        return records.waitingChanges();
    }

    /** The changes the server refused for good, the latest first, until dismissed. */
    public List<RejectedChange> rejectedChanges() {
        return store.rejectedChanges().all();
    }

    public boolean dismissRejectedChange(UUID operationId) {
        return store.rejectedChanges().dismiss(operationId);
    }

    // Conflicts

    /** The open conflicts as of the last sync (or {@link #refreshConflicts()}). */
    public List<Conflict> conflicts() {
        return store.conflicts().open();
    }

    /**
     * Fetches the open conflicts visible to the signed-in person from the server and keeps them.
     *
     * @throws ServerUnreachable no connection
     */
    public List<Conflict> refreshConflicts() {
        return conflicts.refresh();
    }

    /**
     * Resolves a conflict on the server: keep the server's value, take the device's, or write a new one.
     * The record's new version arrives with the next sync.
     *
     * @throws ServerUnreachable no connection
     * @throws ServerRefused the conflict is unknown, already resolved, or the value is invalid
     */
    public Conflict resolveConflict(UUID conflictId, ConflictResolution resolution) {
        return conflicts.resolve(conflictId, resolution);
    }

    /** Closes the store (and the HTTP client, when the client made it). */
    @Override
    public void close() {
        try {
            store.close();
        } finally {
            if (ownsHttp) {
                http.close();
            }
        }
    }

    /** Opens a {@link FieldbookClient}; everything but the store path has a default. */
    public static final class Builder {

        private final Path store;
        private URI server;
        private Clock clock = Clock.systemUTC();
        private Sleeper sleeper = Sleeper.THREAD;
        private RandomGenerator random = new Random();
        private Backoff backoff = Backoff.STANDARD;
        private HttpClient http;
        private Duration requestTimeout = Duration.ofMinutes(2);
        private int chunkSize = 1 << 20;
        private int batchSize = 100;
        private int pageSize = 500;
        private String appVersion;

        private Builder(Path store) {
            this.store = store;
        }

        /**
         * The server to sync with. Changing the server of a store forgets the previous server's data,
         * and is refused while changes for it wait on the device.
         */
        public Builder server(URI server) {
            this.server = server;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** How the client waits between retries within a sync. */
        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = sleeper;
            return this;
        }

        /** The source of backoff jitter. */
        public Builder random(RandomGenerator random) {
            this.random = random;
            return this;
        }

        public Builder backoff(Backoff backoff) {
            this.backoff = backoff;
            return this;
        }

        /** The HTTP client to use (closing it stays with the caller); by default the client makes its own. */
        public Builder httpClient(HttpClient http) {
            this.http = http;
            return this;
        }

        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = requestTimeout;
            return this;
        }

        /** Bytes per upload request (default 1 MiB). */
        public Builder chunkSize(int chunkSize) {
            if (chunkSize < 1) {
                throw new IllegalArgumentException("chunkSize must be positive");
            }
            this.chunkSize = chunkSize;
            return this;
        }

        /** Operations per push request (1 to 500, default 100). */
        public Builder batchSize(int batchSize) {
            if (batchSize < 1 || batchSize > 500) {
                throw new IllegalArgumentException("batchSize must be 1 to 500");
            }
            this.batchSize = batchSize;
            return this;
        }

        /** Changes per pull page (1 to 5000, default 500). */
        public Builder pageSize(int pageSize) {
            if (pageSize < 1 || pageSize > 5000) {
                throw new IllegalArgumentException("pageSize must be 1 to 5000");
            }
            this.pageSize = pageSize;
            return this;
        }

        /** What the device reports as its app version (at most 40 characters); default {@code fieldbook-client/<version>}. */
        public Builder appVersion(String appVersion) {
            if (appVersion != null && (appVersion.isBlank() || appVersion.length() > 40)) {
                throw new IllegalArgumentException("appVersion must be 1 to 40 characters");
            }
            this.appVersion = appVersion;
            return this;
        }

        /**
         * Opens the store (creating it when missing).
         *
         * @throws StoreFailed the file cannot be opened or is from a newer client
         * @throws ChangeRefused a server change refused while changes for the previous server wait
         */
        public FieldbookClient open() {
            JsonMapper json = SyncApi.jsonMapper();
            LocalStore local = LocalStore.open(store, json);
            try {
                if (server != null) {
                    Session.useServer(local, json, server);
                }
                FieldbookClient client = new FieldbookClient(this, local, json);
                client.replica.sweepOrphanCopies();
                return client;
            } catch (RuntimeException e) {
                local.close();
                throw e;
            }
        }
    }
}
