package app.fieldbook.client;

import app.fieldbook.protocol.Report;
import app.fieldbook.protocol.ReportContent;
import app.fieldbook.protocol.ReportStatus;
import java.time.LocalDate;
import java.util.UUID;

/**
 * A daily report as this device shows it: the server's last acknowledged copy with the device's
 * waiting changes applied.
 *
 * @param version the server version the device's copy is based on; 0 until the server has acknowledged
 *     the report's creation
 * @param waitingChanges changes made on this device that the server has not acknowledged yet
 * @param serverCopy a newer copy from the server, pulled while changes were waiting; it never replaces
 *     them (the server merges when they arrive), but lets a person compare
 */
public record LocalReport(
        UUID id,
        UUID siteId,
        LocalDate date,
        UUID authorId,
        ReportStatus status,
        ReportContent content,
        String returnComment,
        long version,
        int waitingChanges,
        Report serverCopy) {

    /** Whether the server has every change made to this report on the device. */
    public boolean synced() {
        return waitingChanges == 0;
    }

    /** Whether its author may still change it (a draft, or returned by a manager). */
    public boolean editable() {
        return status == ReportStatus.DRAFT || status == ReportStatus.RETURNED;
    }
}
