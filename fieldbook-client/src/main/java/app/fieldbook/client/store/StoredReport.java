package app.fieldbook.client.store;

import app.fieldbook.protocol.Report;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.UUID;
import tools.jackson.databind.node.ObjectNode;

/**
 * A daily report as the device holds it.
 *
 * @param fields what the device shows: the last acknowledged fields with the waiting changes applied,
 *     keyed by the names of {@code ReportField}
 * @param base the fields as the server last acknowledged them, which waiting changes are based on; null
 *     while the server has not acknowledged the report's creation
 * @param version the server version {@code base} belongs to; 0 before the creation is acknowledged
 * @param serverCopy a newer server copy, pulled while local changes were waiting (it never overwrites them)
 * @param deleted deleted on the device, the deletion not yet acknowledged
 */
public record StoredReport(
        UUID id,
        UUID siteId,
        LocalDate date,
        UUID authorId,
        ObjectNode fields,
        ObjectNode base,
        long version,
        Report serverCopy,
        boolean deleted,
        OffsetDateTime updatedAt) {

    public StoredReport withFields(ObjectNode fields, OffsetDateTime updatedAt) {
        return new StoredReport(id, siteId, date, authorId, fields, base, version, serverCopy, deleted, updatedAt);
    }

    public StoredReport withBase(ObjectNode base, long version) {
        return new StoredReport(id, siteId, date, authorId, fields, base, version, serverCopy, deleted, updatedAt);
    }

    public StoredReport withServerCopy(Report serverCopy) {
        return new StoredReport(id, siteId, date, authorId, fields, base, version, serverCopy, deleted, updatedAt);
    }

    public StoredReport withDeleted(boolean deleted) {
        return new StoredReport(id, siteId, date, authorId, fields, base, version, serverCopy, deleted, updatedAt);
    }
}
