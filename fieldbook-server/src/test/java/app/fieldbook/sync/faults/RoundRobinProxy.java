package app.fieldbook.sync.faults;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.IntConsumer;

/**
 * A load balancer on loopback in front of several server nodes, as small as a test's can be: it sends every
 * HTTP/1.1 request to the next node in turn (not every connection: a client keeps its connections alive, and
 * its requests must still alternate), over a connection of its own to that node for that one request, and
 * passes the answer back. A node whose port refuses the connection (killed, not started again yet) is skipped
 * for the next, as a load balancer takes a dead node out, so a request sent again after a node died lands on a
 * live one. A request's body is passed on as it arrives: a request cut inside its body in front of this proxy
 * reaches the node cut. A node that dies while it holds a request ends the client's connection, as the node's
 * own end would have.
 *
 * <p>It records which node answered what ({@link #served()}), and can call a hook when a push has reached a
 * node whole ({@link #onPushForwarded}), before its answer is read: a test kills the node there, in the middle
 * of the push.
 */
final class RoundRobinProxy implements AutoCloseable {

    /**
     * One request a node was sent: the node's index, the request line, the answer's status, or 0 when there was
     * none (the client went away inside the request, or the node died holding it).
     */
    record Served(int node, String requestLine, int status) {
    }

    private static final byte[] NO_NODE = ("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);

    private final ServerSocket listener;
    private final List<Integer> nodes;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicInteger turn = new AtomicInteger();
    private final AtomicIntegerArray refused;
    private final List<Served> served = new ArrayList<>();
    private final Set<Socket> live = ConcurrentHashMap.newKeySet();
    private volatile IntConsumer onPushForwarded = node -> {
    };

    RoundRobinProxy(List<Integer> nodes) throws IOException {
        this.listener = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        this.nodes = List.copyOf(nodes);
        this.refused = new AtomicIntegerArray(nodes.size());
        threads.submit(this::accept);
    }

    int port() {
        return listener.getLocalPort();
    }

    /** Every request a node was sent, in the order they ended. */
    List<Served> served() {
        synchronized (served) {
            return List.copyOf(served);
        }
    }

    /** How many requests each node answered. */
    int[] answeredPerNode() {
        int[] answered = new int[nodes.size()];
        served().stream().filter(request -> request.status() > 0).forEach(request -> answered[request.node()]++);
        return answered;
    }

    /** How many requests each node was sent, answered or not. */
    int[] sentPerNode() {
        int[] sent = new int[nodes.size()];
        served().forEach(request -> sent[request.node()]++);
        return sent;
    }

    /** How many times a node refused the connection, so that its turn went to the next. */
    int refusedBy(int node) {
        return refused.get(node);
    }

    /** Called with the node's index once a push's request reached that node whole, before its answer is read. */
    void onPushForwarded(IntConsumer hook) {
        this.onPushForwarded = hook;
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                threads.submit(() -> relay(client));
            } catch (IOException closed) {
                return;
            }
        }
    }

    /** Takes the client's requests one after the other, each to the next node, until either side ends. */
    private void relay(Socket client) {
        live.add(client);
        try (client) {
            InputStream fromClient = new BufferedInputStream(client.getInputStream());
            OutputStream toClient = client.getOutputStream();
            while (true) {
                Head request = Head.read(fromClient);
                if (request == null) {
                    return;
                }
                boolean keepAlive = exchange(request, fromClient, toClient);
                if (!keepAlive) {
                    return;
                }
            }
        } catch (IOException | InterruptedException ended) {
            // the client went away, or a node died holding its request: the client's connection ends with it
        } finally {
            live.remove(client);
        }
    }

    /** One request to the next live node and its answer back; answers whether the client's connection goes on. */
    private boolean exchange(Head request, InputStream fromClient, OutputStream toClient)
            throws IOException, InterruptedException {
        int first = Math.floorMod(turn.getAndIncrement(), nodes.size());
        for (int tried = 0; tried < nodes.size(); tried++) {
            int node = (first + tried) % nodes.size();
            Socket server = new Socket();
            live.add(server);
            try (server) {
                try {
                    server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), nodes.get(node)), 2000);
                } catch (ConnectException down) {
                    refused.incrementAndGet(node);
                    continue;
                }
                FaultyProxy.Message answer;
                try {
                    OutputStream toServer = server.getOutputStream();
                    toServer.write(request.bytes());
                    request.copyBody(fromClient, toServer);
                    toServer.flush();
                    if (request.line().startsWith("POST /api/v1/sync/push ")) {
                        onPushForwarded.accept(node);
                    }
                    answer = FaultyProxy.Message.read(new BufferedInputStream(server.getInputStream()), true);
                    if (answer == null) {
                        throw new EOFException("node " + node + " ended the connection without an answer");
                    }
                } catch (IOException ended) {
                    record(new Served(node, request.line(), 0));
                    throw ended;
                }
                record(new Served(node, request.line(), status(answer.startLine())));
                toClient.write(answer.bytes());
                toClient.flush();
                return !answer.closes() && !request.closes();
            } finally {
                live.remove(server);
            }
        }
        toClient.write(NO_NODE);
        toClient.flush();
        return false;
    }

    private void record(Served request) {
        synchronized (served) {
            served.add(request);
        }
    }

    private static int status(String statusLine) {
        String[] parts = statusLine.split(" ");
        return parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
    }

    @Override
    public void close() throws IOException {
        listener.close();
        live.forEach(socket -> {
            try {
                socket.close();
            } catch (IOException ignored) {
                // already gone
            }
        });
        threads.shutdownNow();
    }

    /**
     * A request's line and header fields as they arrived, and how its body is framed: a {@code Content-Length}, or
     * chunks.
     */
    private record Head(byte[] bytes, String line, long contentLength, boolean chunked, boolean closes) {

        /** The next request's head, or null when the client ended the connection between requests. */
        static Head read(InputStream in) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            String line = null;
            long contentLength = 0;
            boolean chunked = false;
            boolean closes = false;
            while (true) {
                String field = FaultyProxy.Message.line(in, bytes, line == null);
                if (field == null) {
                    return null;
                }
                if (line == null) {
                    if (!field.isEmpty()) {
                        line = field;
                    }
                    continue;
                }
                if (field.isEmpty()) {
                    return new Head(bytes.toByteArray(), line, contentLength, chunked, closes);
                }
                int colon = field.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String name = field.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = field.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
                switch (name) {
                    case "content-length" -> contentLength = Long.parseLong(value);
                    case "transfer-encoding" -> chunked = value.contains("chunked");
                    case "connection" -> closes = value.contains("close");
                    default -> {
                    }
                }
            }
        }

        /** Passes the body on as it arrives; the client's end inside it is an {@link EOFException}. */
        void copyBody(InputStream in, OutputStream out) throws IOException {
            if (!chunked) {
                copy(in, out, contentLength);
                return;
            }
            while (true) {
                ByteArrayOutputStream sizeLine = new ByteArrayOutputStream();
                String size = FaultyProxy.Message.line(in, sizeLine, false);
                out.write(sizeLine.toByteArray());
                int semicolon = size.indexOf(';');
                long length = Long.parseLong((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
                if (length == 0) {
                    ByteArrayOutputStream trailer = new ByteArrayOutputStream();
                    while (!FaultyProxy.Message.line(in, trailer, false).isEmpty()) {
                        // trailer fields
                    }
                    out.write(trailer.toByteArray());
                    return;
                }
                copy(in, out, length + 2);
            }
        }

        private static void copy(InputStream in, OutputStream out, long length) throws IOException {
            byte[] buffer = new byte[8192];
            long left = length;
            while (left > 0) {
                int read = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (read < 0) {
                    throw new EOFException("The client ended the connection inside a request's body");
                }
                out.write(buffer, 0, read);
                out.flush();
                left -= read;
            }
        }
    }
}
