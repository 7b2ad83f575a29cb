package app.fieldbook.sync;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
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
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
 * ({@code fieldbook.sync.health.silent-after}), open conflicts and the age of the oldest. They are read with
 * one query for all sites (and one for the conflicts) when a scrape finds them older than
 * {@code fieldbook.sync.health.max-age}; {@code fieldbook_sync_health_read_seconds} says when they were read.
 * A site appears from the scrape after the read that found it.</li>
 * </ul>
 */
@Component
class SyncMeters implements MeterBinder {

    static final String NO_SITE = "none";
    private static final Logger log = LoggerFactory.getLogger(SyncMeters.class);

    /** What was read from the database, and when. */
    private record Figures(Instant readAt, Map<String, SyncHealth.SiteDevices> devices,
            Map<String, SyncHealth.SiteConflicts> conflicts) {
    }

    private final SyncHealth health;
    private final SyncSettings.Health settings;
    private final Clock clock;
    private final Map<OperationAnswered.Outcome, Counter> operations = new EnumMap<>(OperationAnswered.Outcome.class);
    private final List<MultiGauge> deviceGauges = new ArrayList<>();
    private final List<MultiGauge> conflictGauges = new ArrayList<>();
    private MeterRegistry registry;
    private volatile Figures figures;
    private volatile Instant lastAttempt = Instant.EPOCH;

    SyncMeters(SyncHealth health, SyncSettings settings, Clock clock) {
        this.health = health;
        this.settings = settings.health();
        this.clock = clock;
        this.figures = new Figures(null, Map.of(), Map.of());
    }

    @Override
    public void bindTo(MeterRegistry registry) {
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
        TimeGauge.builder("fieldbook.sync.health.read", this, TimeUnit.MILLISECONDS, SyncMeters::readIfStale)
                .description("When the sync health figures were last read from the database (Unix time)")
                .register(registry);
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

    /**
     * Reads the figures again when they are older than {@code max-age} (at most once per {@code max-age}, also
     * when reading fails: the figures read before stay), and answers when they were read, in epoch millis.
     */
    private double readIfStale() {
        Instant now = clock.instant();
        if (Duration.between(lastAttempt, now).compareTo(settings.maxAge()) >= 0) {
            synchronized (this) {
                if (Duration.between(lastAttempt, now).compareTo(settings.maxAge()) >= 0) {
                    lastAttempt = now;
                    read(now);
                }
            }
        }
        Instant readAt = figures.readAt();
        return readAt == null ? Double.NaN : readAt.toEpochMilli();
    }

    private void read(Instant now) {
        Figures read;
        try {
            Map<String, SyncHealth.SiteDevices> devices = new TreeMap<>();
            for (SyncHealth.SiteDevices site : health.devicesBySite(
                    OffsetDateTime.ofInstant(now.minus(settings.silentAfter()), clock.getZone()))) {
                devices.put(label(site.siteId()), site);
            }
            Map<String, SyncHealth.SiteConflicts> conflicts = new TreeMap<>();
            for (SyncHealth.SiteConflicts site : health.openConflictsBySite()) {
                conflicts.put(label(site.siteId()), site);
            }
            read = new Figures(now, devices, conflicts);
        } catch (RuntimeException failed) {
            log.warn("The sync health figures could not be read; the metrics keep those read at {}: {}",
                    figures.readAt(), failed.toString());
            return;
        }
        boolean newSites = !read.devices().keySet().equals(figures.devices().keySet())
                || !read.conflicts().keySet().equals(figures.conflicts().keySet());
        figures = read;
        if (newSites) {
            register(deviceGauges.get(0), read.devices().keySet(), site -> devices(site).devices());
            register(deviceGauges.get(1), read.devices().keySet(), site -> devices(site).changesWaiting());
            register(deviceGauges.get(2), read.devices().keySet(), site -> devices(site).photosWaiting());
            register(deviceGauges.get(3), read.devices().keySet(), site -> ageOf(devices(site).oldestWaiting()));
            register(deviceGauges.get(4), read.devices().keySet(), site -> devices(site).silent());
            register(conflictGauges.get(0), read.conflicts().keySet(), site -> conflicts(site).open());
            register(conflictGauges.get(1), read.conflicts().keySet(), site -> ageOf(conflicts(site).oldest()));
        }
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
        return figures.devices().getOrDefault(site, new SyncHealth.SiteDevices(null, 0, 0, 0, null, 0));
    }

    private SyncHealth.SiteConflicts conflicts(String site) {
        return figures.conflicts().getOrDefault(site, new SyncHealth.SiteConflicts(null, 0, null));
    }

    private double ageOf(OffsetDateTime since) {
        return since == null ? 0
                : Math.max(0, Duration.between(since.toInstant(), clock.instant()).toMillis() / 1000.0);
    }

    private static String label(UUID siteId) {
        return siteId == null ? NO_SITE : siteId.toString();
    }
}
