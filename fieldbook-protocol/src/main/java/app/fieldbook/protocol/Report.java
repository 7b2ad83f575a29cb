package app.fieldbook.protocol;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A daily report as the API shows it. {@code version} grows with every change; {@code updatedBy} made
 * the last one.
 */
public record Report(
        UUID id,
        UUID siteId,
        LocalDate date,
        UUID authorId,
        ReportStatus status,
        ReportContent content,
        String returnComment,
        OffsetDateTime submittedAt,
        OffsetDateTime decidedAt,
        UUID decidedBy,
        long version,
        OffsetDateTime createdAt,
        OffsetDateTime updatedAt,
        UUID updatedBy) {
}
