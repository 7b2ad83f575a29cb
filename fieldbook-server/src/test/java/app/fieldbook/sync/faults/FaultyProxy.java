package app.fieldbook.sync.faults;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on loopback between a device and the server that misbehaves like a bad mobile network.
 * It reads the HTTP/1.1 exchanges that cross it, so that its cuts land where they hurt, at a point
 * drawn within the bytes of that one exchange (a kept-alive connection carries many): a request cut
 * inside its body (an upload chunk half sent), an answer cut inside its bytes, or an answer withheld
 * whole after the server committed the request. It also delays answers, resets connections instead of
 * closing them, sends a connection's requests to the server a second time after the device went away,
 * and can lose the answer of every push while pulls pass ({@link #losePushAnswers(boolean)}). Faults
 * are drawn from a seeded random source.
 */
public final class FaultyProxy implements AutoCloseable {

    /**
     * How often each fault strikes: {@code delay}, {@code cutAnswer}, {@code cutRequest} per exchange
     * ({@code cutRequest} only for requests with a body), {@code reset} per cut, {@code duplicate} per
     * connection.
     */
    public record Faults(double delay, Duration maxDelay, double cutAnswer, double cutRequest, double reset,
            double duplicate) {

        public static Faults none() {
            return new Faults(0, Duration.ZERO, 0, 0, 0, 0);
        }
    }

    /** What happens to one exchange: decided when its request arrives. */
    private record Plan(String requestLine, long delayMillis, boolean cutAnswer, boolean reset) {

        static final Plan NONE = new Plan("", 0, false, false);

        boolean push() {
            return requestLine.startsWith("POST /api/v1/sync/push ");
        }
    }

    private final ServerSocket listener;
    private final int target;
    private final Random random;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private volatile Faults faults;
    private volatile boolean open = true;
    private volatile boolean offline;
    private volatile boolean losePushAnswers;
    private final Set<Socket> live = ConcurrentHashMap.newKeySet();
    public final AtomicInteger connections = new AtomicInteger();
    final AtomicInteger answersCut = new AtomicInteger();
    final AtomicInteger answersWithheld = new AtomicInteger();
    final AtomicInteger pushAnswersLost = new AtomicInteger();
    final AtomicInteger requestsCut = new AtomicInteger();
    final AtomicInteger uploadsCut = new AtomicInteger();
    final AtomicInteger resets = new AtomicInteger();
    final AtomicInteger duplicated = new AtomicInteger();
    final AtomicLong delayedMillis = new AtomicLong();

    public FaultyProxy(int target, Faults faults, long seed) throws IOException {
        this.listener = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        this.target = target;
        this.faults = faults;
        this.random = new Random(seed);
        threads.submit(this::accept);
    }

    public int port() {
        return listener.getLocalPort();
    }

    public Faults faults() {
        return faults;
    }

    public void faults(Faults faults) {
        this.faults = faults;
    }

    /**
     * While on, the answer of every push is lost (cut somewhere in its bytes, often before the first),
     * after the server received the whole request; pulls and uploads pass (subject to the other faults).
     */
    public void losePushAnswers(boolean lose) {
        this.losePushAnswers = lose;
    }

    /** Offline, every connection is closed as soon as it is accepted, as when the network is gone. */
    public void offline(boolean offline) {
        this.offline = offline;
        if (offline) {
            live.forEach(FaultyProxy::abort);
        }
    }

    /** How many faults struck so far, of every kind. */
    int faultsInjected() {
        return answersCut.get() + answersWithheld.get() + pushAnswersLost.get() + requestsCut.get() + duplicated.get();
    }

    String describeFaults() {
        return ("%d answers cut inside, %d withheld after the commit, %d push answers lost, %d requests cut (%d in "
                + "upload chunks), %d resets, %d connections replayed, %d ms of delay")
                .formatted(answersCut.get(), answersWithheld.get(), pushAnswersLost.get(), requestsCut.get(),
                        uploadsCut.get(), resets.get(), duplicated.get(), delayedMillis.get());
    }

    private void accept() {
        while (open) {
            try {
                Socket client = listener.accept();
                connections.incrementAndGet();
                threads.submit(() -> relay(client));
            } catch (IOException closed) {
                return;
            }
        }
    }

    /**
     * Relays one connection: requests flow up in one thread, answers down in this one; each request's
     * plan passes from the first to the second in order (HTTP/1.1 answers in the order of the requests).
     */
    private void relay(Socket client) {
        if (offline) {
            abort(client);
            return;
        }
        boolean duplicate = chance(faults.duplicate());
        List<byte[]> forwarded = new ArrayList<>();
        BlockingQueue<Plan> plans = new LinkedBlockingQueue<>();
        live.add(client);
        try (client; Socket server = new Socket()) {
            live.add(server);
            server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), target), 5000);
            var upstream = threads.submit(() -> requests(client, server, plans, forwarded));
            InputStream answers = new BufferedInputStream(server.getInputStream());
            OutputStream toClient = client.getOutputStream();
            while (true) {
                Message answer = Message.read(answers, true);
                if (answer == null) {
                    // the server ended the connection (idle, or killed): so does the device's side
                    break;
                }
                Plan plan = plans.poll(5, TimeUnit.SECONDS);
                plan = plan == null ? Plan.NONE : plan;
                if (plan.delayMillis() > 0) {
                    delayedMillis.addAndGet(plan.delayMillis());
                    Thread.sleep(plan.delayMillis());
                }
                boolean lost = losePushAnswers && plan.push();
                if (plan.cutAnswer() || lost) {
                    int at = chance(1.0 / 3) ? 0 : 1 + (int) random(answer.bytes().length - 1);
                    toClient.write(answer.bytes(), 0, at);
                    toClient.flush();
                    (lost ? pushAnswersLost : at == 0 ? answersWithheld : answersCut).incrementAndGet();
                    end(client, server, plan.reset());
                    break;
                }
                toClient.write(answer.bytes());
                toClient.flush();
                if (answer.closes()) {
                    break;
                }
            }
            upstream.cancel(true);
        } catch (Exception ignored) {
            // a broken connection is what this proxy is for
        } finally {
            live.remove(client);
            live.removeIf(Socket::isClosed);
        }
        if (duplicate) {
            List<byte[]> requests;
            synchronized (forwarded) {
                requests = List.copyOf(forwarded);
            }
            if (!requests.isEmpty()) {
                duplicated.incrementAndGet();
                replay(requests);
            }
        }
    }

    /** Reads the device's requests one by one, plans each, and forwards it whole or cut inside its body. */
    private void requests(Socket client, Socket server, BlockingQueue<Plan> plans, List<byte[]> forwarded) {
        try {
            InputStream in = new BufferedInputStream(client.getInputStream());
            OutputStream toServer = server.getOutputStream();
            while (true) {
                Message request = Message.read(in, false);
                if (request == null) {
                    server.shutdownOutput();
                    return;
                }
                Faults now = faults;
                boolean hasBody = request.bytes().length > request.bodyStart();
                if (hasBody && chance(now.cutRequest())) {
                    int bodyLength = request.bytes().length - request.bodyStart();
                    int at = request.bodyStart() + (int) random(bodyLength);
                    toServer.write(request.bytes(), 0, at);
                    toServer.flush();
                    requestsCut.incrementAndGet();
                    if (request.startLine().startsWith("PATCH /api/v1/sync/uploads/")) {
                        uploadsCut.incrementAndGet();
                    }
                    end(client, server, chance(now.reset()));
                    return;
                }
                long delay = chance(now.delay()) ? random(Math.max(1, now.maxDelay().toMillis())) : 0;
                plans.add(new Plan(request.startLine(), delay, chance(now.cutAnswer()), chance(now.reset())));
                toServer.write(request.bytes());
                toServer.flush();
                synchronized (forwarded) {
                    forwarded.add(request.bytes());
                }
            }
        } catch (IOException ended) {
            // either side went away
        }
    }

    /** Sends the captured requests to the server again and throws the answers away. */
    private void replay(List<byte[]> requests) {
        try (Socket server = new Socket()) {
            server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), target), 5000);
            server.setSoTimeout(30_000);
            OutputStream out = server.getOutputStream();
            for (byte[] request : requests) {
                out.write(request);
            }
            server.shutdownOutput();
            server.getInputStream().transferTo(OutputStream.nullOutputStream());
        } catch (IOException ignored) {
            // the duplicate is a best effort, like the network's
        }
    }

    /** Ends both sides of a connection at once: with a reset for the device when asked. */
    private void end(Socket client, Socket server, boolean reset) {
        if (reset) {
            resets.incrementAndGet();
            abort(client);
        } else {
            close(client);
        }
        close(server);
    }

    private static void abort(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
            socket.close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    private static void close(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    private boolean chance(double probability) {
        if (probability <= 0) {
            return false;
        }
        synchronized (random) {
            return random.nextDouble() < probability;
        }
    }

    private long random(long bound) {
        if (bound <= 0) {
            return 0;
        }
        synchronized (random) {
            return random.nextLong(bound);
        }
    }

    @Override
    public void close() throws IOException {
        open = false;
        listener.close();
        live.forEach(FaultyProxy::close);
        threads.shutdownNow();
    }

    /**
     * One HTTP/1.1 message as it crossed the wire, framed by its Content-Length, its chunks, or (an
     * answer with neither) the end of the connection.
     *
     * @param bodyStart where the body begins in {@code bytes}
     * @param closes whether the connection ends after it
     */
    record Message(byte[] bytes, int bodyStart, String startLine, boolean closes) {

        /** The next message, or null when the connection ended before its first byte. */
        static Message read(InputStream in, boolean answer) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            String startLine = null;
            long contentLength = -1;
            boolean chunked = false;
            boolean close = false;
            while (true) {
                String line = line(in, bytes, startLine == null && bytes.size() == 0);
                if (line == null) {
                    return null;
                }
                if (startLine == null) {
                    if (line.isEmpty()) {
                        continue;
                    }
                    startLine = line;
                    continue;
                }
                if (line.isEmpty()) {
                    break;
                }
                int colon = line.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = line.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
                switch (name) {
                    case "content-length" -> contentLength = Long.parseLong(value);
                    case "transfer-encoding" -> chunked = value.contains("chunked");
                    case "connection" -> close = value.contains("close");
                    default -> {
                    }
                }
            }
            int bodyStart = bytes.size();
            boolean noBody = answer && noBody(startLine);
            if (noBody) {
                // nothing follows the head
            } else if (chunked) {
                while (true) {
                    String size = line(in, bytes, false);
                    int semicolon = size.indexOf(';');
                    long length = Long.parseLong((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
                    if (length == 0) {
                        while (!line(in, bytes, false).isEmpty()) {
                            // trailers
                        }
                        break;
                    }
                    copy(in, bytes, length);
                    line(in, bytes, false);
                }
            } else if (contentLength >= 0) {
                copy(in, bytes, contentLength);
            } else if (answer) {
                in.transferTo(bytes);
                close = true;
            }
            return new Message(bytes.toByteArray(), bodyStart, startLine, close);
        }

        private static boolean noBody(String statusLine) {
            String[] parts = statusLine.split(" ");
            int status = parts.length > 1 ? Integer.parseInt(parts[1]) : 200;
            return status < 200 || status == 204 || status == 304;
        }

        /**
         * Reads a line ending in CRLF into {@code bytes} and answers it without the end; null at a clean end.
         * {@link RoundRobinProxy} reads its requests' heads with it too.
         */
        static String line(InputStream in, ByteArrayOutputStream bytes, boolean mayEnd) throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int previous = -1;
            while (true) {
                int next = in.read();
                if (next == -1) {
                    if (mayEnd && line.size() == 0) {
                        return null;
                    }
                    throw new EOFException("The connection ended inside a message");
                }
                bytes.write(next);
                if (previous == '\r' && next == '\n') {
                    byte[] text = line.toByteArray();
                    return new String(text, 0, text.length - 1, StandardCharsets.ISO_8859_1);
                }
                line.write(next);
                previous = next;
            }
        }

        private static void copy(InputStream in, ByteArrayOutputStream bytes, long length) throws IOException {
            byte[] body = in.readNBytes((int) length);
            bytes.write(body);
            if (body.length < length) {
                throw new EOFException("The connection ended inside a body");
            }
        }
    }
}
