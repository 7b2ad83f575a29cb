package app.fieldbook.monitoring;

import app.fieldbook.RecurringJob;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The evaluation of the alert rules over figures read from the database, once in the cluster
 * ({@link RecurringJob}, ADR 0025): every {@code fieldbook.alerts.evaluation-interval} from the end of a run,
 * on whichever node takes it. Each node evaluates the rules of its own meters itself ({@link Alerting}).
 */
@Configuration(proxyBeanMethods = false)
class AlertSchedule {

    @Bean
    RecurringJob clusterAlertEvaluation(Alerting alerting, AlertSettings settings) {
        return RecurringJob.every(Alerting.CLUSTER_JOB, settings.evaluationInterval(),
                alerting::evaluateClusterRules);
    }
}
