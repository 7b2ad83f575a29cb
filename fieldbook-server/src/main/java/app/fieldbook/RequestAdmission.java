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
import org.springframework.beans.factory.annotation.Value;
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
 * <p>The lanes are sized to the connection pool: unless set, each gets half of what is left of
 * {@code spring.datasource.hikari.maximum-pool-size} after {@code reserved-connections} (for the background
 * jobs and the photo downloads), so that every admitted request finds a connection at once. A photo upload is
 * a write too, but it gives its turn back while it waits for its own admission and reads its body
 * ({@link #aside}), and takes a turn again for the database steps after it.
 *
 * <p>A request that waits longer than {@code queue-wait} is answered 503 {@code server-busy} with
 * {@code Retry-After}, having done nothing. Not admitted here: what is not under {@code /api/}, and photo
 * downloads (a slow phone may take long to receive one; their few queries are quick, and the reserve is theirs).
 * Why: ADR 0030.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 2)
public class RequestAdmission extends OncePerRequestFilter {

    /**
     * Settings of admission, bound from {@code fieldbook.requests}; a lane left unset is sized to the pool.
     */
    @ConfigurationProperties("fieldbook.requests")
    record Settings(
            Integer concurrentReads,
            Integer concurrentWrites,
            @DefaultValue("4") int reservedConnections,
            @DefaultValue("PT30S") Duration queueWait) {

        Settings {
            if (concurrentReads != null && concurrentReads < 1 || concurrentWrites != null && concurrentWrites < 1) {
                throw new IllegalArgumentException("fieldbook.requests.concurrent-reads and concurrent-writes must be at "
                        + "least 1");
            }
            if (reservedConnections < 0) {
                throw new IllegalArgumentException("fieldbook.requests.reserved-connections must not be negative");
            }
        }

        /** A lane's size: as set, or half of the pool's connections that are not reserved (at least one). */
        int lane(Integer set, int poolSize) {
            return set != null ? set : Math.max(1, (poolSize - reservedConnections) / 2);
        }
    }

    /** Work done with the request's turn given back. */
    @FunctionalInterface
    public interface Aside<T> {
        T run() throws IOException;
    }

    /** A photo's download: not admitted here. */
    private static final Pattern DOWNLOAD = Pattern.compile("/api/v1/photos/[^/]+/(content|thumbnail)");

    /** The turn of the request that this thread serves, while it is admitted. */
    private static final ThreadLocal<Turn> TURN = new ThreadLocal<>();

    private static final Logger log = LoggerFactory.getLogger(RequestAdmission.class);

    private final Settings settings;
    private final Semaphore reads;
    private final Semaphore writes;

    RequestAdmission(Settings settings, @Value("${spring.datasource.hikari.maximum-pool-size:10}") int poolSize) {
        this.settings = settings;
        int readLane = settings.lane(settings.concurrentReads(), poolSize);
        int writeLane = settings.lane(settings.concurrentWrites(), poolSize);
        if (readLane + writeLane + settings.reservedConnections() > poolSize) {
            log.warn("{} reads and {} writes at once, with {} connections reserved, may wait for the pool's {} "
                    + "connections and be answered 503", readLane, writeLane, settings.reservedConnections(), poolSize);
        }
        this.reads = new Semaphore(readLane, true);
        this.writes = new Semaphore(writeLane, true);
    }

    /**
     * Runs {@code work} with the current request's turn given back, then takes a turn again, in arrival order:
     * for work that may take long and needs no database connection (an upload's body from a slow phone). Outside an
     * admitted request it just runs {@code work}. When {@code work} fails the turn is not taken again: the
     * request ends with its error.
     *
     * @throws RejectedRequest 503 {@code server-busy} when no turn came back within {@code queue-wait}
     */
    public static <T> T aside(Aside<T> work) throws IOException {
        Turn turn = TURN.get();
        if (turn == null) {
            return work.run();
        }
        turn.giveBack();
        T result = work.run();
        turn.takeAgain();
        return result;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI();
        return !path.startsWith("/api/") || "GET".equals(request.getMethod()) && DOWNLOAD.matcher(path).matches();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Turn turn = new Turn(isRead(request) ? reads : writes, settings.queueWait());
        if (!turn.take()) {
            log.info("503 for {} {}: waited {} for its turn", request.getMethod(), request.getRequestURI(),
                    settings.queueWait());
            busy(request, response);
            return;
        }
        TURN.set(turn);
        try {
            chain.doFilter(request, response);
        } finally {
            TURN.remove();
            turn.end();
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

    /** Turns free now among the writes (for the tests). */
    int freeWrites() {
        return writes.availablePermits();
    }

    private static boolean isRead(HttpServletRequest request) {
        return "GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod());
    }

    private void busy(HttpServletRequest request, HttpServletResponse response) throws IOException {
        ServerBusy.write(request, response, "Too many requests are waiting; this one waited "
                + settings.queueWait().toSeconds() + " s for its turn. Send it again after the seconds in the "
                + "Retry-After header.");
    }

    /** A request's place in its lane, held or given back. */
    private static final class Turn {

        private final Semaphore lane;
        private final Duration wait;
        private boolean held;

        Turn(Semaphore lane, Duration wait) {
            this.lane = lane;
            this.wait = wait;
        }

        boolean take() {
            try {
                held = lane.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                held = false;
            }
            return held;
        }

        void giveBack() {
            end();
        }

        void takeAgain() {
            if (!take()) {
                log.info("503 after an upload's body: waited {} for its turn again", wait);
                throw RejectedRequest.busy("Too many requests are waiting; this one waited " + wait.toSeconds()
                        + " s for its turn after its body. Send it again after the seconds in the Retry-After header.");
            }
        }

        void end() {
            if (held) {
                held = false;
                lane.release();
            }
        }
    }
}
