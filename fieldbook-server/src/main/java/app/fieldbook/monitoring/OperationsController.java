package app.fieldbook.monitoring;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** What operators see of the alerts evaluated in the server: administrators only. */
@RestController
@RequestMapping("/api/v1/operations")
class OperationsController {

    /** A rule: its name, severity, and how long its condition must hold before it fires. */
    record RuleView(String name, String severity, Duration pendingFor, String runbook) {
    }

    /**
     * The alerts as the last evaluation left them (pending, firing, resolved within the hour), when it ran (null
     * before the first), the rules, and the channels alerts are sent to.
     */
    record AlertsView(boolean enabled, Instant evaluatedAt, List<Alert> alerts, List<RuleView> rules,
            List<String> channels) {
    }

    private final Alerting alerting;

    OperationsController(Alerting alerting) {
        this.alerting = alerting;
    }

    @GetMapping("/alerts")
    @PreAuthorize("hasRole('ADMINISTRATOR')")
    AlertsView alerts() {
        Alerting.Evaluated evaluated = alerting.evaluated();
        return new AlertsView(alerting.enabled(), evaluated.at(), evaluated.alerts(),
                alerting.rules().stream().map(rule -> new RuleView(rule.name(), rule.severity(), rule.pendingFor(),
                        rule.runbook())).toList(),
                alerting.channels());
    }
}
