package app.fieldbook.sync.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Fieldbook server in a JVM of its own, started from the test class path, so that a test can kill
 * it the hard way ({@code kill -9}) in the middle of a request and start it again on the same data.
 */
final class ServerProcess implements AutoCloseable {

    private final int port;
    private final Map<String, Object> properties;
    private final Path log;
    private volatile Process process;

    ServerProcess(int port, Map<String, Object> properties, Path log) {
        this.port = port;
        this.properties = properties;
        this.log = log;
    }

    int port() {
        return port;
    }

    void start() throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx512m", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), "app.fieldbook.FieldbookApplication",
                "--server.port=" + port, "--spring.profiles.active=test", "--logging.level.root=WARN"));
        properties.forEach((name, value) -> command.add("--" + name + "=" + value));
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        // a machine shared by several builds may take minutes to start it
        awaitHealthy(Duration.ofMinutes(5));
    }

    /**
     * The server's threads, virtual ones included, as {@code jcmd Thread.dump_to_file} writes them: what a
     * request that does not end waits for.
     */
    String threadDump() {
        try {
            Path dump = Files.createTempFile(log.getParent(), "threads", ".txt");
            Files.delete(dump);
            String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
            Process dumping = new ProcessBuilder(jcmd, Long.toString(process.pid()), "Thread.dump_to_file",
                    dump.toString()).redirectErrorStream(true).start();
            String said = new String(dumping.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            dumping.waitFor(1, java.util.concurrent.TimeUnit.MINUTES);
            return Files.exists(dump) ? Files.readString(dump) : "(no thread dump: " + said + ")";
        } catch (IOException e) {
            return "(no thread dump: " + e + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(no thread dump: interrupted)";
        }
    }

    /** Kills the server without letting it finish anything, like a power cut of its process. */
    void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor();
        }
    }

    private void awaitHealthy(Duration limit) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        Instant deadline = Instant.now().plus(limit);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("The server process ended; the end of its log:\n" + tail(log));
            }
            try {
                HttpResponse<Void> health = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/actuator/health")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (health.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("The server did not become healthy within " + limit + "; the end of its log:\n"
                + tail(log));
    }

    /** The last lines of the log (the test's temporary directory goes when it ends). */
    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException | UncheckedIOException unreadable) {
            return "(" + log + " unreadable: " + unreadable + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }
}
