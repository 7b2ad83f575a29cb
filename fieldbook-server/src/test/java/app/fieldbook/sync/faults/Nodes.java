package app.fieldbook.sync.faults;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The server nodes of a {@link SyncFaultScenario}, each a {@link ServerProcess} on one database, and how the
 * devices reach them. With one node a device's network leads straight to it, and a kill stops the service
 * until the node is started again. With several, each device's network leads to a {@link RoundRobinProxy} of its
 * own, so that the device's requests alternate between the nodes, and the test's own requests (the fixtures, the
 * manager) go through one more; a kill takes one node at a time, in turns, in the middle of a push, and the
 * others serve the rest of the round's syncs alone. The killed node is started again after them, as the one
 * node is.
 */
final class Nodes implements AutoCloseable {

    private final Map<String, Object> database;
    private final List<ServerProcess> servers;
    private final List<RoundRobinProxy> balancers = new ArrayList<>();
    private final Random random;
    private RoundRobinProxy front;
    private ServerProcess killed;
    private int kills;
    /** Kills that struck a node holding a push it had received whole, before its answer was read. */
    final AtomicInteger killsInAPush = new AtomicInteger();

    /**
     * Nodes to be started on the database of {@code database} (the properties a test reads it with), random
     * draws from {@code seed}.
     */
    Nodes(Map<String, Object> database, List<ServerProcess> servers, long seed) {
        this.database = Map.copyOf(database);
        this.servers = List.copyOf(servers);
        this.random = new Random(seed);
    }

    /** Starts every node, one after the other (the first migrates the database). */
    void start() throws IOException, InterruptedException {
        for (ServerProcess server : servers) {
            long started = System.nanoTime();
            server.start();
            System.out.printf("node %d started in %d ms%n", servers.indexOf(server),
                    (System.nanoTime() - started) / 1_000_000);
        }
        if (servers.size() > 1) {
            front = new RoundRobinProxy(ports());
        }
    }

    /** The properties the servers' database is read with. */
    Map<String, Object> database() {
        return database;
    }

    /** Where the test's own requests go: the one node, or the round-robin proxy in front of them all. */
    int port() {
        return front == null ? servers.getFirst().port() : front.port();
    }

    /** Where a device's network leads: the one node, or a round-robin proxy of the device's own. */
    int entry() throws IOException {
        if (servers.size() == 1) {
            return servers.getFirst().port();
        }
        RoundRobinProxy balancer = new RoundRobinProxy(ports());
        balancers.add(balancer);
        return balancer.port();
    }

    /** The devices' round-robin proxies, in the order of {@link #entry()}. */
    List<RoundRobinProxy> balancers() {
        return List.copyOf(balancers);
    }

    List<ServerProcess> servers() {
        return servers;
    }

    /**
     * Kills a node with {@code kill -9} after {@code millis}. With one node, then. With several, the next in turn,
     * the moment one of the devices' proxies has passed it a whole push and before that push's answer is read, up
     * to 40 ms later (drawn), so that the node dies with the push being applied, or applied and its answer not
     * sent; when no push reaches it within 10 s, it is killed as it is.
     */
    void killOneAfter(int millis) throws InterruptedException {
        if (servers.size() == 1) {
            Thread.sleep(millis);
            killed = servers.getFirst();
            killed.kill();
            return;
        }
        ServerProcess victim = servers.get(kills++ % servers.size());
        int node = servers.indexOf(victim);
        int pause;
        synchronized (random) {
            pause = random.nextInt(41);
        }
        Thread.sleep(millis);
        AtomicBoolean armed = new AtomicBoolean(true);
        CountDownLatch dead = new CountDownLatch(1);
        for (RoundRobinProxy balancer : balancers) {
            balancer.onPushForwarded(to -> {
                if (to == node && armed.compareAndSet(true, false)) {
                    try {
                        Thread.sleep(pause);
                        victim.kill();
                        killsInAPush.incrementAndGet();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } finally {
                        dead.countDown();
                    }
                }
            });
        }
        boolean inAPush = true;
        if (!dead.await(10, TimeUnit.SECONDS) && armed.compareAndSet(true, false)) {
            inAPush = false;
            victim.kill();
        }
        dead.await(10, TimeUnit.SECONDS);
        for (RoundRobinProxy balancer : balancers) {
            balancer.onPushForwarded(to -> {
            });
        }
        killed = victim;
        System.out.printf("node %d killed (kill -9) %s%n", node,
                inAPush ? "holding a push, " + pause + " ms after it arrived whole" : "with no push in 10 s");
    }

    /** Starts the killed node again, if one was killed. */
    void startKilled() throws IOException, InterruptedException {
        if (killed != null) {
            long started = System.nanoTime();
            killed.start();
            System.out.printf("node %d started again in %d ms%n", servers.indexOf(killed),
                    (System.nanoTime() - started) / 1_000_000);
            killed = null;
        }
    }

    /** Every node's threads, virtual ones included. */
    String threadDumps() {
        StringBuilder dumps = new StringBuilder();
        for (int i = 0; i < servers.size(); i++) {
            dumps.append("node ").append(i).append(":\n").append(servers.get(i).threadDump()).append('\n');
        }
        return dumps.toString();
    }

    private List<Integer> ports() {
        return servers.stream().map(ServerProcess::port).toList();
    }

    @Override
    public void close() throws Exception {
        for (RoundRobinProxy balancer : balancers) {
            balancer.close();
        }
        if (front != null) {
            front.close();
        }
        for (ServerProcess server : servers) {
            server.close();
        }
    }
}
