package app.fieldbook;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Admission of API requests: at most {@code concurrent-reads} reading requests (GET, HEAD) and
 * {@code concurrent-writes} others run at once, each lane in arrival order; the rest wait before any work,
 * as parked virtual threads that take no processor and no database connection. Without it a burst of a
 * thousand requests (every phone submitting at 4:30 PM) made a thousand virtual threads runnable at once: the
 * few that held a database connection waited behind all the others for a carrier thread, the pool ran dry,
 * and requests were answered 503 after the pool's wait although the server had only been slow. Reads have a
 * lane of their own, so that a manager's list is not queued behind a rush of submissions.
 *
 * <p>A request that waits longer than {@code queue-wait} is answered 503 {@code server-busy} with
 * {@code Retry-After}, having done nothing. Not admitted here: what is not under {@code /api/}, photo uploads'
 * bodies (they have their own admission, which a slow phone's trickling bytes may hold for long), and photo
 * downloads (a slow phone may take long to receive one; their few queries are quick). Why: ADR 0030.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 2)
class RequestAdmission extends OncePerRequestFilter {

    /** Settings of admission, bound from {@code fieldbook.requests}. */
    @ConfigurationProperties("fieldbook.requests")
    record Settings(
            @DefaultValue("20") int concurrentReads,
            @DefaultValue("20") int concurrentWrites,
            @DefaultValue("PT30S") Duration queueWait) {

        Settings {
            if (concurrentReads < 1 || concurrentWrites < 1) {
                throw new IllegalArgumentException("fieldbook.requests.concurrent-reads and concurrent-writes must be at "
                        + "least 1");
            }
        }
    }

    /** A photo upload's body (REST) or a chunk of one (sync), and a photo's download: not admitted here. */
    private static final Pattern UPLOAD = Pattern.compile("/api/v1/reports/[^/]+/photos");
    private static final Pattern CHUNK = Pattern.compile("/api/v1/sync/uploads/[^/]+");
    private static final Pattern DOWNLOAD = Pattern.compile("/api/v1/photos/[^/]+/(content|thumbnail)");

    private static final Logger log = LoggerFactory.getLogger(RequestAdmission.class);

    private final Settings settings;
    private final Semaphore reads;
    private final Semaphore writes;

    RequestAdmission(Settings settings) {
        this.settings = settings;
        this.reads = new Semaphore(settings.concurrentReads(), true);
        this.writes = new Semaphore(settings.concurrentWrites(), true);
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI();
        return switch (request.getMethod()) {
            case "POST" -> UPLOAD.matcher(path).matches();
            case "PATCH" -> CHUNK.matcher(path).matches();
            case "GET" -> DOWNLOAD.matcher(path).matches();
            default -> false;
        } || !path.startsWith("/api/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Semaphore lane = isRead(request) ? reads : writes;
        boolean admitted;
        try {
            admitted = lane.tryAcquire(settings.queueWait().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            admitted = false;
        }
        if (!admitted) {
            log.info("503 for {} {}: waited {} for its turn", request.getMethod(), request.getRequestURI(),
                    settings.queueWait());
            busy(request, response);
            return;
        }
        try {
            chain.doFilter(request, response);
        } finally {
            lane.release();
        }
    }

    /** Requests waiting for their turn now, reads and writes (an estimate, for the tests). */
    int waiting() {
        return reads.getQueueLength() + writes.getQueueLength();
    }

    /** Whether every write's turn is taken now (for the tests). */
    boolean holdsAllWrites() {
        return writes.availablePermits() == 0;
    }

    private static boolean isRead(HttpServletRequest request) {
        return "GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod());
    }

    private void busy(HttpServletRequest request, HttpServletResponse response) throws IOException {
        ServerBusy.write(request, response, "Too many requests are waiting; this one waited "
                + settings.queueWait().toSeconds() + " s for its turn. Send it again after the seconds in the "
                + "Retry-After header.");
    }
}
