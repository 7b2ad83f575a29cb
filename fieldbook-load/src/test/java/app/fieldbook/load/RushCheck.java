package app.fieldbook.load;

import static io.gatling.javaapi.core.CoreDsl.bodyBytes;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * After the rush, as Gatling's own requests (so that anything wrong is a failed request, which the rush's
 * assertions refuse): every acknowledged report must be readable and submitted, every acknowledged photo recorded
 * with its SHA-256 and size and no longer pending, and its content, downloaded, must hash to that SHA-256. Then
 * each photo's thumbnail is waited for, at most {@code thumbnailWait} from the check's start; a photo still without
 * one then is asked for once more with a check that fails.
 */
final class RushCheck {

    /** The virtual users reading back, each taking the next acknowledged submission. */
    static final int CHECKERS = 4;
    private static final Duration THUMBNAIL_POLL = Duration.ofSeconds(2);

    /** A photo read back, whose thumbnail is waited for with its phone's token. */
    private record Checked(String token, String photoId) {
    }

    private final RushTally tally;
    private final Duration thumbnailWait;
    private final AtomicLong began = new AtomicLong();
    private final AtomicLong lastThumbnail = new AtomicLong();
    private final AtomicLong waitedUntil = new AtomicLong();
    private final AtomicInteger pollFailed = new AtomicInteger();
    private final AtomicInteger reports = new AtomicInteger();
    private final AtomicInteger photos = new AtomicInteger();
    private final AtomicInteger thumbnails = new AtomicInteger();
    private final AtomicInteger withoutThumbnail = new AtomicInteger();
    private final Queue<String> lost = new ConcurrentLinkedQueue<>();

    RushCheck(RushTally tally, Duration thumbnailWait) {
        this.tally = tally;
        this.thumbnailWait = thumbnailWait;
    }

    /** The read-back, then the wait for thumbnails; for {@link #CHECKERS} users injected at once. */
    ScenarioBuilder checking() {
        return scenario("check after the rush")
                .exec(session -> {
                    began.compareAndSet(0, System.nanoTime());
                    return next(session.set("checked", List.of()));
                })
                .asLongAs(session -> session.contains("reportId")).on(
                        exec(http("read back report").get("/api/v1/reports/#{reportId}")
                                .header("Authorization", "Bearer #{token}")
                                .check(status().is(200), jsonPath("$.status").is("SUBMITTED")))
                        .exec(session -> counted(session, reports, "report " + session.getString("reportId")))
                        .foreach("#{photos}", "photo").on(
                                exec(http("read back photo").get(session -> "/api/v1/photos/" + photo(session).id())
                                        .header("Authorization", "Bearer #{token}")
                                        .check(status().is(200), jsonPath("$.sha256").is(session -> photo(session).sha256()),
                                                jsonPath("$.sizeBytes").ofLong().is(session -> photo(session).size()),
                                                jsonPath("$.pending").ofBoolean().is(false)))
                                .exec(http("photo content").get(session -> "/api/v1/photos/" + photo(session).id() + "/content")
                                        .header("Authorization", "Bearer #{token}")
                                        .check(status().is(200), bodyBytes().transform(RushCheck::sha256)
                                                .is(session -> photo(session).sha256())))
                                .exec(session -> {
                                    Session read = session;
                                    if (!session.isFailed()) {
                                        // a photo not read back is lost already: its thumbnail is not waited for
                                        List<Checked> checked = new ArrayList<>(session.getList("checked"));
                                        checked.add(new Checked(session.getString("token"), photo(session).id().toString()));
                                        read = session.set("checked", checked);
                                    }
                                    return counted(read, photos, "photo " + photo(session).id());
                                }))
                        .exec(this::next))
                .foreach("#{checked}", "waited").on(
                        exec(session -> {
                            Checked waited = session.get("waited");
                            return session.set("token", waited.token()).set("photoId", waited.photoId())
                                    .set("thumbnail", false);
                        })
                        // a poll answered other than 200 is a failed request, and the wait for this photo ends
                        .asLongAs(session -> !session.getBoolean("thumbnail") && !session.isFailed() && !pastWait()).on(
                                exec(thumbnailMade("thumbnail made?").check(status().is(200),
                                        jsonPath("$.thumbnail").ofBoolean().saveAs("thumbnail")))
                                .doIf(session -> !session.getBoolean("thumbnail") && !session.isFailed())
                                .then(pause(THUMBNAIL_POLL)))
                        // past the wait, one more look, which fails unless the thumbnail exists by now
                        .doIf(session -> !session.getBoolean("thumbnail") && !session.isFailed()).then(
                                exec(thumbnailMade("thumbnail made in time").check(status().is(200),
                                        jsonPath("$.thumbnail").ofBoolean().saveAs("thumbnail"),
                                        jsonPath("$.thumbnail").is("true"))))
                        .exec(session -> {
                            if (session.getBoolean("thumbnail")) {
                                thumbnails.incrementAndGet();
                                lastThumbnail.accumulateAndGet(System.nanoTime(), Math::max);
                            } else if (session.isFailed()) {
                                pollFailed.incrementAndGet();
                            } else {
                                withoutThumbnail.incrementAndGet();
                                waitedUntil.accumulateAndGet(System.nanoTime(), Math::max);
                            }
                            return session.markAsSucceeded();
                        }));
    }

    /**
     * The summary's lines: what was read back, what was lost, and when the thumbnails were all made; of the
     * {@code acknowledged} submissions, any the check never took (acknowledged after the check began, which only
     * the tally's last resort allows, {@link RushTally#finished}) is counted as lost.
     */
    String describe(int acknowledged) {
        long rushEnded = tally.endedAt();
        int waitedFor = thumbnails.get() + withoutThumbnail.get() + pollFailed.get();
        String thumbnailLine = withoutThumbnail.get() == 0 && pollFailed.get() == 0
                ? String.format(Locale.ROOT, "all %d made, seen %.0f s after the rush ended (the check began %.0f s"
                        + " after it)", thumbnails.get(), seconds(rushEnded, lastThumbnail.get()),
                        seconds(rushEnded, began.get()))
                : String.format(Locale.ROOT, "%d of %d made%s%s", thumbnails.get(), waitedFor,
                        withoutThumbnail.get() == 0 ? "" : String.format(Locale.ROOT, "; %d still missing %.0f s after"
                                + " the rush ended (each waited for until %d s after the check began)",
                                withoutThumbnail.get(), seconds(rushEnded, waitedUntil.get()), thumbnailWait.toSeconds()),
                        pollFailed.get() == 0 ? "" : "; " + pollFailed.get() + " not known (the photo's read failed)");
        return String.format(Locale.ROOT, """
                  checked afterwards      %d reports and %d photos read back, content hashed again: %d lost%s%s
                  thumbnails              %s
                """, reports.get(), photos.get(), lost.size() + Math.max(0, acknowledged - reports.get()),
                lost.isEmpty() ? "" : " (first: " + lost.peek() + ")",
                reports.get() >= acknowledged ? ""
                        : "; " + (acknowledged - reports.get()) + " acknowledged submissions never read back",
                thumbnailLine);
    }

    /** The next acknowledged submission into the session, or none left. */
    private Session next(Session session) {
        RushTally.Acknowledged submission = tally.nextToCheck();
        if (submission == null) {
            return session.remove("reportId");
        }
        return session.set("token", submission.token()).set("reportId", submission.reportId().toString())
                .set("photos", submission.photos());
    }

    /** Counts what was read back; what failed is lost, and the session goes on to the next. */
    private Session counted(Session session, AtomicInteger count, String what) {
        count.incrementAndGet();
        if (session.isFailed()) {
            lost.add(what);
        }
        return session.markAsSucceeded();
    }

    private static double seconds(long from, long to) {
        return from == 0 || to == 0 ? 0 : Math.max(0, to - from) / 1e9;
    }

    private boolean pastWait() {
        return System.nanoTime() - began.get() > thumbnailWait.toNanos();
    }

    private static HttpRequestActionBuilder thumbnailMade(String name) {
        return http(name).get("/api/v1/photos/#{photoId}").header("Authorization", "Bearer #{token}");
    }

    private static RushPhotos.Photo photo(Session session) {
        return session.get("photo");
    }

    private static String sha256(byte[] content) {
        return HexFormat.of().formatHex(RushPhotos.sha256().digest(content));
    }
}
