package app.fieldbook.sync;

import app.fieldbook.protocol.DeviceStatus;
import java.time.Clock;
import java.time.OffsetDateTime;
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
