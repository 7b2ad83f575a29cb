package app.fieldbook;

import java.time.Clock;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;
import org.springframework.modulith.Modulithic;
import org.springframework.scheduling.annotation.EnableScheduling;

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
}
