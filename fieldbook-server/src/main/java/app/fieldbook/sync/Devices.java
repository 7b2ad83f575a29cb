package app.fieldbook.sync;

import app.fieldbook.protocol.DeviceStatus;
import app.fieldbook.protocol.LostOnDevice;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The latest each device said about itself, in table {@code sync_devices}. */
@Repository
class Devices {

    private final JdbcClient jdbc;
    private final Clock clock;

    Devices(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /**
     * What a device last said was waiting on it, who used it, and what it was told it lost if it has not
     * acknowledged that yet (null otherwise).
     */
    record Waiting(UUID userId, int changes, int photos, OffsetDateTime reportedAt, LostOnDevice lost) {
    }

    Optional<Waiting> waiting(UUID deviceId) {
        return jdbc.sql("SELECT user_id, outbox_depth, pending_photos, last_seen_at, lost_changes, lost_photos, "
                        + "lost_reported_at FROM sync_devices WHERE device_id = ?")
                .param(deviceId)
                .query((rs, row) -> new Waiting(rs.getObject("user_id", UUID.class), rs.getInt("outbox_depth"),
                        rs.getInt("pending_photos"), rs.getObject("last_seen_at", OffsetDateTime.class),
                        rs.getObject("lost_changes") == null ? null : new LostOnDevice(rs.getInt("lost_changes"),
                                rs.getInt("lost_photos"), rs.getObject("lost_reported_at", OffsetDateTime.class))))
                .optional();
    }

    /**
     * Records that the device lost what {@code waiting} said was waiting on it, if nothing changed the row
     * meanwhile; answers whether this call did (of two concurrent calls, one does).
     */
    boolean lost(UUID deviceId, Waiting waiting, LostOnDevice lost) {
        return jdbc.sql("UPDATE sync_devices SET outbox_depth = 0, pending_photos = 0, lost_changes = ?, "
                        + "lost_photos = ?, lost_reported_at = ? "
                        + "WHERE device_id = ? AND outbox_depth = ? AND pending_photos = ? AND lost_changes IS NULL")
                .params(lost.changes(), lost.photos(), lost.lastReportedAt(), deviceId, waiting.changes(),
                        waiting.photos())
                .update() == 1;
    }

    /** Forgets what the device was told it lost: it pulled with a cursor, so it stored the notice. */
    void lossAcknowledged(UUID deviceId) {
        jdbc.sql("UPDATE sync_devices SET lost_changes = NULL, lost_photos = NULL, lost_reported_at = NULL "
                        + "WHERE device_id = ? AND lost_changes IS NOT NULL")
                .param(deviceId)
                .update();
    }

    /**
     * Takes {@code count} answered operations off the outbox depth the device reported with them: each
     * answer is final, so the device no longer holds them once it has the answer.
     */
    void answered(UUID deviceId, int count) {
        jdbc.sql("UPDATE sync_devices SET outbox_depth = CASE WHEN outbox_depth > ? THEN outbox_depth - ? ELSE 0 END "
                        + "WHERE device_id = ?")
                .params(count, count, deviceId)
                .update();
    }

    void report(UUID deviceId, UUID userId, int protocolVersion, String clientVersion, DeviceStatus status,
            boolean push) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        int outbox = status == null ? 0 : status.outboxDepth();
        OffsetDateTime oldest = status == null ? null : status.oldestPendingAt();
        int photos = status == null ? 0 : status.pendingPhotos();
        String appVersion = status == null ? clientVersion : status.appVersion();
        String stamp = push ? "last_push_at" : "last_pull_at";
        int updated = jdbc.sql("UPDATE sync_devices SET user_id = ?, app_version = ?, protocol_version = ?, "
                        + "outbox_depth = ?, oldest_pending_at = ?, pending_photos = ?, last_seen_at = ?, " + stamp
                        + " = ? WHERE device_id = ?")
                .params(userId, appVersion, protocolVersion, outbox, oldest, photos, now, now, deviceId)
                .update();
        if (updated == 0) {
            try {
                jdbc.sql("INSERT INTO sync_devices (device_id, user_id, app_version, protocol_version, outbox_depth, "
                                + "oldest_pending_at, pending_photos, last_seen_at, " + stamp
                                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
                        .params(deviceId, userId, appVersion, protocolVersion, outbox, oldest, photos, now, now)
                        .update();
            } catch (DuplicateKeyException raced) {
                report(deviceId, userId, protocolVersion, clientVersion, status, push);
            }
        }
    }
}
