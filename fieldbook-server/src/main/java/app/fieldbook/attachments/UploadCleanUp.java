package app.fieldbook.attachments;

import app.fieldbook.RecurringJob;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The clean-up of abandoned partial uploads ({@link PhotoUploads#forgetAbandoned}), hourly and once in the
 * cluster ({@link RecurringJob}, ADR 0023): every node sees every partial upload (a shared directory, or parts in
 * the bucket, ADR 0029), so one node's run cleans up for all.
 */
@Configuration(proxyBeanMethods = false)
class UploadCleanUp {

    @Bean
    RecurringJob abandonedUploadsCleanup(PhotoUploads uploads) {
        return RecurringJob.every("abandoned-uploads-cleanup", Duration.ofHours(1), () -> {
            try {
                uploads.forgetAbandoned();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
