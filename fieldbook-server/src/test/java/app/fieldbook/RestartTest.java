package app.fieldbook;

import static app.fieldbook.Fixtures.created;
import static app.fieldbook.Fixtures.expect;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** The embedded database is a file: what was saved is there after the server restarts. */
class RestartTest {

    @TempDir
    Path data;

    @Test
    void dataSurvivesARestartOnTheEmbeddedFileDatabase() throws Exception {
        String reportId;
        String photoId;
        byte[] photo = Images.jpeg(64, 48);
        try (ConfigurableApplicationContext first = start()) {
            Fixtures world = new Fixtures(port(first));
            String site = world.site();
            Fixtures.Person worker = world.worker(site);
            reportId = Fixtures.draft(worker, site, LocalDate.of(2026, 8, 3));
            photoId = created(worker.api().upload("/api/v1/reports/" + reportId + "/photos", photo, "p.jpg", Map.of()));
        }
        assertThat(Files.list(data).map(p -> p.getFileName().toString())).anyMatch(name -> name.endsWith(".mv.db"));
        try (ConfigurableApplicationContext second = start()) {
            Api executive = new Fixtures(port(second)).executive().api();
            Api.Answer report = expect(executive.get("/api/v1/reports/" + reportId), 200);
            assertThat(report.body().path("content").path("workPerformed").asString()).isEqualTo("Formwork level 2");
            assertThat(expect(executive.get("/api/v1/photos/" + photoId + "/content"), 200).raw().body()).isEqualTo(photo);
        }
    }

    private ConfigurableApplicationContext start() {
        return new SpringApplication(FieldbookApplication.class).run(
                "--server.port=0",
                "--spring.profiles.active=test",
                "--spring.datasource.url=jdbc:h2:file:" + data.resolve("fieldbook")
                        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0",
                "--fieldbook.attachments.directory=" + data.resolve("photos"),
                "--fieldbook.audit.key-file=" + data.resolve("audit.key"),
                "--fieldbook.audit.head-file=" + data.resolve("audit-heads.log"));
    }

    private static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }
}
