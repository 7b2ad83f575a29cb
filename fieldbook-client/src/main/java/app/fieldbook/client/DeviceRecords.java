package app.fieldbook.client;

import app.fieldbook.client.replica.ReportFieldValues;
import app.fieldbook.client.store.LocalStore;
import app.fieldbook.client.store.StoredReport;
import app.fieldbook.client.store.StoredUpload;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import tools.jackson.databind.node.ObjectNode;

/** The store's records as the application sees them: reports, photo uploads and waiting changes. */
final class DeviceRecords {

    private final LocalStore store;
    private final ReportFieldValues values;
    private final Clock clock;

    DeviceRecords(LocalStore store, ReportFieldValues values, Clock clock) {
        this.store = store;
        this.values = values;
        this.clock = clock;
    }

    List<LocalReport> reports() {
        return store.reports().all().stream().filter(report -> !report.deleted()).map(this::report).toList();
    }

    Optional<LocalReport> report(UUID reportId) {
        return store.reports().find(reportId).filter(report -> !report.deleted()).map(this::report);
    }

    LocalReport report(StoredReport report) {
        ObjectNode fields = report.fields();
        return new LocalReport(report.id(), report.siteId(), report.date(), report.authorId(), values.status(fields),
                values.content(fields), values.returnComment(fields), report.version(),
                store.outbox().of(report.id()).size(), report.serverCopy());
    }

    List<PhotoUpload> uploads() {
        return store.uploads().all().stream().map(this::upload).toList();
    }

    PhotoUpload upload(StoredUpload upload) {
        return new PhotoUpload(upload.photoId(), upload.reportId(), upload.sha256(), upload.size(), upload.uploaded(),
                upload.state(), upload.lastError(), upload.attachedAt(),
                upload.state() == PhotoUpload.State.WAITING ? later(upload.nextAttemptAt()) : null);
    }

    List<WaitingChange> waitingChanges() {
        return store.outbox().all().stream().map(entry -> new WaitingChange(entry.operationId(), entry.entity(),
                entry.entityId(), entry.kind(), entry.madeAt(), entry.attempts(), entry.lastError(),
                later(entry.nextAttemptAt()))).toList();
    }

    /** {@code time} when it is still ahead, else null (the next sync). */
    private Instant later(Instant time) {
        return time != null && time.isAfter(clock.instant()) ? time : null;
    }
}
