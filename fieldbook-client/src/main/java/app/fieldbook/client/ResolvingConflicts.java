package app.fieldbook.client;

import app.fieldbook.client.http.RequestFailed;
import app.fieldbook.client.http.Retrying;
import app.fieldbook.client.http.SyncApi;
import app.fieldbook.client.store.LocalStore;
import app.fieldbook.protocol.Conflict;
import app.fieldbook.protocol.ConflictResolution;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/** Conflicts fetched from the server and resolved there, online; the store keeps the open ones. */
final class ResolvingConflicts {

    private final LocalStore store;
    private final SyncApi api;
    private final Retrying retrying;
    private final Session session;
    private final Failures failures;

    ResolvingConflicts(LocalStore store, SyncApi api, Retrying retrying, Session session, Failures failures) {
        this.store = store;
        this.api = api;
        this.retrying = retrying;
        this.session = session;
        this.failures = failures;
    }

    List<Conflict> refresh() {
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

    Conflict resolve(UUID conflictId, ConflictResolution resolution) {
        Conflict resolved = online(() -> api.resolve(conflictId, resolution));
        store.conflicts().save(resolved);
        return resolved;
    }

    private <T> T online(Supplier<T> call) {
        session.requireSignedIn();
        try {
            return retrying.call(call);
        } catch (RequestFailed failure) {
            throw failures.translated(failure);
        }
    }
}
