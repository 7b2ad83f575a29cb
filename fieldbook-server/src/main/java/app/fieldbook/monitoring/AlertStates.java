package app.fieldbook.monitoring;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The states of the alerts, moved on by each evaluation as Prometheus moves its own: a condition that starts to
 * hold makes the alert pending; one that has held for the rule's {@code for} makes it firing; a firing alert whose
 * condition no longer holds is resolved (and shown for an hour after); a pending one whose condition stops is
 * forgotten, never having fired. Notifications go out per channel, at most one per alert (a rule and its labels)
 * every {@code notificationInterval}: a channel is told when the alert fires and when it is resolved; a change
 * that comes sooner waits for the interval, and one undone meanwhile (resolved and firing again) is not sent.
 * Not thread-safe: one evaluation at a time. The states of the rules evaluated once in the cluster are kept in
 * the database between runs ({@link #kept()}, {@link #notified()}, {@link #restored}), so that the next run, on
 * any node, carries them on.
 */
final class AlertStates {

    private static final Logger log = LoggerFactory.getLogger(AlertStates.class);
    private static final Duration SHOWN_AFTER_RESOLVED = Duration.ofHours(1);

    private record Key(String rule, Map<String, String> labels) {
    }

    private record Told(String state, Instant at) {
    }

    private record Tracked(AlertRule rule, Map<String, String> labels, String state, double value,
            Instant activeSince, Instant firingSince, Instant resolvedAt) {

        Alert alert() {
            return new Alert(rule.name(), labels, state, rule.severity(), value, rule.summarize(labels, value),
                    rule.runbook(), activeSince, firingSince, resolvedAt);
        }
    }

    /** What {@code channel} was last told of the alert of this rule and labels: its state then, and when. */
    record Notified(String rule, Map<String, String> labels, String channel, String state, Instant at) {
    }

    private final Duration notificationInterval;
    private final Map<Key, Tracked> alerts = new LinkedHashMap<>();
    private final Map<String, Map<Key, Told>> told = new LinkedHashMap<>();

    AlertStates(Duration notificationInterval) {
        this.notificationInterval = notificationInterval;
    }

    /** Evaluates every rule over the readings, at {@code now}, and answers the alerts as they then stand. */
    List<Alert> evaluate(List<AlertRule> rules, MeterReadings readings, Instant now) {
        for (AlertRule rule : rules) {
            List<AlertRule.Breach> breaches;
            try {
                breaches = rule.condition().breaches(readings);
            } catch (RuntimeException failed) {
                log.warn("The alert rule {} could not be evaluated; its alerts stay as they were: {}", rule.name(),
                        failed.toString());
                continue;
            }
            Map<Key, AlertRule.Breach> holding = new LinkedHashMap<>();
            breaches.forEach(breach -> holding.put(new Key(rule.name(), Map.copyOf(breach.labels())), breach));
            holding.forEach((key, breach) -> alerts.put(key, held(rule, key, breach.value(), now)));
            for (Iterator<Map.Entry<Key, Tracked>> all = alerts.entrySet().iterator(); all.hasNext();) {
                Map.Entry<Key, Tracked> entry = all.next();
                Tracked alert = entry.getValue();
                if (!entry.getKey().rule().equals(rule.name()) || holding.containsKey(entry.getKey())) {
                    continue;
                }
                switch (alert.state()) {
                    case Alert.PENDING -> all.remove();
                    case Alert.FIRING -> entry.setValue(new Tracked(rule, alert.labels(), Alert.RESOLVED,
                            alert.value(), alert.activeSince(), alert.firingSince(), now));
                    default -> {
                        if (alert.resolvedAt().plus(shownAfterResolved()).isBefore(now)) {
                            all.remove();
                        }
                    }
                }
            }
        }
        return current();
    }

    private Tracked held(AlertRule rule, Key key, double value, Instant now) {
        Tracked before = alerts.get(key);
        if (before == null || before.state().equals(Alert.RESOLVED)) {
            before = new Tracked(rule, key.labels(), Alert.PENDING, value, now, null, null);
        }
        if (before.state().equals(Alert.PENDING)
                && Duration.between(before.activeSince(), now).compareTo(rule.pendingFor()) >= 0) {
            return new Tracked(rule, key.labels(), Alert.FIRING, value, before.activeSince(), now, null);
        }
        return new Tracked(rule, key.labels(), before.state(), value, before.activeSince(), before.firingSince(),
                null);
    }

    /** The alerts as they stand: pending, firing, and resolved within the last hour. */
    List<Alert> current() {
        return alerts.values().stream().map(Tracked::alert).toList();
    }

    /**
     * What {@code channel} is to be told now: the alerts that fired or were resolved since it was last told of
     * them, if that was at least the notification interval ago. A resolved alert it was never told fired is not
     * sent.
     */
    List<Alert> due(String channel, Instant now) {
        Map<Key, Told> toldChannel = told.getOrDefault(channel, Map.of());
        List<Alert> due = new ArrayList<>();
        alerts.forEach((key, alert) -> {
            if (alert.state().equals(Alert.PENDING)) {
                return;
            }
            Told last = toldChannel.get(key);
            if (last == null ? alert.state().equals(Alert.FIRING)
                    : !last.state().equals(alert.state())
                            && Duration.between(last.at(), now).compareTo(notificationInterval) >= 0) {
                due.add(alert.alert());
            }
        });
        return due;
    }

    /** Records that {@code channel} was told of these alerts at {@code now}. */
    void told(String channel, List<Alert> alerts, Instant now) {
        Map<Key, Told> toldChannel = told.computeIfAbsent(channel, name -> new LinkedHashMap<>());
        for (Alert alert : alerts) {
            toldChannel.put(new Key(alert.name(), alert.labels()), new Told(alert.state(), now));
        }
        toldChannel.keySet().removeIf(key -> !this.alerts.containsKey(key)
                && toldChannel.get(key).at().plus(notificationInterval).isBefore(now));
    }

    /** The alerts as they stand, to be kept until the next evaluation. */
    List<Alert> kept() {
        return current();
    }

    /** What each channel was last told, to be kept until the next evaluation. */
    List<Notified> notified() {
        List<Notified> notified = new ArrayList<>();
        told.forEach((channel, alerts) -> alerts.forEach((key, last) -> notified.add(
                new Notified(key.rule(), key.labels(), channel, last.state(), last.at()))));
        return notified;
    }

    /**
     * The states as an earlier evaluation left them, of these rules: alerts and notifications of a rule not among
     * them (one removed since) are left out.
     */
    static AlertStates restored(Duration notificationInterval, List<AlertRule> rules, List<Alert> alerts,
            List<Notified> notified) {
        AlertStates states = new AlertStates(notificationInterval);
        Map<String, AlertRule> byName = new LinkedHashMap<>();
        rules.forEach(rule -> byName.put(rule.name(), rule));
        for (Alert alert : alerts) {
            AlertRule rule = byName.get(alert.name());
            if (rule != null) {
                Map<String, String> labels = Map.copyOf(alert.labels());
                states.alerts.put(new Key(rule.name(), labels), new Tracked(rule, labels, alert.state(), alert.value(),
                        alert.activeSince(), alert.firingSince(), alert.resolvedAt()));
            }
        }
        for (Notified last : notified) {
            if (byName.containsKey(last.rule())) {
                states.told.computeIfAbsent(last.channel(), channel -> new LinkedHashMap<>())
                        .put(new Key(last.rule(), Map.copyOf(last.labels())), new Told(last.state(), last.at()));
            }
        }
        return states;
    }

    private Duration shownAfterResolved() {
        Duration twice = notificationInterval.multipliedBy(2);
        return twice.compareTo(SHOWN_AFTER_RESOLVED) > 0 ? twice : SHOWN_AFTER_RESOLVED;
    }
}
