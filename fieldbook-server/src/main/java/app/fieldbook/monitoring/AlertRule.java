package app.fieldbook.monitoring;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One alert rule evaluated in the server: the name of its counterpart in
 * {@code monitoring/prometheus/fieldbook-alerts.yml}, its severity, how long its condition must hold before it
 * fires ({@code for} there), and the condition, which answers the label sets it holds for (none: it does not
 * hold), each with the value it found.
 */
record AlertRule(String name, String severity, Duration pendingFor, Condition condition, Summary summary) {

    /** What a rule checks, over the meters as they are now. */
    @FunctionalInterface
    interface Condition {
        List<Breach> breaches(MeterReadings readings);
    }

    /** The sentence that tells an operator what holds. */
    @FunctionalInterface
    interface Summary {
        String of(Map<String, String> labels, double value);
    }

    /** The condition holds for these labels (a site, a job; none for the whole server), with this value. */
    record Breach(Map<String, String> labels, double value) {
    }

    /** Where the rule's runbook entry is, as in the Prometheus rule's annotation. */
    String runbook() {
        return "docs/operations.md#" + name.toLowerCase(Locale.ROOT);
    }
}
