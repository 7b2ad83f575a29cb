package app.fieldbook.sync;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The sync health of every site for the operations page: the figures the metrics show ({@link SyncMeters}, read
 * in the background), never a query of its own. Administrators only.
 */
@RestController
@RequestMapping("/api/v1/operations")
class SyncHealthController {

    /**
     * A site's devices and what waits on them, as they last reported it (siteId null: the devices of people
     * with no assigned site), and its open conflicts.
     */
    record SiteHealth(UUID siteId, String code, String name, long devices, long changesWaiting, long photosWaiting,
            OffsetDateTime oldestWaiting, OffsetDateTime lastSeen, long silent, long openConflicts,
            OffsetDateTime oldestOpenConflict) {
    }

    /** Every site's health, when it was read (null before the first read), and when a device counts as silent. */
    record HealthView(Instant readAt, Duration silentAfter, List<SiteHealth> sites) {
    }

    private final SyncMeters meters;
    private final SyncSettings settings;

    SyncHealthController(SyncMeters meters, SyncSettings settings) {
        this.meters = meters;
        this.settings = settings;
    }

    @GetMapping("/sync-health")
    @PreAuthorize("hasRole('ADMINISTRATOR')")
    HealthView health() {
        SyncMeters.Figures figures = meters.figures();
        Set<String> labels = new TreeSet<>(figures.devices().keySet());
        labels.addAll(figures.conflicts().keySet());
        List<SiteHealth> sites = new ArrayList<>();
        for (String label : labels) {
            SyncHealth.SiteDevices devices = figures.devices().get(label);
            SyncHealth.SiteConflicts conflicts = figures.conflicts().get(label);
            UUID siteId = devices != null ? devices.siteId() : conflicts.siteId();
            String code = devices != null ? devices.code() : conflicts.code();
            String name = devices != null ? devices.name() : conflicts.name();
            sites.add(new SiteHealth(siteId, code, name,
                    devices == null ? 0 : devices.devices(), devices == null ? 0 : devices.changesWaiting(),
                    devices == null ? 0 : devices.photosWaiting(), devices == null ? null : devices.oldestWaiting(),
                    devices == null ? null : devices.lastSeen(), devices == null ? 0 : devices.silent(),
                    conflicts == null ? 0 : conflicts.open(), conflicts == null ? null : conflicts.oldest()));
        }
        sites.sort(Comparator.comparing(SiteHealth::code, Comparator.nullsLast(Comparator.naturalOrder())));
        return new HealthView(meters.readAt().orElse(null), settings.health().silentAfter(), sites);
    }
}
