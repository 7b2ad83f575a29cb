package app.fieldbook.protocol;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A field that two people changed to different values. The record keeps the server's value; both
 * values, and who made them when, are kept here until someone resolves it.
 *
 * @param serverValue the value the record has (and kept)
 * @param clientValue the value the refused change wanted
 * @param resolvedValue the value chosen at resolution
 */
public record Conflict(
        UUID id,
        String entity,
        UUID entityId,
        UUID siteId,
        String field,
        Object serverValue,
        UUID serverChangedBy,
        OffsetDateTime serverChangedAt,
        Object clientValue,
        UUID clientChangedBy,
        UUID clientDeviceId,
        OffsetDateTime clientChangedAt,
        ConflictState state,
        Object resolvedValue,
        UUID resolvedBy,
        OffsetDateTime resolvedAt,
        long version) {
}
