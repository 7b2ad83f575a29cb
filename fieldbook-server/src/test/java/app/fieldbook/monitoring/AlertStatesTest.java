package app.fieldbook.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import app.fieldbook.BackgroundJobs;
import app.fieldbook.MovingClock;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The alerts' course from real meters, without Spring: a condition pends for its rule's {@code for} before it
 * fires, one that stops meanwhile never fires, a firing one is resolved when its condition stops; a failed run of
 * a background job fires at once and is resolved once it leaves the window; a channel is told of firing and
 * resolved, never twice of one state and never sooner than the notification interval.
 */
class AlertStatesTest {

    private static final Instant START = Instant.parse("2026-12-02T08:00:00Z");
    private static final Duration INTERVAL = Duration.ofMinutes(5);

    /** The test's clock, which it moves on. */
    private final MovingClock clock = new MovingClock(START);
    /** The server's registry (its request timers' buckets are cumulative, as the rules read them). */
    private final MeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, String> overrides = new HashMap<>();
    private final AlertStates states = new AlertStates(INTERVAL);
    private MeterReadings readings;
    private List<AlertRule> rules;

    private List<Alert> evaluate() {
        if (rules == null) {
            AlertSettings settings = AlertRulesInTheAppTest.settings(overrides);
            rules = AlertRules.of(settings);
            readings = new MeterReadings(registry, AlertRules.windows(settings), AlertRules.bucketWindow(settings),
                    START);
        }
        readings.take(clock.instant());
        return states.evaluate(rules, readings, clock.instant());
    }

    private static Alert only(List<Alert> alerts, String name) {
        List<Alert> named = alerts.stream().filter(alert -> alert.name().equals(name)).toList();
        assertThat(named).as("alerts of " + name).hasSizeLessThanOrEqualTo(1);
        return named.isEmpty() ? null : named.getFirst();
    }

    @Test
    void aReplicaBehindMoreThanThirtySecondsForFiveMinutesFiresAndOneWithoutReplicaOrCaughtUpDoesNot() {
        double[] lag = {Double.NaN};
        Gauge.builder("fieldbook.replica.lag.seconds", lag, value -> value[0]).baseUnit("seconds").register(registry);
        assertThat(only(evaluate(), "FieldbookReplicaBehind")).as("no replica").isNull();
        lag[0] = 30;
        assertThat(only(evaluate(), "FieldbookReplicaBehind")).as("at the threshold").isNull();
        lag[0] = 45;
        assertThat(only(evaluate(), "FieldbookReplicaBehind").state()).isEqualTo(Alert.PENDING);
        clock.moveOn(Duration.ofMinutes(5));
        Alert firing = only(evaluate(), "FieldbookReplicaBehind");
        assertThat(firing.state()).isEqualTo(Alert.FIRING);
        assertThat(firing.summary()).isEqualTo(
                "The read replica is 45.0s behind; the report lists, dashboards and month-ends read the primary");
        assertThat(firing.runbook()).isEqualTo("docs/operations.md#fieldbookreplicabehind");
        lag[0] = Double.POSITIVE_INFINITY;
        assertThat(only(evaluate(), "FieldbookReplicaBehind").summary()).isEqualTo(
                "The read replica does not answer; the report lists, dashboards and month-ends read the primary");
        lag[0] = 0;
        assertThat(only(evaluate(), "FieldbookReplicaBehind").state()).isEqualTo(Alert.RESOLVED);
    }

    @Test
    void aConditionPendsForItsForThenFiresAndIsResolvedAndOneThatStopsMeanwhileNeverFires() {
        AtomicInteger silent = new AtomicInteger(1);
        Gauge.builder("fieldbook.sync.devices.silent", silent, AtomicInteger::get).tag("site", "north")
                .register(registry);

        Alert pending = only(evaluate(), "FieldbookSyncDeviceSilent");
        assertThat(pending.state()).isEqualTo(Alert.PENDING);
        assertThat(pending.labels()).isEqualTo(Map.of("site", "north"));
        clock.moveOn(Duration.ofMinutes(10));
        silent.set(0);
        assertThat(only(evaluate(), "FieldbookSyncDeviceSilent")).as("stopped before its 15 minutes").isNull();
        assertThat(states.due("webhook", clock.instant())).isEmpty();

        silent.set(2);
        clock.moveOn(Duration.ofMinutes(1));
        Instant active = clock.instant();
        assertThat(only(evaluate(), "FieldbookSyncDeviceSilent").state()).isEqualTo(Alert.PENDING);
        clock.moveOn(Duration.ofMinutes(14));
        assertThat(only(evaluate(), "FieldbookSyncDeviceSilent").state()).isEqualTo(Alert.PENDING);
        clock.moveOn(Duration.ofMinutes(1));
        Alert firing = only(evaluate(), "FieldbookSyncDeviceSilent");
        assertThat(firing.state()).isEqualTo(Alert.FIRING);
        assertThat(firing.activeSince()).isEqualTo(active);
        assertThat(firing.firingSince()).isEqualTo(active.plus(Duration.ofMinutes(15)));
        assertThat(firing.summary()).isEqualTo("2 device(s) of site north went silent with changes or photos waiting");
        assertThat(firing.runbook()).isEqualTo("docs/operations.md#fieldbooksyncdevicesilent");

        silent.set(0);
        clock.moveOn(Duration.ofMinutes(1));
        Alert resolved = only(evaluate(), "FieldbookSyncDeviceSilent");
        assertThat(resolved.state()).isEqualTo(Alert.RESOLVED);
        assertThat(resolved.resolvedAt()).isEqualTo(clock.instant());
        clock.moveOn(Duration.ofMinutes(61));
        assertThat(only(evaluate(), "FieldbookSyncDeviceSilent")).as("shown for an hour after").isNull();
    }

    @Test
    void statesRestoredOnAnotherNodeCarryTheAlertOnWithoutTellingItAgainOrForgettingIt() {
        AtomicInteger silent = new AtomicInteger(1);
        Gauge.builder("fieldbook.sync.devices.silent", silent, AtomicInteger::get).tag("site", "north")
                .register(registry);
        evaluate();
        clock.moveOn(Duration.ofMinutes(8));
        evaluate();
        // the run ends here on one node; the next, on another, starts from what it kept
        AlertStates second = AlertStates.restored(INTERVAL, rules, states.kept(), states.notified());
        clock.moveOn(Duration.ofMinutes(8));
        Alert firing = only(second.evaluate(rules, readings, clock.instant()), "FieldbookSyncDeviceSilent");
        assertThat(firing.state()).as("pending 8 minutes on one node and 8 on the other: 16 in all")
                .isEqualTo(Alert.FIRING);
        assertThat(firing.activeSince()).isEqualTo(START);
        assertThat(second.due("webhook", clock.instant())).containsExactly(firing);
        second.told("webhook", List.of(firing), clock.instant());

        AlertStates third = AlertStates.restored(INTERVAL, rules, second.kept(), second.notified());
        clock.moveOn(Duration.ofMinutes(10));
        assertThat(only(third.evaluate(rules, readings, clock.instant()), "FieldbookSyncDeviceSilent").firingSince())
                .as("still firing, since the same time").isEqualTo(firing.firingSince());
        assertThat(third.due("webhook", clock.instant())).as("not told again").isEmpty();

        silent.set(0);
        AlertStates fourth = AlertStates.restored(INTERVAL, rules, third.kept(), third.notified());
        clock.moveOn(Duration.ofMinutes(1));
        fourth.evaluate(rules, readings, clock.instant());
        assertThat(fourth.due("webhook", clock.instant())).extracting(Alert::state).containsExactly(Alert.RESOLVED);
        assertThat(AlertStates.restored(INTERVAL, List.of(), fourth.kept(), fourth.notified()).current())
                .as("the states of a rule no longer known are left out").isEmpty();
    }

    @Test
    void aFailedJobFiresAtOnceAndIsResolvedWhenTheFailureLeavesTheWindow() {
        BackgroundJobs jobs = new BackgroundJobs(registry, clock);
        jobs.run("thumbnails", () -> null);
        assertThat(only(evaluate(), "FieldbookBackgroundJobFailed")).isNull();

        clock.moveOn(Duration.ofSeconds(15));
        assertThatThrownBy(() -> jobs.run("thumbnails", () -> {
            throw new IllegalStateException("photo store gone");
        }));
        Alert firing = only(evaluate(), "FieldbookBackgroundJobFailed");
        assertThat(firing.state()).isEqualTo(Alert.FIRING);
        assertThat(firing.labels()).isEqualTo(Map.of("name", "thumbnails"));
        assertThat(firing.summary()).isEqualTo("Background job thumbnails failed");
        assertThat(states.due("webhook", clock.instant())).containsExactly(firing);
        states.told("webhook", List.of(firing), clock.instant());

        for (int minute = 1; minute <= 14; minute++) {
            clock.moveOn(Duration.ofMinutes(1));
            assertThat(only(evaluate(), "FieldbookBackgroundJobFailed").state()).isEqualTo(Alert.FIRING);
            assertThat(states.due("webhook", clock.instant())).as("told once").isEmpty();
        }
        clock.moveOn(Duration.ofMinutes(2));
        assertThat(only(evaluate(), "FieldbookBackgroundJobFailed").state()).as("15 minutes on")
                .isEqualTo(Alert.RESOLVED);
        assertThat(states.due("webhook", clock.instant())).extracting(Alert::state).containsExactly(Alert.RESOLVED);
    }

    @Test
    void aChannelIsToldOfOneAlertNoOftenerThanTheIntervalAndNotOfAChangeUndoneMeanwhile() {
        AtomicInteger intact = new AtomicInteger(1);
        Gauge.builder("fieldbook.audit.chain.intact", intact, AtomicInteger::get).register(registry);
        evaluate();

        intact.set(0);
        clock.moveOn(Duration.ofSeconds(15));
        evaluate();
        List<Alert> fired = states.due("email", clock.instant());
        assertThat(fired).extracting(Alert::state).containsExactly(Alert.FIRING);
        states.told("email", fired, clock.instant());

        intact.set(1);
        clock.moveOn(Duration.ofMinutes(1));
        assertThat(only(evaluate(), "FieldbookAuditChainBroken").state()).isEqualTo(Alert.RESOLVED);
        assertThat(states.due("email", clock.instant())).as("within the interval").isEmpty();
        assertThat(states.due("webhook", clock.instant())).as("a channel never told it fired").isEmpty();

        intact.set(0);
        clock.moveOn(Duration.ofMinutes(1));
        assertThat(only(evaluate(), "FieldbookAuditChainBroken").state()).isEqualTo(Alert.FIRING);
        clock.moveOn(Duration.ofMinutes(4));
        evaluate();
        assertThat(states.due("email", clock.instant())).as("firing again, as it was told").isEmpty();

        intact.set(1);
        clock.moveOn(Duration.ofMinutes(1));
        evaluate();
        List<Alert> resolved = states.due("email", clock.instant());
        assertThat(resolved).extracting(Alert::state).containsExactly(Alert.RESOLVED);
        states.told("email", resolved, clock.instant());
        clock.moveOn(Duration.ofMinutes(10));
        evaluate();
        assertThat(states.due("email", clock.instant())).as("told once").isEmpty();
    }

    @Test
    void manyServerErrorsAtARateThatCountsFireTheErrorRateAndFewRequestsDoNot() {
        overrides.put("fieldbook.alerts.api-error-rate.pending-for", "0s");
        clock.moveOn(Duration.ofSeconds(60));
        request("/api/v1/reports", "200", 1, Duration.ofMillis(20));
        request("/api/v1/reports", "500", 1, Duration.ofMillis(20));
        assertThat(only(evaluate(), "FieldbookApiErrorRate")).as("2 requests a minute are no rate").isNull();

        request("/api/v1/reports", "200", 100, Duration.ofMillis(20));
        request("/api/v1/reports", "503", 4, Duration.ofMillis(20));
        request("/actuator/health", "503", 500, Duration.ofMillis(20));
        Alert firing = only(evaluate(), "FieldbookApiErrorRate");
        assertThat(firing.state()).isEqualTo(Alert.FIRING);
        assertThat(firing.value()).as("5 of 106, the health checks left out").isCloseTo(5 / 106.0, within(1e-9));
    }

    @Test
    void theApiP95AboveTwoSecondsIsSlowAndPhotoUploadsDoNotCount() {
        overrides.put("fieldbook.alerts.api-slow.pending-for", "0s");
        request("/api/v1/reports", "200", 100, Duration.ofMillis(300));
        request("/api/v1/reports/{reportId}/photos", "201", 100, Duration.ofSeconds(9));
        assertThat(only(evaluate(), "FieldbookApiSlow")).isNull();

        request("/api/v1/reports", "200", 300, Duration.ofSeconds(3));
        Alert slow = only(evaluate(), "FieldbookApiSlow");
        assertThat(slow.state()).isEqualTo(Alert.FIRING);
        assertThat(slow.value()).as("the p95 of 100 at 0.3 s and 300 at 3 s").isBetween(2.0, 3.5);
    }

    @Test
    void theQuantileIsInterpolatedWithinItsBucketAsPrometheusDoesIt() {
        Map<Double, Double> buckets = new TreeMap<>(Map.of(0.5, 50.0, 1.0, 90.0, 2.0, 100.0));
        assertThat(AlertRules.quantile(0.5, buckets, 100)).isEqualTo(0.5);
        assertThat(AlertRules.quantile(0.7, buckets, 100)).isCloseTo(0.75, within(1e-9));
        assertThat(AlertRules.quantile(0.95, buckets, 100)).isCloseTo(1.5, within(1e-9));
        assertThat(AlertRules.quantile(0.95, buckets, 200)).as("beyond the highest bound").isEqualTo(2.0);
    }

    private void request(String uri, String status, int times, Duration took) {
        Timer timer = Timer.builder(MeterReadings.REQUESTS).tags("uri", uri, "status", status, "method", "GET")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(5))
                .maximumExpectedValue(Duration.ofSeconds(30)).register(registry);
        for (int i = 0; i < times; i++) {
            timer.record(took);
        }
    }
}
