package app.fieldbook.attachments;

import java.util.UUID;

/**
 * A photo's thumbnail was made after its upload was answered: its data and version did not change, but
 * what a device shows of it did, so offline sync sends it again. Published inside the transaction that
 * records it.
 */
public record ThumbnailMade(UUID photoId, UUID reportId, UUID siteId) {
}
