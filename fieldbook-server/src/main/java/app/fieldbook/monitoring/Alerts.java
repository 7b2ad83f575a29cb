package app.fieldbook.monitoring;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The alerts kept in the database (tables {@code alerts}, {@code alert_notifications}, {@code alert_evaluations};
 * ADR 0025), by evaluator: {@code cluster} for the rules evaluated once in the cluster, whose states and
 * notifications live only here, or a node's name for the alerts of that node's own rules, which it writes here
 * after each evaluation so that every node shows the same list. Each evaluator writes only its own rows, and
 * replaces them whole: the cluster's are written by one run at a time (db-scheduler), a node's by that node.
 */
@Repository
class Alerts {

    /** An alert, and who evaluates it. */
    record Kept(String evaluator, Alert alert) {
    }

    /** The states the last run of the cluster's rules left: its alerts, and what each channel was told. */
    record ClusterStates(List<Alert> alerts, List<AlertStates.Notified> notified) {
    }

    private static final TypeReference<Map<String, String>> LABELS = new TypeReference<>() {
    };

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final JsonMapper json;

    Alerts(JdbcClient jdbc, TransactionTemplate transactions, JsonMapper json) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.json = json;
    }

    /** The alerts of the rules evaluated once in the cluster, and the channels' notifications, as last kept. */
    ClusterStates cluster(String cluster) {
        List<Alert> alerts = jdbc.sql("""
                SELECT * FROM alerts WHERE evaluator = ? ORDER BY active_since, rule_name, labels""")
                .param(cluster).query((rs, n) -> alert(rs)).list();
        List<AlertStates.Notified> notified = jdbc.sql("""
                SELECT rule_name, labels, channel, state, notified_at FROM alert_notifications
                 ORDER BY rule_name, labels, channel""")
                .query((rs, n) -> new AlertStates.Notified(rs.getString("rule_name"), labels(rs.getString("labels")),
                        rs.getString("channel"), rs.getString("state"), instant(rs, "notified_at")))
                .list();
        return new ClusterStates(alerts, notified);
    }

    /** Replaces the alerts of {@code evaluator} with these, evaluated at {@code at}, in one transaction. */
    void keep(String evaluator, List<Alert> alerts, Instant at) {
        transactions.executeWithoutResult(status -> {
            jdbc.sql("DELETE FROM alerts WHERE evaluator = ?").param(evaluator).update();
            for (Alert alert : alerts) {
                jdbc.sql("""
                        INSERT INTO alerts (rule_name, labels, evaluator, state, severity, measured, summary, runbook,
                                            active_since, firing_since, resolved_at)
                        VALUES (:rule, :labels, :evaluator, :state, :severity, :measured, :summary, :runbook,
                                :activeSince, :firingSince, :resolvedAt)""")
                        .param("rule", alert.name()).param("labels", text(alert.labels()))
                        .param("evaluator", evaluator).param("state", alert.state())
                        .param("severity", alert.severity()).param("measured", finite(alert.value()))
                        .param("summary", cut(alert.summary(), 1000)).param("runbook", alert.runbook())
                        .param("activeSince", time(alert.activeSince())).param("firingSince", time(alert.firingSince()))
                        .param("resolvedAt", time(alert.resolvedAt()))
                        .update();
            }
            if (jdbc.sql("UPDATE alert_evaluations SET evaluated_at = ? WHERE evaluator = ?")
                    .params(time(at), evaluator).update() == 0) {
                jdbc.sql("INSERT INTO alert_evaluations (evaluator, evaluated_at) VALUES (?, ?)")
                        .params(evaluator, time(at)).update();
            }
        });
    }

    /** Replaces what the channels were last told of the cluster's alerts. */
    void notified(List<AlertStates.Notified> notified) {
        transactions.executeWithoutResult(status -> {
            jdbc.sql("DELETE FROM alert_notifications").update();
            for (AlertStates.Notified last : notified) {
                jdbc.sql("""
                        INSERT INTO alert_notifications (rule_name, labels, channel, state, notified_at)
                        VALUES (?, ?, ?, ?, ?)""")
                        .params(last.rule(), text(last.labels()), last.channel(), last.state(), time(last.at()))
                        .update();
            }
        });
    }

    /** Every alert kept, of every evaluator, the cluster's first, then by node. */
    List<Kept> all() {
        return jdbc.sql("SELECT * FROM alerts ORDER BY evaluator, active_since, rule_name, labels")
                .query((rs, n) -> new Kept(rs.getString("evaluator"), alert(rs))).list();
    }

    /** When each evaluator last evaluated its rules, by its name. */
    Map<String, Instant> evaluations() {
        Map<String, Instant> evaluations = new TreeMap<>();
        jdbc.sql("SELECT evaluator, evaluated_at FROM alert_evaluations")
                .query((rs, n) -> Map.entry(rs.getString("evaluator"), instant(rs, "evaluated_at"))).list()
                .forEach(evaluation -> evaluations.put(evaluation.getKey(), evaluation.getValue()));
        return evaluations;
    }

    /**
     * Forgets the alerts of the nodes (every evaluator but {@code cluster}) that have not evaluated since
     * {@code before}: they are taken as gone. Answers how many nodes were forgotten.
     */
    int forgetNodesSilentSince(String cluster, Instant before) {
        Integer forgotten = transactions.execute(status -> {
            jdbc.sql("""
                    DELETE FROM alerts WHERE evaluator IN (
                        SELECT evaluator FROM alert_evaluations WHERE evaluator <> :cluster AND evaluated_at < :before)""")
                    .param("cluster", cluster).param("before", time(before)).update();
            return jdbc.sql("DELETE FROM alert_evaluations WHERE evaluator <> :cluster AND evaluated_at < :before")
                    .param("cluster", cluster).param("before", time(before)).update();
        });
        return forgotten == null ? 0 : forgotten;
    }

    private Alert alert(ResultSet rs) throws SQLException {
        return new Alert(rs.getString("rule_name"), labels(rs.getString("labels")), rs.getString("state"),
                rs.getString("severity"), rs.getDouble("measured"), rs.getString("summary"), rs.getString("runbook"),
                instant(rs, "active_since"), instant(rs, "firing_since"), instant(rs, "resolved_at"));
    }

    /** The labels as a JSON object with its keys in order: one text for one set of labels, the table's key. */
    private String text(Map<String, String> labels) {
        return json.writeValueAsString(new TreeMap<>(labels));
    }

    private Map<String, String> labels(String text) {
        return Map.copyOf(new LinkedHashMap<>(json.readValue(text, LABELS)));
    }

    private static double finite(double value) {
        return Double.isFinite(value) ? value : Double.isNaN(value) ? 0 : Math.copySign(Double.MAX_VALUE, value);
    }

    private static String cut(String text, int length) {
        return text.length() <= length ? text : text.substring(0, length);
    }

    private static OffsetDateTime time(Instant at) {
        return at == null ? null : OffsetDateTime.ofInstant(at, ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime at = rs.getObject(column, OffsetDateTime.class);
        return at == null ? null : at.toInstant();
    }
}
