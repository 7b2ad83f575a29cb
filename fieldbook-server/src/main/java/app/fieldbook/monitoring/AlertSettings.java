package app.fieldbook.monitoring;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the alert rules evaluated in the server, bound from {@code fieldbook.alerts}. The thresholds and
 * durations default to those of {@code monitoring/prometheus/fieldbook-alerts.yml}; {@code pending-for} is a
 * rule's {@code for} there: how long its condition must hold before the alert fires.
 *
 * @param enabled whether the rules are evaluated at all
 * @param evaluationInterval the pause between two evaluations of every rule
 * @param notificationInterval the least time between two notifications of one alert (a rule and its labels)
 *     on one channel: a change of its state within it is sent when the interval has passed, if still true
 * @param webhook where alerts are posted as JSON; none without a URL
 * @param email to whom alerts are mailed (through {@code spring.mail.*}); none without an address
 */
@ConfigurationProperties("fieldbook.alerts")
record AlertSettings(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("15s") Duration evaluationInterval,
        @DefaultValue("15m") Duration notificationInterval,
        @DefaultValue Webhook webhook,
        @DefaultValue Email email,
        @DefaultValue ApiErrorRate apiErrorRate,
        @DefaultValue ApiSlow apiSlow,
        @DefaultValue DatabasePool databasePool,
        @DefaultValue PhotoStorage photoStorage,
        @DefaultValue ReplicaBehind replicaBehind,
        @DefaultValue JobFailures jobFailures,
        @DefaultValue SyncChangesWaiting syncChangesWaiting,
        @DefaultValue SyncDeviceSilent syncDeviceSilent,
        @DefaultValue SyncDeviceDataLost syncDeviceDataLost,
        @DefaultValue SyncConflictsOpen syncConflictsOpen,
        @DefaultValue MetricsStale metricsStale) {

    AlertSettings {
        if (evaluationInterval.isNegative() || evaluationInterval.isZero()) {
            throw new IllegalArgumentException("fieldbook.alerts.evaluation-interval must be positive");
        }
    }

    /** @param url the receiver's URL (http or https) */
    record Webhook(URI url) {
    }

    /**
     * @param to the addresses alerts are mailed to
     * @param from the sender's address
     */
    record Email(@DefaultValue List<String> to, @DefaultValue("fieldbook@localhost") String from) {
    }

    /**
     * FieldbookApiErrorRate.
     *
     * @param ratio the share of requests answered 5xx above which it holds
     * @param minimumRate requests a second below which no share counts
     * @param window over how long the requests are counted
     */
    record ApiErrorRate(@DefaultValue("0.01") double ratio, @DefaultValue("0.2") double minimumRate,
            @DefaultValue("5m") Duration window, @DefaultValue("5m") Duration pendingFor) {
    }

    /**
     * FieldbookApiSlow.
     *
     * @param p95 the 95th percentile of {@code /api} request time above which it holds
     * @param window over how long the requests are counted
     */
    record ApiSlow(@DefaultValue("2s") Duration p95, @DefaultValue("5m") Duration window,
            @DefaultValue("10m") Duration pendingFor) {
    }

    /**
     * FieldbookDatabasePoolExhausted and FieldbookDatabaseConnectionTimeouts.
     *
     * @param timeoutWindow how long a request that got no connection in time keeps the timeouts' alert firing
     */
    record DatabasePool(@DefaultValue("2m") Duration pendingFor, @DefaultValue("5m") Duration timeoutWindow) {
    }

    /**
     * FieldbookPhotoStorageFilling.
     *
     * @param used the share of the photo volume in use above which it holds
     */
    record PhotoStorage(@DefaultValue("0.8") double used, @DefaultValue("15m") Duration pendingFor) {
    }

    /**
     * FieldbookReplicaBehind.
     *
     * @param lag the read replica's lag above which it holds (as {@code fieldbook.replica.max-lag}'s default)
     */
    record ReplicaBehind(@DefaultValue("30s") Duration lag, @DefaultValue("5m") Duration pendingFor) {
    }

    /** FieldbookBackgroundJobFailed: fires while a job's last failure is younger than {@code window}. */
    record JobFailures(@DefaultValue("15m") Duration window) {
    }

    /** FieldbookSyncChangesWaiting: the oldest change waiting on a site's devices older than {@code age}. */
    record SyncChangesWaiting(@DefaultValue("12h") Duration age, @DefaultValue("15m") Duration pendingFor) {
    }

    /** FieldbookSyncDeviceSilent. */
    record SyncDeviceSilent(@DefaultValue("15m") Duration pendingFor) {
    }

    /** FieldbookSyncDeviceDataLost: fires while a site's last loss is younger than {@code window}. */
    record SyncDeviceDataLost(@DefaultValue("1h") Duration window) {
    }

    /** FieldbookSyncConflictsOpen: a site's oldest open conflict older than {@code age}. */
    record SyncConflictsOpen(@DefaultValue("3d") Duration age, @DefaultValue("1h") Duration pendingFor) {
    }

    /** FieldbookMetricsStale: figures read for the metrics older than {@code age}. */
    record MetricsStale(@DefaultValue("5m") Duration age, @DefaultValue("2m") Duration pendingFor) {
    }
}
