package app.fieldbook.load;

import app.fieldbook.protocol.Operation;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * One simulated phone of a field worker: it files a new report for each next day on its site and edits
 * the notes of reports it filed before, as an offline device replaying its outbox would. It remembers
 * each report's version and notes from the server's answers, so that every edit is based on what the
 * server has and merges cleanly: a push of this device applies every operation, or something is wrong.
 */
final class Device {

    private final UUID id = UUID.randomUUID();
    private final UUID siteId;
    private LocalDate nextDate;
    private final List<Known> known = new ArrayList<>();
    private int nextToEdit;
    private List<Sent> sent = List.of();
    private long edits;

    /** A report the device filed, as the server last acknowledged it. */
    private static final class Known {
        final UUID id;
        long version;
        String notes;

        Known(UUID id, long version) {
            this.id = id;
            this.version = version;
        }
    }

    /** An operation of the batch in flight: a create of a new report, or an edit of a known one. */
    private record Sent(UUID reportId, Known edited, String notes) {
    }

    /**
     * @param siteId the worker's site
     * @param firstDate the first day without a report of this worker on that site (one report per
     *     author, site and day: a second create for the same day would merge into the first)
     */
    Device(UUID siteId, LocalDate firstDate) {
        this.siteId = siteId;
        this.nextDate = firstDate;
    }

    UUID id() {
        return id;
    }

    /**
     * The body of the next push: edits of up to half the batch of known reports, round robin, and new
     * reports for the rest. Call {@link #acknowledge} with the answer before asking for another.
     */
    String nextPush(int batch) {
        int editCount = Math.min(batch / 2, known.size());
        List<Operation> operations = new ArrayList<>(batch);
        List<Sent> inFlight = new ArrayList<>(batch);
        for (int i = 0; i < editCount; i++) {
            Known report = known.get(nextToEdit);
            nextToEdit = (nextToEdit + 1) % known.size();
            String notes = "Checked on site, round " + (++edits) + ".";
            operations.add(SyncRequests.editNotes(UUID.randomUUID(), report.id, report.version, report.notes, notes));
            inFlight.add(new Sent(report.id, report, notes));
        }
        for (int i = editCount; i < batch; i++) {
            UUID reportId = UUID.randomUUID();
            operations.add(SyncRequests.create(UUID.randomUUID(), reportId, siteId, nextDate, i));
            nextDate = nextDate.plusDays(1);
            inFlight.add(new Sent(reportId, null, null));
        }
        sent = inFlight;
        return SyncRequests.push(id, operations);
    }

    /**
     * Takes the server's results of the last push, in order: the entity ids and versions.
     *
     * @return null when they fit the operations sent, otherwise what does not fit
     */
    String acknowledge(List<String> entityIds, List<Long> versions) {
        if (entityIds.size() != sent.size() || versions.size() != sent.size()) {
            return "expected " + sent.size() + " results, got " + entityIds.size();
        }
        for (int i = 0; i < sent.size(); i++) {
            Sent operation = sent.get(i);
            if (!operation.reportId().toString().equals(entityIds.get(i))) {
                return "result " + i + " is about " + entityIds.get(i) + ", not " + operation.reportId();
            }
            if (operation.edited() == null) {
                known.add(new Known(operation.reportId(), versions.get(i)));
            } else {
                operation.edited().version = versions.get(i);
                operation.edited().notes = operation.notes();
            }
        }
        sent = List.of();
        return null;
    }
}
