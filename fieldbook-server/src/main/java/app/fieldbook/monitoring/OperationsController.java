package app.fieldbook.monitoring;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** What operators see of the alerts evaluated in the server, the same on every node: administrators only. */
@RestController
@RequestMapping("/api/v1/operations")
class OperationsController {

    /**
     * A rule: its name, severity, how long its condition must hold before it fires, and whether it is evaluated
     * once in the cluster (over figures read from the database) or by each node over its own meters.
     */
    record RuleView(String name, String severity, Duration pendingFor, boolean clusterWide, String runbook) {
    }

    /**
     * The alerts as the last evaluations left them (pending, firing, resolved within the hour): those of the rules
     * evaluated once in the cluster, and each node's own (labelled {@code node}), the same on every node; when
     * the latest evaluation ran (null before the first), and when each evaluator last did ({@code cluster}, each
     * node by its name); the rules, and the channels alerts are sent to.
     */
    record AlertsView(boolean enabled, Instant evaluatedAt, Map<String, Instant> evaluations, List<Alert> alerts,
            List<RuleView> rules, List<String> channels) {
    }

    private final Alerting alerting;

    OperationsController(Alerting alerting) {
        this.alerting = alerting;
    }

    @GetMapping("/alerts")
    @PreAuthorize("hasRole('ADMINISTRATOR')")
    AlertsView alerts() {
        Map<String, Instant> evaluations = alerting.evaluations();
        List<Alert> alerts = alerting.alerts().stream()
                .sorted(Comparator.comparing(Alert::activeSince).thenComparing(Alert::name)
                        .thenComparing(alert -> new TreeMap<>(alert.labels()).toString()))
                .toList();
        return new AlertsView(alerting.enabled(), evaluations.values().stream().max(Comparator.naturalOrder())
                .orElse(null), evaluations, alerts,
                alerting.rules().stream().map(rule -> new RuleView(rule.name(), rule.severity(), rule.pendingFor(),
                        rule.clusterWide(), rule.runbook())).toList(),
                alerting.channels());
    }
}
