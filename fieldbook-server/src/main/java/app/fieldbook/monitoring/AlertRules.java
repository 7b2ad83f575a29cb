package app.fieldbook.monitoring;

import app.fieldbook.monitoring.AlertRule.Breach;
import io.micrometer.core.instrument.Meter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.DoublePredicate;

/**
 * The alert rules of {@code monitoring/prometheus/fieldbook-alerts.yml}, evaluated over this server's own
 * meters, with the thresholds of {@link AlertSettings}. Each has the name of its Prometheus counterpart and
 * watches the same metric; where the Prometheus rule aggregates over nodes or pools, the one here looks at this
 * node. {@code AlertRulesInTheAppTest} keeps both sets of names, and the durations, the same. The rules over
 * figures every node reads alike from the database, the per-site sync figures ({@code sync-health}) and the audit
 * chain's latest verification ({@code audit-metrics}), are evaluated once in the cluster; the others are each node's own, and their alerts carry the label {@code node} (ADR 0025).
 */
final class AlertRules {

    static final String CRITICAL = "critical";
    static final String WARNING = "warning";
    /** The label that names the node a node's own alert is of. */
    static final String NODE = "node";

    /** The figures of the sync health, read from the database by the job of that name on every node. */
    static final String SYNC_HEALTH = "sync-health";
    /**
     * The audit chain's figures, read from the database by the job of that name on every node: the latest
     * verification of the whole chain recorded by any node ({@code audit_verifications}).
     */
    static final String AUDIT_METRICS = "audit-metrics";

    /** The rules of the Prometheus file that have no counterpart here, and why. */
    static final Map<String, String> ONLY_IN_PROMETHEUS = Map.of("FieldbookDown",
            "a server that does not answer cannot say so itself: watch it from outside (Prometheus, the load "
                    + "balancer's health check of /actuator/health/readiness, an uptime probe)");

    /**
     * The counters and timers whose growth the rules ask for, each with the longest window a rule asks of it
     * (plus an evaluation, so that the reading at the window's start is still there).
     */
    static Map<String, Duration> windows(AlertSettings settings) {
        Duration requests = longer(settings.apiErrorRate().window(), settings.apiSlow().window());
        Duration evaluation = settings.evaluationInterval();
        return Map.of(MeterReadings.REQUESTS, requests.plus(evaluation),
                "hikaricp.connections.timeout", settings.databasePool().timeoutWindow().plus(evaluation),
                "fieldbook.job.failures", settings.jobFailures().window().plus(evaluation),
                "fieldbook.sync.devices.data.lost", settings.syncDeviceDataLost().window().plus(evaluation));
    }

    /** How long the request timers' buckets are kept: the latency rule's window, and an evaluation. */
    static Duration bucketWindow(AlertSettings settings) {
        return settings.apiSlow().window().plus(settings.evaluationInterval());
    }

    private static Duration longer(Duration one, Duration other) {
        return one.compareTo(other) >= 0 ? one : other;
    }

    private AlertRules() {
    }

    static List<AlertRule> of(AlertSettings settings) {
        AlertSettings.ApiErrorRate errors = settings.apiErrorRate();
        AlertSettings.ApiSlow slow = settings.apiSlow();
        AlertSettings.DatabasePool pool = settings.databasePool();
        return List.of(
                new AlertRule("FieldbookApiErrorRate", CRITICAL, errors.pendingFor(),
                        readings -> errorRate(readings, errors),
                        (labels, value) -> percent(value) + " of requests fail with 5xx"),
                new AlertRule("FieldbookApiSlow", WARNING, slow.pendingFor(),
                        readings -> slowRequests(readings, slow),
                        (labels, value) -> "API p95 is " + seconds(value)),
                new AlertRule("FieldbookDatabasePoolExhausted", CRITICAL, pool.pendingFor(),
                        AlertRules::poolExhausted,
                        (labels, value) -> "Every database connection is in use and requests wait for one"),
                new AlertRule("FieldbookDatabaseConnectionTimeouts", CRITICAL, Duration.ZERO,
                        readings -> increased(readings, "hikaricp.connections.timeout", pool.timeoutWindow(), null),
                        (labels, value) -> "Requests got no database connection in time (answered 503)"),
                new AlertRule("FieldbookPhotoStorageFilling", WARNING, settings.photoStorage().pendingFor(),
                        readings -> gauges(readings, "fieldbook.photo.storage.used", null,
                                used -> used > settings.photoStorage().used()),
                        (labels, value) -> "The photo volume is " + percent(value) + " full"),
                new AlertRule("FieldbookReplicaBehind", WARNING, settings.replicaBehind().pendingFor(),
                        readings -> gauges(readings, "fieldbook.replica.lag.seconds", null,
                                lag -> lag > settings.replicaBehind().lag().toMillis() / 1000.0),
                        (labels, value) -> "The read replica "
                                + (Double.isInfinite(value) ? "does not answer" : "is " + seconds(value) + " behind")
                                + "; the report lists, dashboards and month-ends read the primary"),
                new AlertRule("FieldbookBackgroundJobFailed", WARNING, Duration.ZERO,
                        readings -> increased(readings, "fieldbook.job.failures", settings.jobFailures().window(),
                                "name"),
                        (labels, value) -> "Background job " + labels.get("name") + " failed"),
                new AlertRule("FieldbookMetricsStale", WARNING, settings.metricsStale().pendingFor(),
                        readings -> gauges(readings, "fieldbook.snapshot.age", "name",
                                age -> age > settings.metricsStale().age().toSeconds()),
                        (labels, value) -> "The " + labels.get("name") + " figures are " + seconds(value) + " old"),
                new AlertRule("FieldbookSyncChangesWaiting", WARNING, settings.syncChangesWaiting().pendingFor(),
                        SYNC_HEALTH,
                        readings -> gauges(readings, "fieldbook.sync.oldest.waiting.change.age", "site",
                                age -> age > settings.syncChangesWaiting().age().toSeconds()),
                        (labels, value) -> "A change has waited " + seconds(value) + " on a device of site "
                                + labels.get("site")),
                new AlertRule("FieldbookSyncDeviceSilent", WARNING, settings.syncDeviceSilent().pendingFor(),
                        SYNC_HEALTH,
                        readings -> gauges(readings, "fieldbook.sync.devices.silent", "site", silent -> silent > 0),
                        (labels, value) -> (long) value + " device(s) of site " + labels.get("site")
                                + " went silent with changes or photos waiting"),
                new AlertRule("FieldbookSyncDeviceDataLost", WARNING, Duration.ZERO,
                        readings -> increased(readings, "fieldbook.sync.devices.data.lost",
                                settings.syncDeviceDataLost().window(), "site"),
                        (labels, value) -> "A device of site " + labels.get("site")
                                + " came back with its unsent changes or photos gone"),
                new AlertRule("FieldbookSyncConflictsOpen", WARNING, settings.syncConflictsOpen().pendingFor(),
                        SYNC_HEALTH,
                        readings -> gauges(readings, "fieldbook.sync.oldest.open.conflict.age", "site",
                                age -> age > settings.syncConflictsOpen().age().toSeconds()),
                        (labels, value) -> "A sync conflict of site " + labels.get("site") + " has been open for "
                                + seconds(value)),
                new AlertRule("FieldbookAuditChainBroken", CRITICAL, Duration.ZERO, AUDIT_METRICS,
                        readings -> gauges(readings, "fieldbook.audit.chain.intact", null, intact -> intact == 0),
                        (labels, value) -> "The audit chain fails its verification"));
    }

    /** More than {@code ratio} of the requests (all but {@code /actuator}) answered 5xx, at a rate that counts. */
    private static List<Breach> errorRate(MeterReadings readings, AlertSettings.ApiErrorRate settings) {
        MeterReadings.Window window = readings.since(settings.window());
        double all = 0;
        double failed = 0;
        for (Meter.Id id : readings.counters(MeterReadings.REQUESTS)) {
            String uri = id.getTag("uri");
            if (uri != null && uri.startsWith("/actuator")) {
                continue;
            }
            double requests = window.increase(id);
            all += requests;
            String status = id.getTag("status");
            if (status != null && status.startsWith("5")) {
                failed += requests;
            }
        }
        if (window.seconds() <= 0 || all / window.seconds() <= settings.minimumRate()) {
            return List.of();
        }
        double ratio = failed / all;
        return ratio > settings.ratio() ? List.of(new Breach(Map.of(), ratio)) : List.of();
    }

    /**
     * The 95th percentile of {@code /api} request time, photos up and down left out, above the threshold; from
     * the request timers' buckets as Prometheus's {@code histogram_quantile} takes it.
     */
    private static List<Breach> slowRequests(MeterReadings readings, AlertSettings.ApiSlow settings) {
        MeterReadings.Window window = readings.since(settings.window());
        Map<Double, Double> buckets = new TreeMap<>();
        double all = 0;
        for (Meter.Id id : readings.counters(MeterReadings.REQUESTS)) {
            String uri = id.getTag("uri");
            if (uri == null || !uri.startsWith("/api/") || uri.contains("/photos") || uri.contains("/uploads")) {
                continue;
            }
            all += window.increase(id);
            window.bucketIncrease(id).forEach((bound, count) -> buckets.merge(bound, count, Double::sum));
        }
        if (all <= 0) {
            return List.of();
        }
        double p95 = quantile(0.95, buckets, all);
        return p95 > settings.p95().toMillis() / 1000.0 ? List.of(new Breach(Map.of(), p95)) : List.of();
    }

    /**
     * The {@code q} quantile of observations counted in cumulative buckets (bound in seconds to count), of
     * {@code all} observations: interpolated within the bucket it falls in; beyond the highest bound, that bound.
     */
    static double quantile(double q, Map<Double, Double> buckets, double all) {
        double rank = q * all;
        double lowerBound = 0;
        double lowerCount = 0;
        for (Map.Entry<Double, Double> bucket : buckets.entrySet()) {
            if (bucket.getValue() >= rank) {
                double inBucket = bucket.getValue() - lowerCount;
                return inBucket <= 0 ? bucket.getKey()
                        : lowerBound + (bucket.getKey() - lowerBound) * (rank - lowerCount) / inBucket;
            }
            lowerBound = bucket.getKey();
            lowerCount = bucket.getValue();
        }
        return lowerBound;
    }

    /** A pool with requests waiting while every connection is in use; the value is how many wait. */
    private static List<Breach> poolExhausted(MeterReadings readings) {
        Map<Map<String, String>, Double> pending = readings.gauges("hikaricp.connections.pending");
        Map<Map<String, String>, Double> active = readings.gauges("hikaricp.connections.active");
        Map<Map<String, String>, Double> max = readings.gauges("hikaricp.connections.max");
        double waiting = 0;
        for (Map.Entry<Map<String, String>, Double> pool : pending.entrySet()) {
            Double inUse = active.get(pool.getKey());
            Double size = max.get(pool.getKey());
            if (pool.getValue() > 0 && inUse != null && size != null && inUse >= size) {
                waiting += pool.getValue();
            }
        }
        return waiting > 0 ? List.of(new Breach(Map.of(), waiting)) : List.of();
    }

    /** Counters of this name that grew within the window, by the label {@code by} (all together when null). */
    private static List<Breach> increased(MeterReadings readings, String name, Duration window, String by) {
        MeterReadings.Window grown = readings.since(window);
        Map<Map<String, String>, Double> increases = new TreeMap<>(AlertRules::compare);
        for (Meter.Id id : readings.counters(name)) {
            increases.merge(labels(id.getTag(by == null ? "" : by), by), grown.increase(id), Double::sum);
        }
        List<Breach> breaches = new ArrayList<>();
        increases.forEach((labels, increase) -> {
            if (increase > 0) {
                breaches.add(new Breach(labels, increase));
            }
        });
        return breaches;
    }

    /** Gauges of this name whose value holds, by the label {@code by} (the largest of all when null). */
    private static List<Breach> gauges(MeterReadings readings, String name, String by, DoublePredicate holds) {
        Map<Map<String, String>, Double> values = new TreeMap<>(AlertRules::compare);
        readings.gauges(name).forEach((tags, value) -> values.merge(labels(by == null ? null : tags.get(by), by),
                value, Math::max));
        List<Breach> breaches = new ArrayList<>();
        values.forEach((labels, value) -> {
            if (holds.test(value)) {
                breaches.add(new Breach(labels, value));
            }
        });
        return breaches;
    }

    private static Map<String, String> labels(String value, String by) {
        return by == null || value == null ? Map.of() : Map.of(by, value);
    }

    private static int compare(Map<String, String> one, Map<String, String> other) {
        return one.toString().compareTo(other.toString());
    }

    private static String percent(double ratio) {
        return String.format(Locale.ROOT, "%.3g%%", ratio * 100);
    }

    /** A duration as an operator reads it: {@code 4.9s}, {@code 13h 5m}, {@code 3d 2h}. */
    static String seconds(double seconds) {
        if (seconds < 60) {
            return String.format(Locale.ROOT, "%.3gs", seconds);
        }
        Duration duration = Duration.ofSeconds((long) seconds);
        if (duration.toDays() > 0) {
            return duration.toDays() + "d " + duration.toHoursPart() + "h";
        }
        if (duration.toHours() > 0) {
            return duration.toHours() + "h " + duration.toMinutesPart() + "m";
        }
        return duration.toMinutes() + "m " + duration.toSecondsPart() + "s";
    }
}
