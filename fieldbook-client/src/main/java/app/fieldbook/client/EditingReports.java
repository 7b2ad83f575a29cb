package app.fieldbook.client;

import app.fieldbook.client.replica.Replica;
import app.fieldbook.client.replica.ReportFieldValues;
import app.fieldbook.client.store.LocalStore;
import app.fieldbook.client.store.OutboxEntry;
import app.fieldbook.client.store.StoredPhoto;
import app.fieldbook.client.store.StoredReport;
import app.fieldbook.client.store.StoredUpload;
import app.fieldbook.protocol.CrewRow;
import app.fieldbook.protocol.OperationKind;
import app.fieldbook.protocol.ReportContent;
import app.fieldbook.protocol.ReportField;
import app.fieldbook.protocol.ReportStatus;
import app.fieldbook.protocol.SyncProtocol;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import tools.jackson.databind.node.ObjectNode;

/**
 * Daily reports written on the device, online or not. Each change updates the device's copy and
 * appends an operation to the outbox in one local transaction; the server hears of it at the next sync.
 */
final class EditingReports {

    private final LocalStore store;
    private final ReportFieldValues values;
    private final Replica replica;
    private final Clock clock;
    private final Supplier<Account> account;

    EditingReports(LocalStore store, ReportFieldValues values, Replica replica, Clock clock, Supplier<Account> account) {
        this.store = store;
        this.values = values;
        this.replica = replica;
        this.clock = clock;
        this.account = account;
    }

    /** Creates a draft: a CREATE with the site, the day and every content field. */
    StoredReport create(UUID siteId, LocalDate date, ReportContent content) {
        Account author = account.get();
        ReportContent written = content == null ? ReportContent.empty() : content;
        requireValid(written);
        return store.inTransaction(() -> {
            if (!store.sites().all().isEmpty() && store.sites().find(siteId).isEmpty()) {
                throw new ChangeRefused("Unknown site " + siteId + ": it is not among the sites this device knows.");
            }
            for (StoredReport other : store.reports().of(siteId, date)) {
                if (other.authorId() == null || other.authorId().equals(author.id())) {
                    throw new ChangeRefused("There is already a report of yours for this site and day: " + other.id());
                }
            }
            UUID id = UUID.randomUUID();
            OffsetDateTime now = OffsetDateTime.now(clock);
            ObjectNode fields = values.of(siteId, date, ReportStatus.DRAFT, null, written);
            ObjectNode changes = fields.objectNode();
            for (ReportField field : ReportField.values()) {
                if (field.writtenBy() == ReportField.WrittenBy.CREATION || field.isContent()) {
                    changes.set(field.wireName(), fields.get(field.wireName()));
                }
            }
            store.outbox().append(UUID.randomUUID(), SyncProtocol.REPORT, id, OperationKind.CREATE, changes, null, now);
            StoredReport report = new StoredReport(id, siteId, date, author.id(), fields, null, 0, null, false, now);
            store.reports().save(report);
            return report;
        });
    }

    /** Replaces the content; an UPDATE of the fields that differ (none: nothing is queued). */
    StoredReport edit(UUID id, ReportContent content) {
        ReportContent written = content == null ? ReportContent.empty() : content;
        requireValid(written);
        return store.inTransaction(() -> {
            StoredReport report = editable(id);
            ObjectNode fields = values.withContent(report.fields(), written);
            ObjectNode changes = values.changed(report.fields(), fields, ReportField.contentNames());
            if (changes.isEmpty()) {
                return report;
            }
            OffsetDateTime now = OffsetDateTime.now(clock);
            store.outbox().append(UUID.randomUUID(), SyncProtocol.REPORT, id, OperationKind.UPDATE, changes, null, now);
            StoredReport edited = report.withFields(fields, now);
            store.reports().save(edited);
            return edited;
        });
    }

    /** Submits a draft or returned report: an UPDATE of its status to SUBMITTED. */
    StoredReport submit(UUID id) {
        return store.inTransaction(() -> {
            StoredReport report = editable(id);
            ObjectNode changes = report.fields().objectNode();
            changes.put(ReportField.STATUS.wireName(), ReportStatus.SUBMITTED.name());
            OffsetDateTime now = OffsetDateTime.now(clock);
            store.outbox().append(UUID.randomUUID(), SyncProtocol.REPORT, id, OperationKind.UPDATE, changes, null, now);
            StoredReport submitted = report.withFields(values.applied(report.fields(), changes), now);
            store.reports().save(submitted);
            return submitted;
        });
    }

    /**
     * Deletes a draft. One the server never heard of goes from the device at once, with its waiting
     * changes and photos; otherwise a DELETE is queued and the report hidden until it is acknowledged.
     */
    void deleteDraft(UUID id) {
        store.inTransaction(() -> {
            StoredReport report = editable(id);
            if (values.status(report.fields()) != ReportStatus.DRAFT) {
                throw new ChangeRefused("Only drafts can be deleted; report " + id + " is "
                        + values.status(report.fields()) + ".");
            }
            for (OutboxEntry photo : store.outbox().dependingOn(id)) {
                if (!photo.sent()) {
                    store.outbox().remove(photo.seq());
                    store.uploads().find(photo.entityId()).ifPresent(replica::discardUpload);
                    store.photos().remove(photo.entityId());
                }
            }
            List<OutboxEntry> waiting = store.outbox().of(id);
            boolean serverMayKnow = report.version() > 0 || waiting.stream().anyMatch(OutboxEntry::sent);
            if (serverMayKnow) {
                store.outbox().append(UUID.randomUUID(), SyncProtocol.REPORT, id, OperationKind.DELETE,
                        report.fields().objectNode(), null, OffsetDateTime.now(clock));
                store.reports().save(report.withDeleted(true));
                return;
            }
            waiting.forEach(entry -> store.outbox().remove(entry.seq()));
            for (StoredPhoto photo : store.photos().ofReport(id)) {
                store.photos().remove(photo.photo().id());
            }
            for (StoredUpload upload : store.uploads().ofReport(id)) {
                replica.discardUpload(upload);
            }
            store.reports().remove(id);
        });
    }

    /**
     * Refuses content the server would refuse (the constraints of {@code ReportContent}, {@code Weather}
     * and {@code CrewRow}), so that a person hears of it while writing, not after a sync.
     */
    static void requireValid(ReportContent content) {
        for (ReportField field : ReportField.content()) {
            if (field.kind() == ReportField.Kind.TEXT) {
                requireLength("The " + field.label(), (String) field.valueIn(content), field.maxLength());
            }
        }
        BigDecimal temperature = content.weather().temperatureCelsius();
        if (temperature != null && (temperature.compareTo(new BigDecimal("-90")) < 0
                || temperature.compareTo(new BigDecimal("70")) > 0 || temperature.stripTrailingZeros().scale() > 1)) {
            throw new ChangeRefused("The temperature must be between -90 and 70 °C, with at most one decimal: "
                    + temperature.toPlainString() + ".");
        }
        if (content.crew().size() > ReportField.CREW.maxLength()) {
            throw new ChangeRefused("A report has at most " + ReportField.CREW.maxLength() + " crew rows.");
        }
        for (CrewRow row : content.crew()) {
            if (row.trade() == null || row.trade().isBlank() || row.trade().length() > 100) {
                throw new ChangeRefused("Each crew row needs a trade of at most 100 characters.");
            }
            requireLength("A crew row's company", row.company(), 200);
            if (row.headcount() == null || row.headcount() < 0 || row.headcount() > 10_000) {
                throw new ChangeRefused("The headcount of " + row.trade() + " must be 0 to 10000.");
            }
            BigDecimal hours = row.hours();
            if (hours == null || hours.signum() < 0 || hours.stripTrailingZeros().scale() > 2
                    || hours.precision() - hours.scale() > 6) {
                throw new ChangeRefused("The hours of " + row.trade()
                        + " must be a number from 0 with at most 6 digits and 2 decimals.");
            }
        }
    }

    private static void requireLength(String what, String text, int max) {
        if (text != null && text.length() > max) {
            throw new ChangeRefused(what + " may have at most " + max + " characters (" + text.length() + " given).");
        }
    }

    /** The report, if its author may change it on this device now. */
    StoredReport editable(UUID id) {
        StoredReport report = store.reports().find(id).filter(found -> !found.deleted())
                .orElseThrow(() -> new ChangeRefused("No report " + id + " on this device."));
        Account author = account.get();
        if (report.authorId() != null && !report.authorId().equals(author.id())) {
            throw new ChangeRefused("Report " + id + " is someone else's; only its author can change it.");
        }
        ReportStatus status = values.status(report.fields());
        if (status != ReportStatus.DRAFT && status != ReportStatus.RETURNED) {
            throw new ChangeRefused("Report " + id + " is " + status + " and can no longer be changed.");
        }
        return report;
    }
}
