package app.fieldbook.digests;

import app.fieldbook.RecurringJob;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The review digest's job, once in the cluster ({@link RecurringJob}, ADR 0023): every day at
 * {@code fieldbook.digests.time} in {@code fieldbook.digests.zone}, on whichever node takes it.
 */
@Configuration(proxyBeanMethods = false)
class DigestSchedule {

    @Bean
    RecurringJob reviewDigest(SendingReviewDigests digests, DigestSettings settings) {
        return RecurringJob.cron(SendingReviewDigests.JOB, settings.cron(), settings.zoneId(), digests::sendDue);
    }
}
