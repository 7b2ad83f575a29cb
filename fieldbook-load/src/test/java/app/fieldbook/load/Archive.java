package app.fieldbook.load;

import app.fieldbook.protocol.Operation;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The reports on the archive sites that a new device downloads, pushed by the field workers in large
 * batches. Every id is derived from the worker and the report's number, so seeding again replays the
 * same operations, which the server answers from its record without creating anything: the archive
 * holds the same reports however often it is seeded.
 */
final class Archive {

    private static final LocalDate FIRST_DAY = LocalDate.of(2000, 1, 1);

    private final List<UUID> siteIds;
    private final int reportsPerWorker;

    Archive(List<UUID> siteIds, int reportsPerWorker) {
        this.siteIds = List.copyOf(siteIds);
        this.reportsPerWorker = reportsPerWorker;
    }

    /** Pushes needed per worker with {@code batch} operations each. */
    int pushesPerWorker(int batch) {
        return (reportsPerWorker + batch - 1) / batch;
    }

    /** The device id a worker seeds from. */
    static UUID deviceOf(String login) {
        return derived("archive-device/" + login);
    }

    /** Push number {@code push} (from 0) of the worker: reports {@code push * batch} on, spread over the sites. */
    String push(String login, int push, int batch) {
        List<Operation> operations = new ArrayList<>(batch);
        int from = push * batch;
        int to = Math.min(from + batch, reportsPerWorker);
        for (int n = from; n < to; n++) {
            UUID site = siteIds.get(n % siteIds.size());
            LocalDate day = FIRST_DAY.plusDays(n / siteIds.size());
            operations.add(SyncRequests.create(derived("archive-operation/" + login + "/" + n),
                    derived("archive-report/" + login + "/" + n), site, day, n));
        }
        return SyncRequests.push(deviceOf(login), operations);
    }

    /** Operations in push number {@code push}. */
    int operationsIn(int push, int batch) {
        return Math.min(batch, reportsPerWorker - push * batch);
    }

    private static UUID derived(String name) {
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
    }
}
