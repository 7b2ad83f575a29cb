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
 *
 * @param figures for a rule over figures read from the database, the same on every node: the name of the
 *     {@code Snapshot} that reads them (its background job); such a rule is evaluated once in the cluster
 *     (ADR 0025). Null for a rule over this node's own meters, which every node evaluates for itself.
 */
record AlertRule(String name, String severity, Duration pendingFor, String figures, Condition condition,
        Summary summary) {

    /** A rule over this node's own meters. */
    AlertRule(String name, String severity, Duration pendingFor, Condition condition, Summary summary) {
        this(name, severity, pendingFor, null, condition, summary);
    }

    /** Whether the rule is evaluated once in the cluster, over figures read from the database. */
    boolean clusterWide() {
        return figures != null;
    }

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

    /** What holds, for an operator: the summary, naming the node when the labels do (a node's own alert). */
    String summarize(Map<String, String> labels, double value) {
        String node = labels.get(AlertRules.NODE);
        return summary.of(labels, value) + (node == null ? "" : " (node " + node + ")");
    }

    /** Where the rule's runbook entry is, as in the Prometheus rule's annotation. */
    String runbook() {
        return "docs/operations.md#" + name.toLowerCase(Locale.ROOT);
    }
}
