package app.fieldbook.client.sync.pull;

import app.fieldbook.client.http.Retrying;
import app.fieldbook.client.http.SyncApi;
import app.fieldbook.client.replica.Replica;
import app.fieldbook.client.replica.ReportFieldValues;
import app.fieldbook.client.store.LocalStore;
import app.fieldbook.client.sync.SyncTally;
import app.fieldbook.protocol.PullRequest;
import app.fieldbook.protocol.PullResponse;
import app.fieldbook.protocol.SiteReference;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * Downloads the changes visible to the signed-in person since the stored cursor, page by page while
 * the server says there is more. Each page is applied and its cursor stored in one local transaction,
 * so a sync cut off between pages resumes after the last page applied.
 */
public final class Pulling {

    private static final int MAX_PAGES = 100_000;

    private final LocalStore store;
    private final SyncApi api;
    private final PulledChanges changes;
    private final Retrying retrying;
    private final Function<String, PullRequest> requests;

    /** {@code requests} makes the request for a cursor, with the device's current status. */
    public Pulling(LocalStore store, SyncApi api, Replica replica, ReportFieldValues values, Clock clock,
            Retrying retrying, Function<String, PullRequest> requests) {
        this.store = store;
        this.api = api;
        this.changes = new PulledChanges(store, values, replica, clock);
        this.retrying = retrying;
        this.requests = requests;
    }

    public void pullAll(SyncTally tally) {
        for (int page = 0; page < MAX_PAGES; page++) {
            String cursor = store.device().cursor().orElse(null);
            PullRequest request = requests.apply(cursor);
            PullResponse response = retrying.call(() -> api.pull(request));
            store.inTransaction(() -> {
                changes.apply(response, tally);
                if (response.cursor() != null) {
                    store.device().cursor(response.cursor());
                }
            });
            if (!response.more() || response.cursor() == null || Objects.equals(response.cursor(), cursor)) {
                return;
            }
        }
    }

    /** The sites the device holds data of: the known sites and the sites of its reports. */
    public static List<UUID> knownSiteIds(LocalStore store) {
        Set<UUID> ids = new LinkedHashSet<>();
        store.sites().all().stream().map(SiteReference::id).forEach(ids::add);
        ids.addAll(store.reports().siteIds());
        return List.copyOf(ids);
    }
}
