package app.fieldbook.monitoring;

import app.fieldbook.BackgroundJobs;
import app.fieldbook.RecurringJobs;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Evaluates the alert rules ({@link AlertRules}) and sends what fired or was resolved to the channels configured
 * (webhook, email), every {@code fieldbook.alerts.evaluation-interval}, in two parts (ADR 0025):
 *
 * <ul>
 * <li>The rules over this node's own meters (its requests, pool, jobs, disk), on every node, as runs of the
 * background job {@code alert-evaluation}: their states are kept in this node's memory, so that they are
 * evaluated and sent also while the database is locked or the pool exhausted; their alerts carry the label
 * {@code node}. After each evaluation they are written to the database in the background (never holding the
 * evaluation up), so that every node shows them.</li>
 * <li>The rules over figures read from the database (the per-site sync health and the audit chain's latest
 * verification, the same on every node), once in
 * the cluster, as the job {@code cluster-alert-evaluation} on db-scheduler ({@link AlertSchedule}): each run, on
 * whichever node takes it, reads the states and notifications the run before left in the database, evaluates
 * over this node's figures, keeps the new states, sends, and keeps what it sent. A run does nothing while this
 * node has not yet read the figures, or holds figures older than {@code fieldbook.alerts.metrics-stale.age}: a
 * node that has just started or whose reading is stuck neither resolves an alert nor sends one.</li>
 * </ul>
 *
 * A channel that fails is logged, counted ({@code fieldbook_alert_notifications_total{channel, outcome}}) and sent
 * to again at the next evaluation; it fails no evaluation. A run of the cluster's rules that ends between sending
 * and keeping what it sent (its node killed) sends that once more at the next run: at least once, never lost.
 */
@Component
class Alerting implements DisposableBean {

    static final String JOB = "alert-evaluation";
    static final String CLUSTER_JOB = "cluster-alert-evaluation";
    private static final Logger log = LoggerFactory.getLogger(Alerting.class);
    /** A node that has not evaluated its rules for this long is taken as gone, and its alerts forgotten. */
    private static final Duration NODE_GONE_AFTER = Duration.ofHours(1);

    /** The alerts as the last evaluation left them, and when it ran (null before the first). */
    record Evaluated(Instant at, List<Alert> alerts) {
    }

    private final AlertSettings settings;
    private final String node;
    private final List<AlertRule> rules;
    private final List<AlertRule> nodeRules;
    private final List<AlertRule> clusterRules;
    private final MeterReadings readings;
    private final MeterReadings clusterReadings;
    private final AlertStates states;
    private final Alerts kept;
    private final List<AlertChannel> channels = new ArrayList<>();
    private final BackgroundJobs jobs;
    private final MeterRegistry registry;
    private final Clock clock;
    private final AtomicReference<Evaluated> unwritten = new AtomicReference<>();
    private final ExecutorService writer = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("alerts-writer").daemon().factory());
    private volatile Evaluated evaluated = new Evaluated(null, List.of());

    Alerting(AlertSettings settings, RecurringJobs.Settings node, Alerts kept, MeterRegistry registry,
            BackgroundJobs jobs, Clock clock, JsonMapper json, ObjectProvider<JavaMailSender> mail) {
        this.settings = settings;
        this.node = node.nodeName();
        this.kept = kept;
        this.registry = registry;
        this.jobs = jobs;
        this.clock = clock;
        this.rules = AlertRules.of(settings);
        this.nodeRules = rules.stream().filter(rule -> !rule.clusterWide()).map(this::ofThisNode).toList();
        this.clusterRules = rules.stream().filter(AlertRule::clusterWide).toList();
        this.readings = new MeterReadings(registry, AlertRules.windows(settings), AlertRules.bucketWindow(settings),
                clock.instant());
        // the cluster's rules read gauges only: no counter's history is kept for them
        this.clusterReadings = new MeterReadings(registry, Map.of(), Duration.ZERO, clock.instant());
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

    /** A rule of this node's meters whose alerts carry the label {@code node}. */
    private AlertRule ofThisNode(AlertRule rule) {
        AlertRule.Condition condition = rule.condition();
        return new AlertRule(rule.name(), rule.severity(), rule.pendingFor(), null,
                meters -> condition.breaches(meters).stream().map(breach -> {
                    Map<String, String> labels = new TreeMap<>(breach.labels());
                    labels.put(AlertRules.NODE, node);
                    return new AlertRule.Breach(labels, breach.value());
                }).toList(),
                rule.summary());
    }

    /** Evaluates this node's own rules and sends what is due; then writes its alerts to the database. */
    @Scheduled(fixedDelayString = "${fieldbook.alerts.evaluation-interval:15s}")
    void evaluate() {
        if (!settings.enabled()) {
            return;
        }
        Instant now = clock.instant();
        Optional<Evaluated> done = jobs.runScheduled(JOB, () -> {
            readings.take(now);
            return new Evaluated(now, states.evaluate(nodeRules, readings, now));
        });
        if (done.isEmpty()) {
            return;
        }
        evaluated = done.get();
        write(evaluated);
        send(states, now);
    }

    /**
     * Evaluates the rules over the figures read from the database, once in the cluster: the job
     * {@link #CLUSTER_JOB}, run by db-scheduler on one node at a time, which meters it. Answers whether it
     * evaluated (not when this node's figures are not fit to).
     */
    boolean evaluateClusterRules() {
        if (!settings.enabled()) {
            return false;
        }
        Instant now = clock.instant();
        clusterReadings.take(now);
        List<String> unfit = clusterRules.stream().map(AlertRule::figures).distinct()
                .filter(figures -> !fresh(figures)).toList();
        if (!unfit.isEmpty()) {
            log.info("The alerts of the whole cluster are not evaluated on this node now: its figures of {} are not "
                    + "yet read, or older than {}", unfit, settings.metricsStale().age());
            return false;
        }
        Alerts.ClusterStates before = kept.cluster(RecurringJobs.Settings.CLUSTER);
        AlertStates cluster = AlertStates.restored(settings.notificationInterval(), clusterRules, before.alerts(),
                before.notified());
        List<Alert> alerts = cluster.evaluate(clusterRules, clusterReadings, now);
        kept.keep(RecurringJobs.Settings.CLUSTER, alerts, now);
        if (send(cluster, now)) {
            kept.notified(cluster.notified());
        }
        int gone = kept.forgetNodesSilentSince(RecurringJobs.Settings.CLUSTER, now.minus(NODE_GONE_AFTER));
        if (gone > 0) {
            log.info("The alerts of {} node(s) that have not evaluated their rules for {} are forgotten", gone,
                    NODE_GONE_AFTER);
        }
        return true;
    }

    /**
     * Whether this node's figures of that name were read, and not longer ago than the age above which their own
     * alert (FieldbookMetricsStale) holds.
     */
    private boolean fresh(String figures) {
        boolean read = clusterReadings.gauges("fieldbook.job.last.success").keySet().stream()
                .anyMatch(tags -> figures.equals(tags.get("name")));
        Double age = clusterReadings.gauges("fieldbook.snapshot.age").get(Map.of("name", figures));
        return read && age != null && age <= settings.metricsStale().age().toMillis() / 1000.0;
    }

    /** Sends each channel what is due to it; answers whether any was sent. */
    private boolean send(AlertStates alerts, Instant now) {
        boolean sent = false;
        for (AlertChannel channel : channels) {
            List<Alert> due = alerts.due(channel.name(), now);
            if (due.isEmpty()) {
                continue;
            }
            try {
                channel.send(due);
                alerts.told(channel.name(), due, now);
                sent = true;
                count(channel, "sent", due.size());
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return sent;
            } catch (Exception failed) {
                count(channel, "failed", due.size());
                log.warn("{} alert(s) could not be sent by {}; trying again at the next evaluation: {}", due.size(),
                        channel.name(), failed.toString());
            }
        }
        return sent;
    }

    /**
     * Writes this node's alerts to the database on a thread of its own: an evaluation never waits for the
     * database. While a write is in hand, only the latest evaluation waits to be written after it.
     */
    private void write(Evaluated latest) {
        if (unwritten.getAndSet(latest) == null) {
            writer.execute(() -> {
                Evaluated next = unwritten.getAndSet(null);
                if (next == null) {
                    return;
                }
                try {
                    kept.keep(node, next.alerts(), next.at());
                } catch (RuntimeException failed) {
                    log.warn("This node's alerts could not be written to the database; the other nodes show those "
                            + "written before: {}", failed.toString());
                }
            });
        }
    }

    /** Stops writing this node's alerts (a write in hand is interrupted; the next node's read shows the last one). */
    @Override
    public void destroy() {
        writer.shutdownNow();
    }

    /**
     * The alerts as every node shows them: those the database keeps, of the cluster's rules and of every node's,
     * with this node's own as its last evaluation left them (written to the database a moment later).
     */
    List<Alert> alerts() {
        List<Alert> alerts = new ArrayList<>();
        for (Alerts.Kept alert : kept.all()) {
            if (!alert.evaluator().equals(node)) {
                alerts.add(alert.alert());
            }
        }
        alerts.addAll(evaluated.alerts());
        return alerts;
    }

    /** When each evaluator (the cluster's rules, each node's) last evaluated, by its name. */
    Map<String, Instant> evaluations() {
        Map<String, Instant> evaluations = new TreeMap<>(kept.evaluations());
        if (evaluated.at() != null) {
            evaluations.put(node, evaluated.at());
        }
        return evaluations;
    }

    /** The alerts of this node's own rules as its last evaluation left them. */
    Evaluated evaluated() {
        return evaluated;
    }

    List<AlertRule> rules() {
        return rules;
    }

    boolean enabled() {
        return settings.enabled();
    }

    String node() {
        return node;
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
