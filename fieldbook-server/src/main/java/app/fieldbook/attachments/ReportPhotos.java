package app.fieldbook.attachments;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Photo metadata, in table {@code photos}. Scope is not applied here: callers first check that the
 * person may read the photo's report.
 */
@Repository
class ReportPhotos {

    /** Due rows read for each entry {@link #dueThumbnails} may return, so that photos sharing content still fill it. */
    private static final int DUE_ROWS_PER_ENTRY = 4;

    private final JdbcClient jdbc;

    ReportPhotos(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<ReportPhoto> findById(UUID id) {
        return jdbc.sql("""
                SELECT * FROM photos WHERE id = :id""")
                .param("id", id).query(this::row).optional();
    }

    List<ReportPhoto> ofReport(UUID reportId) {
        return jdbc.sql("""
                SELECT * FROM photos WHERE report_id = :reportId ORDER BY created_at, id""")
                .param("reportId", reportId).query(this::row).list();
    }

    int countPendingAnnouncedBy(UUID deviceId) {
        return jdbc.sql("SELECT COUNT(*) FROM photos WHERE announced_by_device = ? AND state = 'PENDING'")
                .param(deviceId).query(Integer.class).single();
    }

    void insert(ReportPhoto photo) {
        jdbc.sql("""
                INSERT INTO photos (id, report_id, sha256, content_type, size_bytes, caption, taken_at, latitude,
                    longitude, has_thumbnail, thumbnail_due, uploaded_by, announced_by_device, version, created_at,
                    state)
                VALUES (:id, :reportId, :sha256, :contentType, :sizeBytes, :caption, :takenAt, :latitude,
                    :longitude, :hasThumbnail, :thumbnailDue, :uploadedBy, :announcedByDevice, :version, :createdAt,
                    :state)
                """)
                .param("id", photo.id()).param("reportId", photo.reportId()).param("sha256", photo.sha256())
                .param("contentType", photo.type() == null ? null : photo.type().mediaType)
                .param("sizeBytes", photo.sizeBytes()).param("caption", photo.caption())
                .param("takenAt", photo.takenAt()).param("latitude", photo.latitude())
                .param("longitude", photo.longitude()).param("hasThumbnail", photo.hasThumbnail())
                .param("thumbnailDue", photo.thumbnailDue()).param("uploadedBy", photo.uploadedBy())
                .param("announcedByDevice", photo.announcedByDevice()).param("version", photo.version())
                .param("createdAt", photo.createdAt()).param("state", photo.pending() ? "PENDING" : "STORED")
                .update();
    }

    /**
     * Marks a pending photo as stored, with the type its content turned out to have, at the next version, which it
     * keeps as the one its content's arrival made ({@link ReportPhoto#changeableFrom}).
     */
    boolean markStored(UUID id, PhotoType type, boolean hasThumbnail, boolean thumbnailDue) {
        return jdbc.sql("""
                UPDATE photos SET state = 'STORED', content_type = :contentType, has_thumbnail = :hasThumbnail,
                       thumbnail_due = :thumbnailDue, version = version + 1, stored_version = version + 1
                 WHERE id = :id AND state = 'PENDING'""")
                .param("contentType", type.mediaType).param("hasThumbnail", hasThumbnail)
                .param("thumbnailDue", thumbnailDue).param("id", id)
                .update() == 1;
    }

    /** A photo content whose thumbnail is due: its key and type, and since when the first photo with it was stored. */
    record DueThumbnail(String sha256, PhotoType type, OffsetDateTime since) {
    }

    /**
     * Stored photos whose thumbnails are due and that no node has claimed (or whose claim lapsed before
     * {@code now}), the oldest first, one entry per content: at most {@code limit}, fewer when the oldest due
     * photos share their content. Only the oldest {@value #DUE_ROWS_PER_ENTRY} times {@code limit} due rows are
     * read, in the order of the index on {@code (thumbnail_due, created_at)}: the cost of a call does not grow
     * with the backlog (grouping every due row by its content did, so that working off a rush's backlog took
     * time in the square of its size).
     */
    List<DueThumbnail> dueThumbnails(int limit, OffsetDateTime now) {
        List<DueThumbnail> rows = jdbc.sql("""
                SELECT sha256, content_type, created_at FROM photos
                 WHERE thumbnail_due AND state = 'STORED'
                   AND (thumbnail_claimed_until IS NULL OR thumbnail_claimed_until < :now)
                 ORDER BY created_at
                 LIMIT :rows""")
                .param("rows", limit * DUE_ROWS_PER_ENTRY).param("now", now)
                .query((rs, n) -> new DueThumbnail(rs.getString("sha256"),
                        PhotoType.ofMediaType(rs.getString("content_type")),
                        rs.getObject("created_at", OffsetDateTime.class)))
                .list();
        // the first row of a content is its oldest: the one its entry keeps
        Map<String, DueThumbnail> entries = new LinkedHashMap<>();
        for (DueThumbnail row : rows) {
            if (entries.size() == limit) {
                break;
            }
            entries.putIfAbsent(row.sha256(), row);
        }
        return List.copyOf(entries.values());
    }

    /** The photos with this content whose thumbnails are due: their ids and their reports' ids. */
    List<ReportPhoto> dueWithContent(String sha256) {
        return jdbc.sql("""
                SELECT * FROM photos WHERE sha256 = :sha256 AND thumbnail_due""")
                .param("sha256", sha256).query(this::row).list();
    }

    /**
     * Claims the thumbnail of this content until {@code until}, unless another node (or thread) holds a claim
     * that has not lapsed at {@code now}; true when this one got it. Of two nodes claiming at once, the second
     * waits for the first's row locks, then finds the claim and gets nothing: one node makes each thumbnail.
     */
    boolean claimThumbnail(String sha256, OffsetDateTime now, OffsetDateTime until) {
        return jdbc.sql("""
                UPDATE photos SET thumbnail_claimed_until = :until
                 WHERE sha256 = :sha256 AND thumbnail_due
                   AND (thumbnail_claimed_until IS NULL OR thumbnail_claimed_until < :now)""")
                .param("until", until).param("sha256", sha256).param("now", now).update() > 0;
    }

    /**
     * Settles the thumbnail of every photo with this content: made, or not to be made (the image cannot be
     * decoded), and ends its claim. Not a change of the photos' data, so their versions stay.
     */
    int thumbnailSettled(String sha256, boolean made) {
        return jdbc.sql("""
                UPDATE photos SET has_thumbnail = :made, thumbnail_due = FALSE, thumbnail_claimed_until = NULL
                 WHERE sha256 = :sha256 AND thumbnail_due""")
                .param("made", made).param("sha256", sha256).update();
    }

    List<ReportPhoto> findByIds(java.util.Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("""
                SELECT * FROM photos WHERE id IN (:ids)""")
                .param("ids", List.copyOf(ids)).query(this::row).list();
    }

    /** Writes a photo's caption and its next version, if the version is still the one read. */
    boolean recaption(UUID id, String caption, long expectedVersion) {
        return jdbc.sql("""
                UPDATE photos SET caption = :caption, version = version + 1
                 WHERE id = :id AND version = :expectedVersion""")
                .param("caption", caption).param("id", id).param("expectedVersion", expectedVersion).update() == 1;
    }

    boolean delete(UUID id, long expectedVersion) {
        return jdbc.sql("""
                DELETE FROM photos WHERE id = :id AND version = :expectedVersion""")
                .param("id", id).param("expectedVersion", expectedVersion).update() == 1;
    }

    int deleteOfReport(UUID reportId) {
        return jdbc.sql("""
                DELETE FROM photos WHERE report_id = :reportId""")
                .param("reportId", reportId).update();
    }

    private ReportPhoto row(ResultSet rs, int n) throws SQLException {
        return new ReportPhoto(
                rs.getObject("id", UUID.class),
                rs.getObject("report_id", UUID.class),
                rs.getString("sha256"),
                rs.getString("content_type") == null ? null : PhotoType.ofMediaType(rs.getString("content_type")),
                rs.getLong("size_bytes"),
                rs.getString("caption"),
                rs.getObject("taken_at", OffsetDateTime.class),
                (Double) rs.getObject("latitude"),
                (Double) rs.getObject("longitude"),
                rs.getBoolean("has_thumbnail"),
                rs.getBoolean("thumbnail_due"),
                rs.getObject("uploaded_by", UUID.class),
                rs.getObject("announced_by_device", UUID.class),
                rs.getLong("version"),
                rs.getObject("created_at", OffsetDateTime.class),
                "PENDING".equals(rs.getString("state")),
                rs.getObject("stored_version", Long.class));
    }
}
