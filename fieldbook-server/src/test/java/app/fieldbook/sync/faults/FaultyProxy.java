package app.fieldbook.sync.faults;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on loopback between the clients and the server that misbehaves like a bad mobile network:
 * it delays data, drops connections in the middle of an answer, resets them, and sends a connection's
 * requests to the server a second time after the client went away. Faults are drawn from a seeded
 * random source, so a run can be repeated.
 */
public final class FaultyProxy implements AutoCloseable {

    /** How often each fault strikes, per connection. */
    public record Faults(double delay, Duration maxDelay, double dropAnswer, double reset, double duplicate) {

        public static Faults none() {
            return new Faults(0, Duration.ZERO, 0, 0, 0);
        }
    }

    private final ServerSocket listener;
    private final int target;
    private final Random random;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private volatile Faults faults;
    private volatile boolean open = true;
    private volatile boolean offline;
    private final java.util.Set<Socket> live = java.util.concurrent.ConcurrentHashMap.newKeySet();
    public final AtomicInteger connections = new AtomicInteger();
    final AtomicInteger dropped = new AtomicInteger();
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

    public void faults(Faults faults) {
        this.faults = faults;
    }

    /** Offline, every connection is closed as soon as it is accepted, as when the network is gone. */
    public void offline(boolean offline) {
        this.offline = offline;
        if (offline) {
            for (Socket socket : live) {
                try {
                    socket.setSoLinger(true, 0);
                    socket.close();
                } catch (IOException ignored) {
                    // already gone
                }
            }
        }
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

    private void relay(Socket client) {
        if (offline) {
            try {
                client.setSoLinger(true, 0);
                client.close();
            } catch (IOException ignored) {
                // already gone
            }
            return;
        }
        Faults now = faults;
        boolean drop;
        boolean reset;
        boolean duplicate;
        long delay;
        synchronized (random) {
            drop = random.nextDouble() < now.dropAnswer();
            reset = random.nextDouble() < now.reset();
            duplicate = random.nextDouble() < now.duplicate();
            delay = random.nextDouble() < now.delay() ? (long) (random.nextDouble() * now.maxDelay().toMillis()) : 0;
        }
        ByteArrayOutputStream requests = new ByteArrayOutputStream();
        live.add(client);
        try (client; Socket server = new Socket()) {
            live.add(server);
            server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), target), 5000);
            var upstream = threads.submit(() -> pump(client.getInputStream(), server.getOutputStream(), requests, -1));
            if (delay > 0) {
                delayedMillis.addAndGet(delay);
                Thread.sleep(delay);
            }
            long cut = drop ? 1 + random(200) : -1;
            boolean cutShort = pump(server.getInputStream(), client.getOutputStream(), null, cut);
            if (cutShort) {
                dropped.incrementAndGet();
                if (reset) {
                    resets.incrementAndGet();
                    client.setSoLinger(true, 0);
                }
                return;
            }
            // the server ended the connection (an answer with "close", or the server died): so does the
            // client's side, or the client would wait on a connection that can never answer
            upstream.cancel(true);
        } catch (Exception ignored) {
            // a broken connection is what this proxy is for
        } finally {
            live.removeIf(Socket::isClosed);
        }
        if (duplicate && requests.size() > 0) {
            duplicated.incrementAndGet();
            replay(requests.toByteArray());
        }
    }

    /** Sends the captured requests to the server again and throws the answers away. */
    private void replay(byte[] requests) {
        try (Socket server = new Socket()) {
            server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), target), 5000);
            server.setSoTimeout(30_000);
            server.getOutputStream().write(requests);
            server.shutdownOutput();
            server.getInputStream().transferTo(OutputStream.nullOutputStream());
        } catch (IOException ignored) {
            // the duplicate is a best effort, like the network's
        }
    }

    /** Copies until the end or until {@code cutAfter} bytes; true when it cut the stream short. */
    private static boolean pump(InputStream in, OutputStream out, ByteArrayOutputStream copy, long cutAfter) {
        byte[] buffer = new byte[16 * 1024];
        long total = 0;
        try {
            int read;
            while ((read = in.read(buffer)) != -1) {
                if (cutAfter >= 0 && total + read > cutAfter) {
                    out.write(buffer, 0, (int) (cutAfter - total));
                    out.flush();
                    return true;
                }
                out.write(buffer, 0, read);
                out.flush();
                if (copy != null) {
                    synchronized (copy) {
                        copy.write(buffer, 0, read);
                    }
                }
                total += read;
            }
        } catch (SocketException closed) {
            return false;
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    private long random(int bound) {
        synchronized (random) {
            return random.nextInt(bound);
        }
    }

    @Override
    public void close() throws IOException {
        open = false;
        listener.close();
        threads.shutdownNow();
    }
}
