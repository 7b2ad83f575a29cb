package app.fieldbook.attachments;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
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

    private final JdbcClient jdbc;

    ReportPhotos(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<ReportPhoto> findById(UUID id) {
        return jdbc.sql("SELECT * FROM photos WHERE id = ?").param(id).query(this::row).optional();
    }

    List<ReportPhoto> ofReport(UUID reportId) {
        return jdbc.sql("SELECT * FROM photos WHERE report_id = ? ORDER BY created_at, id").param(reportId)
                .query(this::row).list();
    }

    void insert(ReportPhoto photo) {
        jdbc.sql("""
                INSERT INTO photos (id, report_id, sha256, content_type, size_bytes, caption, taken_at, latitude,
                    longitude, has_thumbnail, uploaded_by, announced_by_device, version, created_at, state)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
                .params(photo.id(), photo.reportId(), photo.sha256(),
                        photo.type() == null ? null : photo.type().mediaType, photo.sizeBytes(), photo.caption(),
                        photo.takenAt(), photo.latitude(), photo.longitude(), photo.hasThumbnail(), photo.uploadedBy(),
                        photo.announcedByDevice(), photo.version(), photo.createdAt(), photo.pending() ? "PENDING" : "STORED")
                .update();
    }

    /** Marks a pending photo as stored, with the type its content turned out to have. */
    boolean markStored(UUID id, PhotoType type, boolean hasThumbnail) {
        return jdbc.sql("UPDATE photos SET state = 'STORED', content_type = ?, has_thumbnail = ?, version = version + 1 "
                        + "WHERE id = ? AND state = 'PENDING'")
                .params(type.mediaType, hasThumbnail, id).update() == 1;
    }

    List<ReportPhoto> findByIds(java.util.Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("SELECT * FROM photos WHERE id IN (:ids)").param("ids", List.copyOf(ids)).query(this::row).list();
    }

    boolean delete(UUID id, long expectedVersion) {
        return jdbc.sql("DELETE FROM photos WHERE id = ? AND version = ?").params(id, expectedVersion).update() == 1;
    }

    int deleteOfReport(UUID reportId) {
        return jdbc.sql("DELETE FROM photos WHERE report_id = ?").param(reportId).update();
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
                rs.getObject("uploaded_by", UUID.class),
                rs.getObject("announced_by_device", UUID.class),
                rs.getLong("version"),
                rs.getObject("created_at", OffsetDateTime.class),
                "PENDING".equals(rs.getString("state")));
    }
}
