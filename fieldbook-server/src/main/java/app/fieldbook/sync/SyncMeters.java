package app.fieldbook.sync;

import app.fieldbook.BackgroundJobs;
import app.fieldbook.Snapshot;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.ToDoubleFunction;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * The metrics of sync's health, by site where they concern devices or records (the label {@code site}: a
 * site's id, or {@code none} for devices whose person has no assigned site; never a device or a person).
 *
 * <ul>
 * <li>Counted on this node: operations answered, by {@code outcome} ({@code fieldbook_sync_operations_total}:
 * applied, merged, conflict, refused), and devices that came back with their data gone, with the changes and
 * photos they lost ({@code fieldbook_sync_devices_data_lost_total}, {@code fieldbook_sync_changes_lost_total},
 * {@code fieldbook_sync_photos_lost_total}).</li>
 * <li>Read from the database, the same on every node: per site, devices, changes and photos waiting on them,
 * the age of the oldest waiting change, devices silent with something waiting
 * ({@code fieldbook.sync.health.silent-after}), open conflicts and the age of the oldest. A background job
 * ({@code sync-health}, every {@code fieldbook.sync.health.refresh-interval}) reads them with one query for
 * all sites and one for the conflicts into a {@link Snapshot}; the gauges read only that, never the database,
 * so a scrape answers while the database is locked or slow.
 * {@code fieldbook_snapshot_age_seconds{name="sync-health"}} says how old the figures are. A site's series
 * appear with the refresh that first finds it.</li>
 * </ul>
 */
@Component
class SyncMeters implements MeterBinder {

    static final String NO_SITE = "none";
    static final String JOB = "sync-health";

    /** What was read from the database. */
    record Figures(Map<String, SyncHealth.SiteDevices> devices, Map<String, SyncHealth.SiteConflicts> conflicts) {
    }

    private final SyncHealth health;
    private final SyncSettings.Health settings;
    private final Clock clock;
    private final Snapshot<Figures> snapshot;
    private final Map<OperationAnswered.Outcome, Counter> operations = new EnumMap<>(OperationAnswered.Outcome.class);
    private final List<MultiGauge> deviceGauges = new ArrayList<>();
    private final List<MultiGauge> conflictGauges = new ArrayList<>();
    private MeterRegistry registry;
    private Figures registered = new Figures(Map.of(), Map.of());

    SyncMeters(SyncHealth health, SyncSettings settings, Clock clock, BackgroundJobs jobs) {
        this.health = health;
        this.settings = settings.health();
        this.clock = clock;
        this.snapshot = new Snapshot<>(JOB, new Figures(Map.of(), Map.of()), jobs, clock);
    }

    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        this.registry = registry;
        for (OperationAnswered.Outcome outcome : OperationAnswered.Outcome.values()) {
            operations.put(outcome, Counter.builder("fieldbook.sync.operations")
                    .tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
                    .description("Pushed operations answered for the first time, by what became of them")
                    .register(registry));
        }
        deviceGauges.add(MultiGauge.builder("fieldbook.sync.devices")
                .description("Devices that sync the site").register(registry));
        deviceGauges.add(MultiGauge.builder("fieldbook.sync.changes.waiting")
                .description("Changes the site's devices last reported waiting to be pushed").register(registry));
        deviceGauges.add(MultiGauge.builder("fieldbook.sync.photos.waiting")
                .description("Photos the site's devices last reported waiting to be uploaded").register(registry));
        deviceGauges.add(MultiGauge.builder("fieldbook.sync.oldest.waiting.change.age").baseUnit("seconds")
                .description("Age of the oldest change waiting on one of the site's devices (0: none waits)")
                .register(registry));
        deviceGauges.add(MultiGauge.builder("fieldbook.sync.devices.silent")
                .description("Devices of the site not seen for longer than fieldbook.sync.health.silent-after "
                        + "while changes or photos waited on them")
                .register(registry));
        conflictGauges.add(MultiGauge.builder("fieldbook.sync.conflicts.open")
                .description("Open sync conflicts of the site's reports").register(registry));
        conflictGauges.add(MultiGauge.builder("fieldbook.sync.oldest.open.conflict.age").baseUnit("seconds")
                .description("Age of the site's oldest open sync conflict (0: none is open)").register(registry));
        snapshot.bindTo(registry);
        registerSites(snapshot.figures(), true);
    }

    /**
     * Reads the figures from the database (a run of the job {@code sync-health}); the gauges show them from
     * then on. A read that fails keeps the figures read before.
     */
    @Scheduled(fixedDelayString = "${fieldbook.sync.health.refresh-interval:30s}")
    void refresh() {
        snapshot.refresh(this::read);
        registerSites(snapshot.figures(), false);
    }

    /** The figures the gauges show, and when they were read (empty before the first refresh). */
    Figures figures() {
        return snapshot.figures();
    }

    Optional<Instant> readAt() {
        return snapshot.takenAt();
    }

    @TransactionalEventListener(fallbackExecution = true)
    void count(OperationAnswered answered) {
        Counter counter = operations.get(answered.outcome());
        if (counter != null) {
            counter.increment();
        }
    }

    @TransactionalEventListener(fallbackExecution = true)
    void count(DeviceDataLost lost) {
        if (registry == null) {
            return;
        }
        List<UUID> sites = health.sitesOf(lost.userId());
        for (String site : sites.isEmpty() ? List.of(NO_SITE) : sites.stream().map(UUID::toString).toList()) {
            Counter.builder("fieldbook.sync.devices.data.lost").tag("site", site)
                    .description("Devices that came back with their changes or photos gone (storage evicted)")
                    .register(registry).increment();
            Counter.builder("fieldbook.sync.changes.lost").tag("site", site)
                    .description("Changes lost on devices that came back empty")
                    .register(registry).increment(lost.changes());
            Counter.builder("fieldbook.sync.photos.lost").tag("site", site)
                    .description("Photos lost on devices that came back empty")
                    .register(registry).increment(lost.photos());
        }
    }

    private Figures read(Instant now) {
        Map<String, SyncHealth.SiteDevices> devices = new TreeMap<>();
        for (SyncHealth.SiteDevices site : health.devicesBySite(
                OffsetDateTime.ofInstant(now.minus(settings.silentAfter()), clock.getZone()))) {
            devices.put(label(site.siteId()), site);
        }
        Map<String, SyncHealth.SiteConflicts> conflicts = new TreeMap<>();
        for (SyncHealth.SiteConflicts site : health.openConflictsBySite()) {
            conflicts.put(label(site.siteId()), site);
        }
        return new Figures(Map.copyOf(devices), Map.copyOf(conflicts));
    }

    /** Adds the series of sites the figures name that have none yet, and removes those of sites gone. */
    private synchronized void registerSites(Figures figures, boolean always) {
        if (registry == null || !always && figures.devices().keySet().equals(registered.devices().keySet())
                && figures.conflicts().keySet().equals(registered.conflicts().keySet())) {
            return;
        }
        registered = figures;
        Set<String> deviceSites = new TreeSet<>(figures.devices().keySet());
        Set<String> conflictSites = new TreeSet<>(figures.conflicts().keySet());
        register(deviceGauges.get(0), deviceSites, site -> devices(site).devices());
        register(deviceGauges.get(1), deviceSites, site -> devices(site).changesWaiting());
        register(deviceGauges.get(2), deviceSites, site -> devices(site).photosWaiting());
        register(deviceGauges.get(3), deviceSites, site -> ageOf(devices(site).oldestWaiting()));
        register(deviceGauges.get(4), deviceSites, site -> devices(site).silent());
        register(conflictGauges.get(0), conflictSites, site -> conflicts(site).open());
        register(conflictGauges.get(1), conflictSites, site -> ageOf(conflicts(site).oldest()));
    }

    /**
     * Keeps one series per site, each reading the latest figures: new sites are added, sites gone are removed,
     * the others stay as they are (never removed and added again while a scrape may read them).
     */
    private static void register(MultiGauge gauge, Iterable<String> sites, ToDoubleFunction<String> value) {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        for (String site : sites) {
            rows.add(MultiGauge.Row.of(Tags.of("site", site), site, value));
        }
        gauge.register(rows, false);
    }

    private SyncHealth.SiteDevices devices(String site) {
        return snapshot.figures().devices().getOrDefault(site, new SyncHealth.SiteDevices(null, null, null, 0, 0, 0, null, null, 0));
    }

    private SyncHealth.SiteConflicts conflicts(String site) {
        return snapshot.figures().conflicts().getOrDefault(site, new SyncHealth.SiteConflicts(null, null, null, 0, null));
    }

    private double ageOf(OffsetDateTime since) {
        return since == null ? 0
                : Math.max(0, Duration.between(since.toInstant(), clock.instant()).toMillis() / 1000.0);
    }

    private static String label(UUID siteId) {
        return siteId == null ? NO_SITE : siteId.toString();
    }
}
