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
 * {@link MakingThumbnails} makes it after the upload was answered. {@code storedVersion} is the version the
 * arrival of an announced photo's content made (null for a photo uploaded whole or still pending, and for one
 * stored before it was recorded: that arrival made version 2 then).
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
        boolean pending,
        Long storedVersion) {

    /** The version of a photo as announced; its caption's changes and its content's arrival make the next ones. */
    static final long ANNOUNCED_VERSION = 1;

    /** The longest caption, in characters (the column's size). */
    static final int MAX_CAPTION = 500;

    /**
     * Whether a change based on {@code version} (a new caption, the removal) may change this photo: the version
     * is its current one, or the last change of an announced photo was its content's arrival and {@code version}
     * is the one before it. A device that changes a photo it announced may not have heard that the content
     * arrived (the upload's receipt was lost, or the change was sent before the receipt came): that change is not
     * one the person could have missed, and refusing theirs would bring back what they removed or wrote over.
     */
    boolean changeableFrom(long version) {
        if (version == this.version) {
            return true;
        }
        long arrival = storedVersion != null ? storedVersion : ANNOUNCED_VERSION + 1;
        return announcedByDevice != null && !pending && this.version == arrival && version == arrival - 1;
    }

    /** This photo with another caption, at the next version. */
    ReportPhoto recaptioned(String newCaption) {
        return new ReportPhoto(id, reportId, sha256, type, sizeBytes, newCaption, takenAt, latitude, longitude,
                hasThumbnail, thumbnailDue, uploadedBy, announcedByDevice, version + 1, createdAt, pending,
                storedVersion);
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
