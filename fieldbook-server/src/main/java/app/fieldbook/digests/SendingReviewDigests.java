package app.fieldbook.digests;

import app.fieldbook.RecurringJobs;
import app.fieldbook.digests.WaitingReports.WaitingReport;
import app.fieldbook.identity.Actor;
import app.fieldbook.identity.Role;
import app.fieldbook.identity.UserDirectory;
import app.fieldbook.identity.UserDirectory.Addressee;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sends the morning's review digests: to each active manager with reports waiting for their review, one mail
 * (ADR 0032). Once a day per manager across nodes and tries: each manager's digest is recorded in
 * {@code review_digests} and sent in one transaction, which commits only once the mail server has taken the mail,
 * so a second run of the day finds the row and sends nothing, and a send that failed leaves no row and is sent by
 * the next try. A run in which any digest failed fails (after trying every manager), so that the job is tried
 * again with backoff and its failure counted and alerted ({@link RecurringJobs}).
 */
@Service
class SendingReviewDigests {

    /** The job's name: its row in {@code scheduled_tasks} and its meters' label. */
    static final String JOB = "review-digest";
    /** How long the rows of digests sent are kept. */
    static final int KEPT_DAYS = 90;

    private static final Logger log = LoggerFactory.getLogger(SendingReviewDigests.class);

    private final DigestSettings settings;
    private final UserDirectory directory;
    private final WaitingReports waiting;
    private final SentDigests sent;
    private final TransactionTemplate transactions;
    private final ObjectProvider<JavaMailSender> mail;
    private final Clock clock;
    private final String node;

    SendingReviewDigests(DigestSettings settings, UserDirectory directory, WaitingReports waiting, SentDigests sent,
            PlatformTransactionManager transactionManager, ObjectProvider<JavaMailSender> mail, Clock clock,
            RecurringJobs.Settings jobs) {
        this.settings = settings;
        this.directory = directory;
        this.waiting = waiting;
        this.sent = sent;
        this.transactions = new TransactionTemplate(transactionManager);
        this.mail = mail;
        this.clock = clock;
        this.node = jobs.nodeName();
        if (settings.enabled() && mail.getIfAvailable() == null) {
            log.warn("Review digests are enabled (fieldbook.digests.enabled) but there is no mail server "
                    + "(spring.mail.host): none is sent");
        } else if (settings.enabled() && settings.baseUrl().isEmpty()) {
            log.warn("Review digests are enabled (fieldbook.digests.enabled) but fieldbook.digests.base-url, the web "
                    + "app's address their links start with, is not set: none is sent");
        }
    }

    /**
     * Sends the digests of today (in {@code fieldbook.digests.zone}) that are due and not yet sent, and forgets
     * those older than {@value #KEPT_DAYS} days. Does nothing while the digests are disabled, or without a mail
     * server or the web app's address.
     *
     * @return how many digests this run sent
     * @throws DigestsNotSent if any manager's digest could not be sent (the others were)
     */
    int sendDue() {
        JavaMailSender sender = mail.getIfAvailable();
        if (!settings.enabled() || sender == null || settings.baseUrl().isEmpty()) {
            return 0;
        }
        Instant now = clock.instant();
        LocalDate day = LocalDate.ofInstant(now, settings.zoneId());
        int count = 0;
        List<String> failed = new ArrayList<>();
        RuntimeException firstFailure = null;
        for (Addressee manager : directory.activeWithRole(Role.MANAGER)) {
            try {
                if (sendOnce(manager, day, now, sender)) {
                    count++;
                }
            } catch (RuntimeException failure) {
                log.warn("The review digest of {} for {} was not sent; the job's next try sends it",
                        manager.person().login(), day, failure);
                failed.add(manager.person().login());
                firstFailure = firstFailure == null ? failure : firstFailure;
            }
        }
        int forgotten = sent.forgetBefore(day.minusDays(KEPT_DAYS));
        log.info("Review digests of {}: {} sent, {} not sent; {} records of old ones deleted", day, count,
                failed.size(), forgotten);
        if (!failed.isEmpty()) {
            throw new DigestsNotSent(day, failed, firstFailure);
        }
        return count;
    }

    /**
     * Sends this manager's digest of this day unless it was sent, or nothing waits: in one transaction, the
     * reports read, the digest recorded, then mailed; the transaction commits once the mail server has taken it.
     *
     * @return whether it was sent by this call
     */
    private boolean sendOnce(Addressee manager, LocalDate day, Instant now, JavaMailSender sender) {
        Actor person = manager.person();
        if (sent.sent(person.id(), day)) {
            return false;
        }
        try {
            return Boolean.TRUE.equals(transactions.execute(transaction -> {
                List<WaitingReport> reports = waiting.of(person);
                if (reports.isEmpty()) {
                    return false;
                }
                ReviewDigest digest = ReviewDigest.of(manager, day, reports, authors(reports));
                sent.record(person.id(), day, digest.reports(), now, node);
                sender.send(digest.message(settings.from(), settings.baseUrl(), now));
                return true;
            }));
        } catch (DuplicateKeyException sentMeanwhile) {
            // another node (or run) recorded it between the check and the insert, and committed: it was sent
            return false;
        }
    }

    private Map<UUID, String> authors(List<WaitingReport> reports) {
        return directory.findAll(reports.stream().map(WaitingReport::authorId).toList()).stream()
                .collect(Collectors.toMap(Actor::id, Actor::name));
    }

    /** Some managers' digests of a day could not be sent; the job's next try sends them. */
    static final class DigestsNotSent extends RuntimeException {

        DigestsNotSent(LocalDate day, List<String> managers, Throwable first) {
            super("The review digests of " + day + " of " + managers.size() + " manager(s) were not sent: "
                    + String.join(", ", managers.subList(0, Math.min(10, managers.size())))
                    + (managers.size() > 10 ? ", ..." : ""), first);
        }
    }
}
