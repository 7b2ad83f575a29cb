package app.fieldbook.client.sync;

import app.fieldbook.client.store.LocalStore;
import app.fieldbook.client.PhotoUpload;
import app.fieldbook.client.sync.pull.Pulling;
import app.fieldbook.protocol.DeviceStatus;
import app.fieldbook.protocol.PullRequest;
import app.fieldbook.protocol.PushRequest;
import app.fieldbook.protocol.SyncProtocol;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * What every push and pull says about the device: the protocol version, the client's release, the
 * device's id, and its status as of the request (what waits, the app's version).
 */
public final class SyncRequests {

    private final LocalStore store;
    private final JsonMapper json;
    private final String clientRelease;
    private final String appVersion;
    private final int pageSize;

    public SyncRequests(LocalStore store, JsonMapper json, String clientRelease, String appVersion, int pageSize) {
        this.store = store;
        this.json = json;
        this.clientRelease = clientRelease;
        this.appVersion = appVersion;
        this.pageSize = pageSize;
    }

    /** A push request with no operations yet, as JSON (the operations go in as first sent). */
    public ObjectNode push() {
        return json.valueToTree(new PushRequest(SyncProtocol.VERSION, clientRelease, store.device().id(), status(),
                List.of()));
    }

    public PullRequest pull(String cursor) {
        return new PullRequest(SyncProtocol.VERSION, clientRelease, store.device().id(), status(), cursor, pageSize,
                Pulling.knownSiteIds(store));
    }

    private DeviceStatus status() {
        return store.inTransaction(() -> new DeviceStatus(store.outbox().count(),
                store.outbox().oldestMadeAt().orElse(null), store.uploads().count(PhotoUpload.State.WAITING),
                appVersion));
    }
}
