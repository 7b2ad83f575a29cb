package app.fieldbook.sync;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Sync's health per site, read for the metrics ({@link SyncMeters}): what the devices last said was waiting
 * on them ({@code sync_devices}) and the open conflicts ({@code sync_conflicts}), each in one query for all
 * sites. A device counts at every site its person syncs (the {@code site_access} view: a worker's sites, a
 * manager's portfolio); one whose person has none (an executive, who syncs every site) counts under no site.
 */
@Repository
class SyncHealth {

    /**
     * The devices of a site (null: of no site) and what waits on them.
     *
     * @param code the site's code, null for no site
     * @param name the site's name, null for no site
     * @param oldestWaiting when the oldest change waiting on one of them was made (null when none waits)
     * @param lastSeen when one of them last called the server
     * @param silent devices not seen since the given time while they had changes or photos waiting
     */
    record SiteDevices(UUID siteId, String code, String name, long devices, long changesWaiting,
            long photosWaiting, OffsetDateTime oldestWaiting, OffsetDateTime lastSeen, long silent) {
    }

    /** The open conflicts of a site (its code and name), and when the oldest of them was recorded. */
    record SiteConflicts(UUID siteId, String code, String name, long open, OffsetDateTime oldest) {
    }

    private final JdbcClient jdbc;

    SyncHealth(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    List<SiteDevices> devicesBySite(OffsetDateTime silentBefore) {
        return jdbc.sql("""
                SELECT a.site_id, s.code, s.name, COUNT(*) AS devices, COALESCE(SUM(d.outbox_depth), 0) AS changes,
                       COALESCE(SUM(d.pending_photos), 0) AS photos,
                       MIN(CASE WHEN d.outbox_depth > 0 THEN d.oldest_pending_at END) AS oldest,
                       MAX(d.last_seen_at) AS last_seen,
                       SUM(CASE WHEN d.last_seen_at < :silentBefore AND (d.outbox_depth > 0 OR d.pending_photos > 0)
                                THEN 1 ELSE 0 END) AS silent
                  FROM sync_devices d
                  LEFT JOIN site_access a ON a.user_id = d.user_id
                  LEFT JOIN sites s ON s.id = a.site_id
                 GROUP BY a.site_id, s.code, s.name""")
                .param("silentBefore", silentBefore)
                .query((rs, n) -> new SiteDevices(rs.getObject("site_id", UUID.class), rs.getString("code"),
                        rs.getString("name"), rs.getLong("devices"), rs.getLong("changes"), rs.getLong("photos"),
                        rs.getObject("oldest", OffsetDateTime.class), rs.getObject("last_seen", OffsetDateTime.class),
                        rs.getLong("silent")))
                .list();
    }

    List<SiteConflicts> openConflictsBySite() {
        return jdbc.sql("""
                SELECT c.site_id, s.code, s.name, COUNT(*) AS open_conflicts, MIN(c.created_at) AS oldest
                  FROM sync_conflicts c
                  LEFT JOIN sites s ON s.id = c.site_id
                 WHERE c.state = 'OPEN'
                 GROUP BY c.site_id, s.code, s.name""")
                .query((rs, n) -> new SiteConflicts(rs.getObject("site_id", UUID.class), rs.getString("code"),
                        rs.getString("name"), rs.getLong("open_conflicts"), rs.getObject("oldest", OffsetDateTime.class)))
                .list();
    }

    /** The sites a person syncs (their assignments); none for a person who sees every site. */
    List<UUID> sitesOf(UUID userId) {
        return jdbc.sql("SELECT site_id FROM site_access WHERE user_id = :userId ORDER BY site_id")
                .param("userId", userId)
                .query(UUID.class)
                .list();
    }
}
