package app.fieldbook.identity;

import app.fieldbook.RecurringJob;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The identity module's clean-ups, each run once in the cluster ({@link RecurringJob}, ADR 0023): expired
 * sign-in challenges every 10 minutes; expired passkey challenges, login failures older than the throttle's
 * window and a day, and credentials that ended a week ago, hourly.
 */
@Configuration(proxyBeanMethods = false)
class CleanUps {

    @Bean
    RecurringJob signInChallengesCleanup(SignInChallenges challenges) {
        return RecurringJob.every("sign-in-challenges-cleanup", Duration.ofMinutes(10), challenges::forgetExpired);
    }

    @Bean
    RecurringJob passkeyChallengesCleanup(PasskeyChallenges challenges) {
        return RecurringJob.every("passkey-challenges-cleanup", Duration.ofHours(1), challenges::forgetExpired);
    }

    @Bean
    RecurringJob loginFailuresCleanup(LoginThrottle throttle) {
        return RecurringJob.every("login-failures-cleanup", Duration.ofHours(1), throttle::forgetOldFailures);
    }

    @Bean
    RecurringJob credentialsCleanup(Credentials credentials) {
        return RecurringJob.every("credentials-cleanup", Duration.ofHours(1), credentials::forgetEnded);
    }
}
