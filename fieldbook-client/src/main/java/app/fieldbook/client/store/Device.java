package app.fieldbook.client.store;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;

/**
 * What the device knows of itself (the {@code meta} table): its id, generated once; the server it
 * syncs with; the bearer token and who it belongs to; the pull cursor; when it last synced; and what
 * the server last asked of it (a minimum client version, a time to come back).
 */
public final class Device {

    static final String DEVICE_ID = "device_id";
    static final String SERVER = "server";
    static final String TOKEN = "token";
    static final String TOKEN_EXPIRES_AT = "token_expires_at";
    static final String ACCOUNT = "account";
    static final String CURSOR = "cursor";
    static final String LAST_SYNC_AT = "last_sync_at";
    static final String MINIMUM_CLIENT_VERSION = "minimum_client_version";
    static final String NOT_BEFORE = "not_before";

    private final LocalStore store;

    Device(LocalStore store) {
        this.store = store;
    }

    void ensureId() {
        store.inTransaction(() -> {
            if (get(DEVICE_ID).isEmpty()) {
                put(DEVICE_ID, UUID.randomUUID().toString());
            }
        });
    }

    /** This device's id, generated when the store was created and never changed. */
    public UUID id() {
        return UUID.fromString(get(DEVICE_ID).orElseThrow());
    }

    public Optional<String> server() {
        return get(SERVER);
    }

    public void server(String url) {
        put(SERVER, url);
    }

    public Optional<String> token() {
        return get(TOKEN);
    }

    public Optional<OffsetDateTime> tokenExpiresAt() {
        return get(TOKEN_EXPIRES_AT).map(OffsetDateTime::parse);
    }

    /** Keeps a token, its expiry and the account it belongs to (as JSON); nulls forget them. */
    public void signedIn(String token, OffsetDateTime expiresAt, String accountJson) {
        store.inTransaction(() -> {
            put(TOKEN, token);
            put(TOKEN_EXPIRES_AT, expiresAt == null ? null : expiresAt.toString());
            put(ACCOUNT, accountJson);
        });
    }

    /** Forgets the token but keeps the account, so that changes made offline stay attributed. */
    public void forgetToken() {
        store.inTransaction(() -> {
            put(TOKEN, null);
            put(TOKEN_EXPIRES_AT, null);
        });
    }

    public Optional<String> accountJson() {
        return get(ACCOUNT);
    }

    public Optional<String> cursor() {
        return get(CURSOR);
    }

    public void cursor(String cursor) {
        put(CURSOR, cursor);
    }

    public Optional<OffsetDateTime> lastSyncAt() {
        return get(LAST_SYNC_AT).map(OffsetDateTime::parse);
    }

    public void lastSyncAt(OffsetDateTime time) {
        put(LAST_SYNC_AT, time.toString());
    }

    /** The version the server last said it needs, when it refused this client as too old. */
    public Optional<String> minimumClientVersion() {
        return get(MINIMUM_CLIENT_VERSION);
    }

    public void minimumClientVersion(String version) {
        put(MINIMUM_CLIENT_VERSION, version);
    }

    /** Until when the server asked the device not to call (Retry-After of a 429 or 503). */
    public Optional<Instant> notBefore() {
        return get(NOT_BEFORE).map(Instant::parse);
    }

    public void notBefore(Instant time) {
        put(NOT_BEFORE, time == null ? null : time.toString());
    }

    private Optional<String> get(String key) {
        return store.inTransaction(() -> store.queryOne("SELECT value FROM meta WHERE key = ?",
                row -> row.getString(1), key));
    }

    private void put(String key, String value) {
        store.inTransaction(() -> {
            if (value == null) {
                store.update("DELETE FROM meta WHERE key = ?", key);
            } else {
                store.update("INSERT INTO meta (key, value) VALUES (?, ?) "
                        + "ON CONFLICT (key) DO UPDATE SET value = excluded.value", key, value);
            }
        });
    }
}
