package app.fieldbook.monitoring;

import app.fieldbook.BackgroundJobs;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Evaluates the alert rules ({@link AlertRules}) over this server's meters every
 * {@code fieldbook.alerts.evaluation-interval}, as a run of the background job {@code alert-evaluation}, and
 * sends what fired or was resolved to the channels configured (webhook, email). A channel that fails is logged,
 * counted ({@code fieldbook_alert_notifications_total{channel, outcome}}) and sent to again at the next
 * evaluation; it fails no evaluation. Each node evaluates its own meters and notifies by itself.
 */
@Component
class Alerting {

    static final String JOB = "alert-evaluation";
    private static final Logger log = LoggerFactory.getLogger(Alerting.class);

    /** The alerts as the last evaluation left them, and when it ran (null before the first). */
    record Evaluated(Instant at, List<Alert> alerts) {
    }

    private final AlertSettings settings;
    private final List<AlertRule> rules;
    private final MeterReadings readings;
    private final AlertStates states;
    private final List<AlertChannel> channels = new ArrayList<>();
    private final BackgroundJobs jobs;
    private final MeterRegistry registry;
    private final Clock clock;
    private volatile Evaluated evaluated = new Evaluated(null, List.of());

    Alerting(AlertSettings settings, MeterRegistry registry, BackgroundJobs jobs, Clock clock, JsonMapper json,
            ObjectProvider<JavaMailSender> mail) {
        this.settings = settings;
        this.registry = registry;
        this.jobs = jobs;
        this.clock = clock;
        this.rules = AlertRules.of(settings);
        this.readings = new MeterReadings(registry, AlertRules.windows(settings), AlertRules.bucketWindow(settings),
                clock.instant());
        this.states = new AlertStates(settings.notificationInterval());
        if (settings.webhook().url() != null) {
            channels.add(new WebhookChannel(settings.webhook().url(), json));
        }
        if (!settings.email().to().isEmpty()) {
            JavaMailSender sender = mail.getIfAvailable();
            if (sender == null) {
                throw new IllegalStateException("fieldbook.alerts.email.to is set, but no mail server: set "
                        + "spring.mail.host (and spring.mail.port, username, password as the server needs)");
            }
            channels.add(new EmailChannel(sender, settings.email()));
        }
    }

    @Scheduled(fixedDelayString = "${fieldbook.alerts.evaluation-interval:15s}")
    void evaluate() {
        if (!settings.enabled()) {
            return;
        }
        Instant now = clock.instant();
        evaluated = jobs.run(JOB, () -> {
            readings.take(now);
            return new Evaluated(now, states.evaluate(rules, readings, now));
        });
        for (AlertChannel channel : channels) {
            List<Alert> due = states.due(channel.name(), now);
            if (due.isEmpty()) {
                continue;
            }
            try {
                channel.send(due);
                states.told(channel.name(), due, now);
                count(channel, "sent", due.size());
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception failed) {
                count(channel, "failed", due.size());
                log.warn("{} alert(s) could not be sent by {}; trying again at the next evaluation: {}", due.size(),
                        channel.name(), failed.toString());
            }
        }
    }

    /** The alerts as the last evaluation left them. */
    Evaluated evaluated() {
        return evaluated;
    }

    List<AlertRule> rules() {
        return rules;
    }

    boolean enabled() {
        return settings.enabled();
    }

    List<String> channels() {
        return channels.stream().map(AlertChannel::name).toList();
    }

    private void count(AlertChannel channel, String outcome, int alerts) {
        Counter.builder("fieldbook.alert.notifications").tag("channel", channel.name()).tag("outcome", outcome)
                .description("Alerts sent to a channel (firing or resolved), and those that could not be")
                .register(registry).increment(alerts);
    }
}
