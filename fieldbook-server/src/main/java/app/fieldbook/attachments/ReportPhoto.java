package app.fieldbook.attachments;

import app.fieldbook.protocol.Photo;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A photo attached to a daily report: its metadata and the key of its content. A pending photo was
 * announced by a device (with the SHA-256 and size it will have) and its content is still on its way;
 * its {@code type} is known only once the content arrived. {@code announcedByDevice} is the device that
 * announced it by sync (null for a photo uploaded whole): only that device of the uploader sends its content.
 * A stored photo whose thumbnail can be made but has not been made yet is {@code thumbnailDue}:
 * {@link MakingThumbnails} makes it after the upload was answered.
 */
record ReportPhoto(
        UUID id,
        UUID reportId,
        String sha256,
        PhotoType type,
        long sizeBytes,
        String caption,
        OffsetDateTime takenAt,
        Double latitude,
        Double longitude,
        boolean hasThumbnail,
        boolean thumbnailDue,
        UUID uploadedBy,
        UUID announcedByDevice,
        long version,
        OffsetDateTime createdAt,
        boolean pending) {

    /** The version of a photo as announced; storing its content makes the next one, and nothing else changes it. */
    static final long ANNOUNCED_VERSION = 1;

    /**
     * Whether a removal based on {@code version} may remove this photo: the version is its current one, or the
     * photo was announced and {@code version} is the announced one while the only change since is the content's
     * arrival. A device that removes a photo it announced may not have heard that the content arrived (the
     * upload's receipt was lost, or the removal was sent before the receipt came): that change is not one the
     * person removing it could have missed, and refusing the removal would bring the photo back.
     */
    boolean removableFrom(long version) {
        return version == this.version || announcedByDevice != null && !pending
                && version == ANNOUNCED_VERSION && this.version == ANNOUNCED_VERSION + 1;
    }

    static String thumbnailKey(String sha256) {
        return sha256 + ".thumb";
    }

    Photo toWire() {
        return new Photo(id, reportId, sha256, type == null ? null : type.mediaType, sizeBytes, caption, takenAt,
                latitude, longitude, hasThumbnail, version, createdAt, pending);
    }

    Map<String, Object> auditedFields() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("reportId", reportId.toString());
        fields.put("sha256", sha256);
        fields.put("contentType", type == null ? null : type.mediaType);
        fields.put("pending", pending);
        fields.put("sizeBytes", sizeBytes);
        fields.put("caption", caption);
        fields.put("takenAt", takenAt == null ? null : takenAt.toString());
        fields.put("latitude", latitude);
        fields.put("longitude", longitude);
        return fields;
    }
}
