package app.fieldbook;

import java.time.Clock;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;
import org.springframework.modulith.Modulithic;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/** Fieldbook server: one Spring Boot application, one module per top-level package. */
@Modulithic(systemName = "Fieldbook")
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class FieldbookApplication {

    public static void main(String[] args) {
        SpringApplication.run(FieldbookApplication.class, args);
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /**
     * Threads for the background jobs that run on every node (the audit linker, the change-feed sequencer, the
     * refreshes of the metrics' figures, the alert evaluation and the clean-up of abandoned uploads; the jobs that
     * run once in the cluster are {@link RecurringJobs}'s): a thread each, so that a job waiting behind a database
     * lock holds back no other. With virtual threads, Spring Boot's default scheduler runs every fixed-delay job
     * on one shared thread, so a job catching up on a backlog (the audit linker) held back the others (the
     * change-feed sequencer, and with it every pull).
     */
    @Bean
    ThreadPoolTaskScheduler taskScheduler() {
        ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
        scheduler.setPoolSize(6);
        scheduler.setThreadNamePrefix("fieldbook-job-");
        scheduler.setWaitForTasksToCompleteOnShutdown(true);
        scheduler.setAwaitTerminationSeconds(10);
        return scheduler;
    }
}
