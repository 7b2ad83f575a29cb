package app.fieldbook.attachments;

import app.fieldbook.BackgroundJobs;
import app.fieldbook.reports.Reports;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Makes the thumbnails of stored photos after their upload was answered, on platform threads of its own
 * ({@code thumbnail-threads}, one per processor by default), never on the carriers of the virtual threads that
 * serve requests and hold database connections, and after a lull in the uploads ({@code thumbnail-lull}), so that
 * decoding does not take a core from a rush. A photo waits for a lull at most {@code thumbnail-patience}, and then
 * only the first thread makes it while uploads go on: a rush that never pauses loses one core at most, and the
 * backlog it leaves is made by every thread once it ends. The work list is the database: a photo is due until its thumbnail
 * is settled. A thumbnail made publishes {@link ThumbnailMade} for each photo with that content, so that
 * devices that pulled the photo without it get it again. The job is nudged when a photo is stored, and also looks for due photos every
 * {@code thumbnail-sweep}, so that photos stored before a restart, or by another node, get theirs too. A node
 * claims a thumbnail in the database before it makes it ({@link #CLAIM}), so two nodes do not make the same one
 * (ADR 0023); a claim of a node that died, or whose run failed, lapses, and any node makes it then.
 */
@Component
class MakingThumbnails implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(MakingThumbnails.class);
    private static final int BATCH = 16;
    /** The job's name ({@link BackgroundJobs}): each photo taken in hand is a run. */
    static final String JOB = "thumbnails";
    /** How long a node's claim on a thumbnail holds: far longer than making one takes (a tenth of a second). */
    static final Duration CLAIM = Duration.ofMinutes(2);

    /** A stored photo whose content cannot be read: settled without a thumbnail, and a failed run. */
    private static final class Unreadable extends IOException {
        Unreadable(IOException cause) {
            super(cause);
        }
    }

    private final ReportPhotos photos;
    private final PhotoStore store;
    private final Thumbnails thumbnails;
    private final Reports reports;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transactions;
    private final AttachmentSettings settings;
    private final BackgroundJobs jobs;
    private final UploadAdmission admission;
    private final Clock clock;
    private final Semaphore nudges = new Semaphore(0);
    private final Set<String> inHand = ConcurrentHashMap.newKeySet();
    private final List<Thread> workers = new ArrayList<>();
    private volatile boolean running;

    MakingThumbnails(ReportPhotos photos, PhotoStore store, Thumbnails thumbnails, Reports reports,
            ApplicationEventPublisher events, TransactionTemplate transactions, AttachmentSettings settings,
            BackgroundJobs jobs, UploadAdmission admission, Clock clock) {
        this.jobs = jobs;
        this.admission = admission;
        this.clock = clock;
        this.photos = photos;
        this.store = store;
        this.thumbnails = thumbnails;
        this.reports = reports;
        this.events = events;
        this.transactions = transactions;
        this.settings = settings;
    }

    /** Tells the job that a photo became due; it makes the thumbnail as soon as a thread of it is free. */
    void nudge() {
        nudges.release();
    }

    @Override
    public synchronized void start() {
        running = true;
        for (int i = 1; i <= settings.thumbnailThreads(); i++) {
            boolean patient = i == 1;
            Thread worker = Thread.ofPlatform().name("thumbnails-" + i).daemon(true).priority(Thread.MIN_PRIORITY)
                    .unstarted(() -> work(patient));
            workers.add(worker);
            worker.start();
        }
    }

    /**
     * Lets each thread finish the thumbnail in hand and end. Not by interrupting them: an interrupt in the
     * middle of file I/O closes the channel, which would break an embedded H2 database's file.
     */
    @Override
    public synchronized void stop() {
        running = false;
        nudges.release(workers.size());
        for (Thread worker : workers) {
            try {
                worker.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        workers.clear();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /**
     * Makes thumbnails until stopped. A {@code patient} thread waits for a lull only as long as the oldest due
     * photo may wait; the others wait for a lull whatever the photos' age.
     */
    private void work(boolean patient) {
        while (running) {
            try {
                Optional<ReportPhotos.DueThumbnail> due = claim(patient);
                if (due.isEmpty()) {
                    nudges.tryAcquire(settings.thumbnailSweep().toMillis(), TimeUnit.MILLISECONDS);
                    continue;
                }
                try {
                    jobs.run(JOB, () -> make(due.get()));
                } catch (Unreadable counted) {
                    // logged and settled; the next photo may well be readable
                } finally {
                    inHand.remove(due.get().sha256());
                }
            } catch (InterruptedException e) {
                return;
            } catch (IOException | RuntimeException e) {
                if (!running) {
                    return;
                }
                log.warn("Thumbnails paused for {} after a failure: {}", settings.thumbnailSweep(), e.toString());
                try {
                    nudges.tryAcquire(settings.thumbnailSweep().toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    /** A due thumbnail this thread may make: not in hand on this node, and claimed in the database. */
    private Optional<ReportPhotos.DueThumbnail> claim(boolean patient) throws InterruptedException {
        List<ReportPhotos.DueThumbnail> dues = photos.dueThumbnails(BATCH, OffsetDateTime.now(clock));
        if (dues.isEmpty()) {
            return Optional.empty();
        }
        // decoding takes a core that a rush of uploads needs more: wait for a lull, the patient thread as long as
        // the oldest may wait, the others (looking at the database again now and then) until there is one
        Instant oldestMayWait = dues.getFirst().since().toInstant().plus(settings.thumbnailPatience());
        boolean lull = admission.awaitLull(settings.thumbnailLull(),
                patient ? oldestMayWait : Instant.now().plus(settings.thumbnailSweep()));
        if (!lull && !patient) {
            return Optional.empty();
        }
        OffsetDateTime now = OffsetDateTime.now(clock);
        for (ReportPhotos.DueThumbnail due : dues) {
            if (inHand.add(due.sha256())) {
                boolean claimed = false;
                try {
                    claimed = photos.claimThumbnail(due.sha256(), now, now.plus(CLAIM));
                    if (claimed) {
                        return Optional.of(due);
                    }
                } finally {
                    // not claimed, or the claim threw (the database busy): this node must not keep it out of reach
                    if (!claimed) {
                        inHand.remove(due.sha256());
                    }
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Makes and stores the thumbnail of one photo, or settles it without one when the image cannot be decoded
     * (damaged, over the pixel limit: the photo's fault, not the job's). Content that cannot be read from the
     * store is settled without one too, and throws {@link Unreadable}: the store failed.
     */
    private Void make(ReportPhotos.DueThumbnail due) throws IOException {
        String key = ReportPhoto.thumbnailKey(due.sha256());
        if (store.contains(key)) {
            made(due.sha256());
            return null;
        }
        Optional<Path> thumbnail;
        try (InputStream content = store.open(due.sha256())) {
            thumbnail = thumbnails.of(content, due.type(), due.sha256());
        } catch (IOException unreadable) {
            log.warn("No thumbnail for {}: its content cannot be read ({})", due.sha256(), unreadable.toString());
            photos.thumbnailSettled(due.sha256(), false);
            throw new Unreadable(unreadable);
        }
        if (thumbnail.isEmpty()) {
            photos.thumbnailSettled(due.sha256(), false);
            return null;
        }
        try {
            store.put(key, thumbnail.get());
        } finally {
            Files.deleteIfExists(thumbnail.get());
        }
        made(due.sha256());
        return null;
    }

    /** Settles the thumbnails of the photos with this content as made, telling sync about each photo. */
    private void made(String sha256) {
        transactions.executeWithoutResult(status -> {
            for (ReportPhoto photo : photos.dueWithContent(sha256)) {
                reports.siteOf(photo.reportId()).ifPresent(site -> events.publishEvent(
                        new ThumbnailMade(photo.id(), photo.reportId(), site)));
            }
            photos.thumbnailSettled(sha256, true);
        });
    }
}
