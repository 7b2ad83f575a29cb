package app.fieldbook.client;

import app.fieldbook.client.SyncSummary.Interruption;
import app.fieldbook.client.store.LocalStore;
import app.fieldbook.client.store.StoredRejection;
import app.fieldbook.client.store.StoredReport;
import app.fieldbook.client.store.StoredUpload;
import app.fieldbook.protocol.Conflict;
import app.fieldbook.protocol.ConflictResolution;
import app.fieldbook.protocol.DeviceStatus;
import app.fieldbook.protocol.PullRequest;
import app.fieldbook.protocol.PushRequest;
import app.fieldbook.protocol.ReportContent;
import app.fieldbook.protocol.SiteReference;
import app.fieldbook.protocol.SyncProtocol;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

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
    private final JsonMapper json;
    private final Clock clock;
    private final Backoff backoff;
    private final Retrying retrying;
    private final ClientVersion version;
    private final String appVersion;
    private final HttpClient http;
    private final boolean ownsHttp;
    private final ReportFieldValues values;
    private final Replica replica;
    private final EditingReports editing;
    private final AttachingPhotos attaching;
    private final Pushing pushing;
    private final Pulling pulling;
    private final UploadingPhotos uploading;
    private final SyncApi api;
    private final ReentrantLock syncing = new ReentrantLock();

    private FieldbookClient(Builder builder, LocalStore store, JsonMapper json) {
        this.store = store;
        this.json = json;
        this.clock = builder.clock;
        this.backoff = builder.backoff;
        this.retrying = new Retrying(builder.backoff, builder.sleeper, builder.random);
        this.version = ClientVersion.ofBuild();
        this.appVersion = builder.appVersion != null ? builder.appVersion : "fieldbook-client/" + version.full();
        this.ownsHttp = builder.http == null;
        this.http = builder.http != null ? builder.http : HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(15))
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        this.values = new ReportFieldValues(json);
        this.replica = new Replica(store, values, clock);
        this.editing = new EditingReports(store, values, replica, clock, this::requireAccount);
        this.attaching = new AttachingPhotos(store, editing, values, clock);
        this.api = new SyncApi(URI.create(store.device().server().orElse("http://server.invalid")), http, json,
                builder.requestTimeout, appVersion, clock, this::validToken, () -> store.device().id());
        this.pushing = new Pushing(store, api, replica, retrying, backoff, builder.random, clock, json,
                this::pushEnvelope, builder.batchSize);
        this.pulling = new Pulling(store, api, replica, retrying, cursor -> new PullRequest(SyncProtocol.VERSION,
                version.release(), store.device().id(), deviceStatus(), cursor, builder.pageSize,
                Pulling.knownSiteIds(store)));
        this.uploading = new UploadingPhotos(store, api, replica, retrying, backoff, builder.random, clock,
                builder.chunkSize);
    }

    /** Opens the store at {@code store}, syncing with {@code server} (null: the server the store already has). */
    public static FieldbookClient open(Path store, URI server) {
        return builder(store).server(server).open();
    }

    public static Builder builder(Path store) {
        return new Builder(store);
    }

    /** The JSON mapping the client uses on the wire and in the store. */
    static JsonMapper jsonMapper() {
        return JsonMapper.builder()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .build();
    }

    // Signing in

    /**
     * Signs in and keeps a bearer token in the store. Signing in as another person is refused while
     * changes of the previous one wait on the device (they would reach the server under the wrong
     * name); otherwise the previous person's data is forgotten.
     *
     * @throws SignInRefused wrong login or password, or throttled after too many failures
     * @throws ServerUnreachable no connection to the server
     */
    public Account signIn(String login, char[] password) {
        requireServer();
        Optional<Account> previous = account();
        if (previous.isPresent() && !previous.get().login().equalsIgnoreCase(login)) {
            requireNothingWaiting("signing in as " + login);
        }
        SyncApi.TokenIssued issued;
        try {
            issued = api.issueToken(login, new String(password), "Fieldbook client " + version.full() + ", device "
                    + store.device().id().toString().substring(0, 8));
        } catch (RequestFailed failure) {
            if (failure.status() == 401) {
                throw new SignInRefused("Wrong login or password.", null);
            }
            if (failure.status() == 429) {
                Duration wait = failure.retryAfter().orElse(null);
                throw new SignInRefused("Too many failed sign-ins; try again"
                        + (wait == null ? " later." : " in " + describe(wait) + "."), wait);
            }
            throw translated(failure);
        }
        Account account = issued.user();
        store.inTransaction(() -> {
            if (previous.isPresent() && !previous.get().id().equals(account.id())) {
                requireNothingWaiting("signing in as " + login);
                store.forgetReplica();
            }
            store.device().signedIn(issued.token(), issued.expiresAt(), json.writeValueAsString(account));
        });
        return account;
    }

    /** Forgets the token on this device; the account stays, so changes made offline keep their author. */
    public void signOut() {
        store.device().forgetToken();
    }

    /** Who the device is signed in as, also when the token has expired. */
    public Optional<Account> account() {
        return store.device().accountJson().map(text -> json.readValue(text, Account.class));
    }

    /** Whether the device holds a token that has not expired. */
    public boolean signedIn() {
        return validToken().isPresent();
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
        return local(editing.create(siteId, date, content));
    }

    /**
     * Replaces the content of a draft or returned report; only the fields that differ become a change.
     *
     * @throws ChangeRefused unknown here, someone else's, no longer editable (submitted, approved), or
     *     content the server would refuse
     */
    public LocalReport editReport(UUID reportId, ReportContent content) {
        return local(editing.edit(reportId, content));
    }

    /**
     * Submits a draft or returned report.
     *
     * @throws ChangeRefused unknown here, someone else's, or not a draft or returned
     */
    public LocalReport submitReport(UUID reportId) {
        return local(editing.submit(reportId));
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
        return store.reports().all().stream().filter(report -> !report.deleted()).map(this::local).toList();
    }

    public Optional<LocalReport> report(UUID reportId) {
        return store.reports().find(reportId).filter(report -> !report.deleted()).map(this::local);
    }

    private LocalReport local(StoredReport report) {
        ObjectNode fields = report.fields();
        return new LocalReport(report.id(), report.siteId(), report.date(), report.authorId(), values.status(fields),
                values.content(fields), values.returnComment(fields), report.version(),
                store.outbox().of(report.id()).size(), report.serverCopy());
    }

    // Photos

    /**
     * Attaches a photo to a draft or returned report: the file is copied into the store and its SHA-256
     * computed; the photo's metadata goes with the next push and its content is uploaded after.
     *
     * @throws ChangeRefused the report cannot be changed, or the file is missing, unreadable or empty
     */
    public PhotoUpload attachPhoto(UUID reportId, Path file, PhotoDetails details) {
        return upload(attaching.attach(reportId, file, details));
    }

    /** Photos attached on this device: waiting, uploaded, or refused. */
    public List<PhotoUpload> photoUploads() {
        return store.uploads().all().stream().map(this::upload).toList();
    }

    /** Deletes the device's copy of a photo the server refused. */
    public boolean discardFailedPhoto(UUID photoId) {
        return store.inTransaction(() -> {
            Optional<StoredUpload> upload = store.uploads().find(photoId)
                    .filter(found -> found.stage() == StoredUpload.Stage.FAILED);
            upload.ifPresent(replica::discardUpload);
            return upload.isPresent();
        });
    }

    private PhotoUpload upload(StoredUpload upload) {
        return new PhotoUpload(upload.photoId(), upload.reportId(), upload.sha256(), upload.size(), upload.uploaded(),
                PhotoUpload.State.valueOf(upload.stage().name()), upload.lastError(), upload.attachedAt(),
                upload.stage() == StoredUpload.Stage.WAITING ? later(upload.nextAttemptAt()) : null);
    }

    /** {@code time} when it is still ahead, else null (the next sync). */
    private Instant later(Instant time) {
        return time != null && time.isAfter(clock.instant()) ? time : null;
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
        syncing.lock();
        try {
            requireServer();
            if (validToken().isEmpty()) {
                throw new NotSignedIn("Not signed in, or the sign-in has expired: sign in again.");
            }
            SyncTally tally = new SyncTally();
            Optional<Instant> notBefore = store.device().notBefore();
            if (notBefore.isPresent() && clock.instant().isBefore(notBefore.get())) {
                tally.interrupted(Interruption.SERVER_BUSY, "The server asked this device to wait until "
                        + notBefore.get() + ".", notBefore.get());
                return summary(tally);
            }
            try {
                pushing.pushAll(tally);
                pulling.pullAll(tally);
                store.inTransaction(() -> {
                    store.device().lastSyncAt(OffsetDateTime.now(clock));
                    store.device().minimumClientVersion(null);
                    store.device().notBefore(null);
                });
                uploading.uploadAll(tally, progress);
                if (tally.photosFailed > 0) {
                    pushing.pushAll(tally);
                }
            } catch (RequestFailed failure) {
                interrupted(failure, tally);
            }
            return summary(tally);
        } finally {
            syncing.unlock();
        }
    }

    /**
     * Ends a sync the server or the network cut off. Changes and uploads postponed earlier in this sync
     * are released: their failures were not shown to be their own, and the next sync tries them at once.
     * Those with no failure of their own on record wait because of this one, which they keep as their error.
     */
    private void interrupted(RequestFailed failure, SyncTally tally) {
        store.inTransaction(() -> {
            store.outbox().release(tally.postponedChanges);
            store.uploads().release(tally.postponedUploads);
            store.outbox().explainWaiting(failure.describe());
            store.uploads().explainWaiting(failure.describe());
        });
        if (failure.status() == 426 || failure.status() == 401) {
            throw translated(failure);
        }
        if (failure.serverBusy()) {
            Instant retryAt = failure.retryAfter().map(clock.instant()::plus).orElse(null);
            store.device().notBefore(retryAt);
            tally.interrupted(Interruption.SERVER_BUSY, failure.describe(), retryAt);
        } else if (failure.kind() != RequestFailed.Kind.ANSWERED) {
            tally.interrupted(Interruption.SERVER_UNREACHABLE, failure.describe(), null);
        } else if (failure.transientFailure()) {
            tally.interrupted(Interruption.SERVER_FAILED, failure.describe(), null);
        } else {
            throw translated(failure);
        }
    }

    private SyncSummary summary(SyncTally tally) {
        return tally.summary(store.outbox().count(), store.uploads().count(StoredUpload.Stage.WAITING));
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
                store.uploads().count(StoredUpload.Stage.WAITING),
                store.uploads().count(StoredUpload.Stage.FAILED),
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
        return store.outbox().all().stream().map(entry -> new WaitingChange(entry.operationId(), entry.entity(),
                entry.entityId(), entry.kind(), entry.madeAt(), entry.attempts(), entry.lastError(),
                later(entry.nextAttemptAt()))).toList();
    }

    /** The changes the server refused for good, the latest first, until dismissed. */
    public List<RejectedChange> rejectedChanges() {
        return store.rejectedChanges().all().stream().map(this::rejected).toList();
    }

    public boolean dismissRejectedChange(UUID operationId) {
        return store.rejectedChanges().dismiss(operationId);
    }

    private RejectedChange rejected(StoredRejection rejection) {
        Map<String, Object> changes = json.convertValue(rejection.changes(), new TypeReference<>() {
        });
        return new RejectedChange(rejection.operationId(), rejection.entity(), rejection.entityId(), rejection.kind(),
                changes, rejection.madeAt(), rejection.status(), rejection.problemType(), rejection.detail(),
                rejection.rejectedAt());
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
        List<Conflict> open = online(api::openConflicts);
        store.inTransaction(() -> {
            Set<UUID> ids = new HashSet<>();
            open.forEach(conflict -> ids.add(conflict.id()));
            for (Conflict known : store.conflicts().open()) {
                if (!ids.contains(known.id())) {
                    store.conflicts().remove(known.id());
                }
            }
            open.forEach(store.conflicts()::save);
        });
        return open;
    }

    /**
     * Resolves a conflict on the server: keep the server's value, take the device's, or write a new one.
     * The record's new version arrives with the next sync.
     *
     * @throws ServerUnreachable no connection
     * @throws ServerRefused the conflict is unknown, already resolved, or the value is invalid
     */
    public Conflict resolveConflict(UUID conflictId, ConflictResolution resolution) {
        Conflict resolved = online(() -> api.resolve(conflictId, resolution));
        store.conflicts().save(resolved);
        return resolved;
    }

    private <T> T online(Supplier<T> call) {
        requireServer();
        if (validToken().isEmpty()) {
            throw new NotSignedIn("Not signed in, or the sign-in has expired: sign in again.");
        }
        try {
            return retrying.call(call);
        } catch (RequestFailed failure) {
            throw translated(failure);
        }
    }

    private RuntimeException translated(RequestFailed failure) {
        if (failure.status() == 426) {
            String minimum = failure.problem().property("minimumClientVersion").orElse(null);
            store.device().minimumClientVersion(minimum == null ? "unknown" : minimum);
            return new ClientUpdateRequired(version.release(), minimum);
        }
        if (failure.status() == 401) {
            store.device().forgetToken();
            return new NotSignedIn("The server no longer accepts this device's sign-in: sign in again.");
        }
        if (failure.kind() != RequestFailed.Kind.ANSWERED || failure.transientFailure()) {
            return new ServerUnreachable(failure.describe() + " Try again when online.", failure);
        }
        return new ServerRefused(failure.describe(), failure.status(), failure.problem().type());
    }

    // Plumbing

    private ObjectNode pushEnvelope() {
        return json.valueToTree(new PushRequest(SyncProtocol.VERSION, version.release(), store.device().id(),
                deviceStatus(), List.of()));
    }

    private DeviceStatus deviceStatus() {
        return store.inTransaction(() -> new DeviceStatus(store.outbox().count(),
                store.outbox().oldestMadeAt().orElse(null), store.uploads().count(StoredUpload.Stage.WAITING),
                appVersion));
    }

    private Optional<String> validToken() {
        Optional<OffsetDateTime> expiresAt = store.device().tokenExpiresAt();
        if (expiresAt.isPresent() && !expiresAt.get().toInstant().isAfter(clock.instant())) {
            return Optional.empty();
        }
        return store.device().token();
    }

    private Account requireAccount() {
        return account().orElseThrow(() -> new NotSignedIn(
                "Sign in once before writing reports: the changes on this device belong to the person signed in."));
    }

    private void requireServer() {
        if (store.device().server().isEmpty()) {
            throw new NotSignedIn("No server is set for this device: sign in with the server's address first.");
        }
    }

    private void requireNothingWaiting(String what) {
        requireNothingWaiting(store, json, what);
    }

    private static void requireNothingWaiting(LocalStore store, JsonMapper json, String what) {
        int waiting = store.outbox().count() + store.uploads().count(StoredUpload.Stage.WAITING);
        if (waiting > 0) {
            String owner = store.device().accountJson().map(text -> json.readValue(text, Account.class).login())
                    .orElse("the previous person");
            throw new ChangeRefused("This device holds " + waiting + " change(s) of " + owner
                    + " that have not reached the server. Sync them, signed in as " + owner + ", before " + what + ".");
        }
    }

    private static String describe(Duration duration) {
        long seconds = Math.max(1, duration.toSeconds());
        return seconds < 120 ? seconds + " seconds" : (seconds + 59) / 60 + " minutes";
    }

    /** Deletes copies of photos no upload needs any more (left by a crash between commit and delete). */
    private void sweepOrphanCopies() {
        Set<String> kept = new HashSet<>(store.uploads().filesKept());
        try (DirectoryStream<Path> files = Files.newDirectoryStream(store.photoDirectory())) {
            for (Path file : files) {
                if (!kept.contains(file.getFileName().toString())) {
                    Files.deleteIfExists(file);
                }
            }
        } catch (IOException e) {
            // Orphans only waste space; the next open tries again.
        }
    }

    private static void useServer(LocalStore store, JsonMapper json, URI server) {
        String url = normalized(server);
        Optional<String> current = store.device().server();
        if (current.isPresent() && current.get().equals(url)) {
            return;
        }
        store.inTransaction(() -> {
            if (current.isPresent()) {
                requireNothingWaiting(store, json, "switching to the server " + url);
                store.forgetReplica();
            }
            store.device().server(url);
        });
    }

    private static String normalized(URI server) {
        String scheme = server.getScheme() == null ? "" : server.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || server.getHost() == null) {
            throw new ChangeRefused("Not a server address: " + server + " (expected http:// or https://).");
        }
        return server.toString().replaceFirst("/+$", "");
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
         * @throws app.fieldbook.client.store.StoreFailed the file cannot be opened or is from a newer client
         * @throws ChangeRefused a server change refused while changes for the previous server wait
         */
        public FieldbookClient open() {
            JsonMapper json = jsonMapper();
            LocalStore local = LocalStore.open(store, json);
            try {
                if (server != null) {
                    useServer(local, json, server);
                }
                FieldbookClient client = new FieldbookClient(this, local, json);
                client.sweepOrphanCopies();
                return client;
            } catch (RuntimeException e) {
                local.close();
                throw e;
            }
        }
    }
}
