package app.fieldbook.audit;

import app.fieldbook.RecurringJob;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The audit chain's jobs that run once in the cluster ({@link RecurringJob}, ADR 0023): the head writer,
 * every {@code fieldbook.audit.head-interval}, and the verification of the whole chain, nightly at
 * {@code fieldbook.audit.verification-cron}. The linker runs on every node ({@link AuditChain}).
 */
@Configuration(proxyBeanMethods = false)
class AuditSchedule {

    @Bean
    RecurringJob auditHead(AuditChain chain, AuditSettings settings) {
        return RecurringJob.every(AuditChain.HEAD, settings.headInterval(), chain::recordHeadNow);
    }

    @Bean
    RecurringJob auditVerification(AuditChain chain, AuditSettings settings) {
        return RecurringJob.cron(AuditChain.VERIFICATION, settings.verificationCron(), chain::verifyInBackground);
    }
}
