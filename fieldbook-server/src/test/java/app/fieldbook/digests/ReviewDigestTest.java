package app.fieldbook.digests;

import static app.fieldbook.Fixtures.draft;
import static app.fieldbook.Fixtures.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.fieldbook.Fixtures;
import app.fieldbook.Fixtures.Person;
import app.fieldbook.RecurringJob;
import app.fieldbook.RecurringJobs;
import app.fieldbook.TestDatabase;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The morning's review digest reaches the test's mail server (GreenMail): one mail per manager with reports waiting
 * for their review, listing them by site with a link to each, within the manager's scope; nothing for a manager with
 * nothing waiting, nor for a field worker; once a day, however often the job runs and on however many nodes at once;
 * and a digest whose send failed is sent by the job's next try. The job is due at the morning's time in the
 * digests' zone (here 06:45 in Auckland, far from the server's), and run as db-scheduler runs it, by its
 * {@link RecurringJob}'s work, not at its time. Every manager of the database gets their digest when the job runs
 * (on PostgreSQL the test contexts share one), so each test looks only at the mail of the people it made.
 */
@Tag("database")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "fieldbook.digests.enabled=true",
        "fieldbook.digests.base-url=https://fieldbook.test/",
        "fieldbook.digests.from=digests@fieldbook.test",
        "fieldbook.digests.zone=Pacific/Auckland",
        "fieldbook.digests.time=06:45",
        "spring.mail.properties.mail.smtp.connectiontimeout=2000",
        "spring.mail.properties.mail.smtp.timeout=5000",
        "spring.mail.properties.mail.smtp.writetimeout=5000"})
@ContextConfiguration(initializers = TestDatabase.class)
@ActiveProfiles("test")
@DirtiesContext
class ReviewDigestTest {

    private static final String BASE = "https://fieldbook.test";
    private static final ZoneId ZONE = ZoneId.of("Pacific/Auckland");
    private static final GreenMail MAIL = mailServer();

    /** The administrator's client, signed in once for all the tests. */
    private static Fixtures fixtures;

    @LocalServerPort
    int port;

    @Autowired
    RecurringJobs jobs;

    @Autowired
    JdbcClient jdbc;

    @DynamicPropertySource
    static void mailServer(DynamicPropertyRegistry registry) {
        registry.add("spring.mail.host", () -> "127.0.0.1");
        registry.add("spring.mail.port", () -> MAIL.getSmtp().getPort());
    }

    @AfterAll
    static void stopMailServer() {
        MAIL.stop();
    }

    /**
     * Two sites in one manager's portfolio and a worker on both; a third site in another manager's portfolio, with a
     * worker of its own. The managers are signed in only where a test has them act; the others have never signed in,
     * which costs the test no password changes and changes nothing for their digests.
     */
    private record World(Fixtures fixtures, String north, String south, String east, Person manager, Person other,
            Person worker, Person eastWorker) {

        static World build(int port, boolean managersAct) {
            Fixtures fixtures = signedInFixtures(port);
            String north = fixtures.site();
            String south = fixtures.site();
            String east = fixtures.site();
            Person manager = manager(fixtures, managersAct, fixtures.portfolio(north, south));
            Person other = manager(fixtures, managersAct, fixtures.portfolio(east));
            return new World(fixtures, north, south, east, manager, other, fixtures.worker(north, south),
                    fixtures.worker(east));
        }

        private static Person manager(Fixtures fixtures, boolean signedIn, String portfolio) {
            if (signedIn) {
                return fixtures.manager(portfolio);
            }
            Person manager = fixtures.newcomer("MANAGER");
            expect(fixtures.admin().put("/api/v1/users/" + manager.id() + "/portfolios",
                    Map.of("portfolioIds", List.of(portfolio))), 200);
            return manager;
        }
    }

    @Test
    void aManagerWithReportsWaitingOnTwoSitesGetsOneMailListingThemBySiteWithALinkToEach() throws Exception {
        World world = World.build(port, true);
        LocalDate today = LocalDate.now(ZONE);
        String northReport = submitted(world.worker(), world.north(), today.minusDays(1));
        String southReport = submitted(world.worker(), world.south(), today.minusDays(2));
        String southOlder = submitted(world.worker(), world.south(), today.minusDays(5));
        String stillDraft = draft(world.worker(), world.north(), today.minusDays(6));
        String returned = submitted(world.worker(), world.north(), today.minusDays(3));
        expect(world.manager().api().post("/api/v1/reports/" + returned + "/return", Map.of("comment", "Hours?")), 200);
        String approved = submitted(world.worker(), world.north(), today.minusDays(4));
        expect(world.manager().api().post("/api/v1/reports/" + approved + "/approve"), 200);

        runTheJob();

        List<MimeMessage> mails = mailsTo(world.manager());
        assertThat(mails).hasSize(1);
        MimeMessage mail = mails.getFirst();
        assertThat(mail.getSubject()).isEqualTo("Fieldbook: 3 reports waiting for your review (" + today + ")");
        assertThat(mail.getFrom()[0].toString()).isEqualTo("digests@fieldbook.test");
        String text = GreenMailUtil.getBody(mail).replace("\r\n", "\n");
        String north = siteName(world, world.north());
        String south = siteName(world, world.south());
        String author = "Test " + world.worker().login();
        assertThat(text).contains("Good morning, Test " + world.manager().login() + ".")
                .contains("3 daily reports are waiting for your review, on 2 sites.")
                .contains(north + " (" + north.substring("Site ".length()) + ")\n"
                        + "  - " + today.minusDays(1) + ", " + author + ", waiting less than an hour\n"
                        + "    " + BASE + "/#/reports/" + northReport + "\n")
                .contains(south + " (" + south.substring("Site ".length()) + ")\n"
                        + "  - " + today.minusDays(5) + ", " + author + ", waiting less than an hour\n"
                        + "    " + BASE + "/#/reports/" + southOlder + "\n"
                        + "  - " + today.minusDays(2) + ", " + author + ", waiting less than an hour\n"
                        + "    " + BASE + "/#/reports/" + southReport + "\n")
                .contains(BASE + "/#/review")
                .doesNotContain(stillDraft).doesNotContain(returned).doesNotContain(approved);
        assertThat(mailsTo(world.worker())).as("a field worker's mail").isEmpty();
    }

    @Test
    void reportsOutsideAManagersScopeNeverAppearInTheirDigest() throws Exception {
        World world = World.build(port, false);
        LocalDate today = LocalDate.now(ZONE);
        String mine = submitted(world.worker(), world.north(), today.minusDays(1));
        String theirs = submitted(world.eastWorker(), world.east(), today.minusDays(1));

        runTheJob();

        String managerText = GreenMailUtil.getBody(single(mailsTo(world.manager())));
        assertThat(managerText).contains(mine).doesNotContain(theirs)
                .doesNotContain(siteName(world, world.east()));
        String otherText = GreenMailUtil.getBody(single(mailsTo(world.other())));
        assertThat(otherText).contains(theirs).contains("1 daily report is waiting for your review.")
                .doesNotContain(mine).doesNotContain(siteName(world, world.north()));
        assertThat(mailsTo(world.eastWorker())).as("a field worker's mail").isEmpty();
    }

    @Test
    void aManagerWithNothingWaitingGetsNoMail() throws Exception {
        World world = World.build(port, true);
        String approved = submitted(world.worker(), world.north(), LocalDate.now(ZONE).minusDays(1));
        expect(world.manager().api().post("/api/v1/reports/" + approved + "/approve"), 200);
        draft(world.worker(), world.south(), LocalDate.now(ZONE).minusDays(1));

        runTheJob();

        assertThat(mailsTo(world.manager())).isEmpty();
        assertThat(recorded(world.manager())).as("no digest recorded").isZero();
    }

    @Test
    void theJobRunTwiceOnOneDaySendsEachDigestOnce() throws Exception {
        World world = World.build(port, false);
        submitted(world.worker(), world.north(), LocalDate.now(ZONE).minusDays(1));
        runTheJob();
        assertThat(mailsTo(world.manager())).hasSize(1);

        submitted(world.worker(), world.south(), LocalDate.now(ZONE).minusDays(1));
        runTheJob();

        assertThat(mailsTo(world.manager())).as("the second run of the day").hasSize(1);
        assertThat(recorded(world.manager())).isEqualTo(1);
    }

    @Test
    void twoNodesRunningTheJobAtOnceSendEachDigestOnce() throws Exception {
        World world = World.build(port, false);
        submitted(world.worker(), world.north(), LocalDate.now(ZONE).minusDays(1));
        submitted(world.eastWorker(), world.east(), LocalDate.now(ZONE).minusDays(1));
        RecurringJob job = theJob();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService nodes = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int node = 0; node < 2; node++) {
                runs.add(nodes.submit(() -> {
                    start.await();
                    job.work().run();
                    return null;
                }));
            }
            start.countDown();
            boolean waitedTooLong = false;
            for (Future<?> run : runs) {
                try {
                    run.get();
                } catch (ExecutionException failed) {
                    // H2 lets an insert wait for the other's uncommitted row only up to its lock timeout (ADR 0032):
                    // the run fails, and its retry (below) finds the row committed
                    assertThat(failed.getCause()).isInstanceOf(SendingReviewDigests.DigestsNotSent.class)
                            .hasRootCauseInstanceOf(java.sql.SQLTimeoutException.class);
                    waitedTooLong = true;
                }
            }
            if (waitedTooLong) {
                runTheJob();
            }
        } finally {
            nodes.shutdownNow();
        }

        assertThat(mailsTo(world.manager())).hasSize(1);
        assertThat(mailsTo(world.other())).hasSize(1);
        assertThat(recorded(world.manager()) + recorded(world.other())).isEqualTo(2);
    }

    @Test
    void aDigestWhoseSendFailedIsSentByTheJobsNextTry() throws Exception {
        World world = World.build(port, false);
        String report = submitted(world.worker(), world.north(), LocalDate.now(ZONE).minusDays(1));

        MAIL.stop();
        try {
            assertThatThrownBy(this::runTheJob).isInstanceOf(SendingReviewDigests.DigestsNotSent.class)
                    .hasMessageContaining(world.manager().login());
            assertThat(recorded(world.manager())).as("the failed send's record rolled back").isZero();
        } finally {
            MAIL.start();
        }
        runTheJob();

        assertThat(GreenMailUtil.getBody(single(mailsTo(world.manager())))).contains(report);
        assertThat(recorded(world.manager())).isEqualTo(1);
    }

    private static synchronized Fixtures signedInFixtures(int port) {
        if (fixtures == null) {
            fixtures = new Fixtures(port);
        }
        return fixtures;
    }

    @Test
    void theJobIsDueAtTheConfiguredTimeOfTheMorningInTheConfiguredZone() {
        ZonedDateTime now = ZonedDateTime.now(ZONE);
        ZonedDateTime next = now.with(LocalTime.of(6, 45)).truncatedTo(ChronoUnit.MINUTES);
        if (!next.isAfter(now)) {
            next = next.plusDays(1);
        }
        assertThat(jdbc.sql("SELECT execution_time FROM scheduled_tasks WHERE task_name = 'review-digest'")
                .query(OffsetDateTime.class).single().toInstant()).isEqualTo(next.toInstant());
    }

    private void runTheJob() {
        theJob().work().run();
    }

    private RecurringJob theJob() {
        return jobs.jobs().stream().filter(job -> job.name().equals("review-digest")).findFirst().orElseThrow();
    }

    /** A report the worker wrote and submitted; its id. */
    private static String submitted(Person worker, String site, LocalDate date) {
        String id = draft(worker, site, date);
        expect(worker.api().post("/api/v1/reports/" + id + "/submit"), 200);
        return id;
    }

    private static String siteName(World world, String site) {
        return expect(world.fixtures().admin().get("/api/v1/sites/" + site), 200).body().path("name").asString();
    }

    private long recorded(Person person) {
        return jdbc.sql("SELECT COUNT(*) FROM review_digests WHERE person_id = :person")
                .param("person", UUID.fromString(person.id())).query(Long.class).single();
    }

    private static MimeMessage single(List<MimeMessage> mails) {
        assertThat(mails).hasSize(1);
        return mails.getFirst();
    }

    private static List<MimeMessage> mailsTo(Person person) throws MessagingException {
        String address = person.login() + "@test.fieldbook.app";
        List<MimeMessage> mails = new ArrayList<>();
        for (MimeMessage message : MAIL.getReceivedMessages()) {
            if (Arrays.stream(message.getRecipients(Message.RecipientType.TO))
                    .anyMatch(recipient -> recipient.toString().equalsIgnoreCase(address))) {
                mails.add(message);
            }
        }
        return mails;
    }

    private static GreenMail mailServer() {
        try (ServerSocket free = new ServerSocket(0)) {
            int port = free.getLocalPort();
            free.close();
            GreenMail mail = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
            mail.start();
            return mail;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
