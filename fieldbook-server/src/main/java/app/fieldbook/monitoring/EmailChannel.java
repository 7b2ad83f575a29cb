package app.fieldbook.monitoring;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;

/**
 * Mails each alert due to {@code fieldbook.alerts.email.to}, through the SMTP server of {@code spring.mail.*}:
 * one message per alert, its subject naming its state and rule, its text what an operator needs first.
 */
final class EmailChannel implements AlertChannel {

    private final JavaMailSender mail;
    private final AlertSettings.Email settings;

    EmailChannel(JavaMailSender mail, AlertSettings.Email settings) {
        this.mail = mail;
        this.settings = settings;
    }

    @Override
    public String name() {
        return "email";
    }

    @Override
    public void send(List<Alert> alerts) {
        SimpleMailMessage[] messages = alerts.stream().map(this::message).toArray(SimpleMailMessage[]::new);
        mail.send(messages);
    }

    private SimpleMailMessage message(Alert alert) {
        SimpleMailMessage message = new SimpleMailMessage();
        message.setFrom(settings.from());
        message.setTo(settings.to().toArray(String[]::new));
        message.setSubject("[Fieldbook " + alert.state().toUpperCase(java.util.Locale.ROOT) + "] " + alert.name()
                + labels(alert.labels()));
        message.setText(alert.summary() + "\n\n"
                + "State: " + alert.state() + "\n"
                + "Severity: " + alert.severity() + "\n"
                + "Active since: " + alert.activeSince() + "\n"
                + (alert.firingSince() == null ? "" : "Firing since: " + alert.firingSince() + "\n")
                + (alert.resolvedAt() == null ? "" : "Resolved at: " + alert.resolvedAt() + "\n")
                + "Runbook: " + alert.runbook() + "\n");
        return message;
    }

    private static String labels(Map<String, String> labels) {
        return labels.isEmpty() ? "" : labels.entrySet().stream().map(label -> label.getKey() + "=" + label.getValue())
                .collect(Collectors.joining(", ", " (", ")"));
    }
}
