package app.fieldbook.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The rush's probe as a monitor sees the server: health and a report list, four times a second each, asked by a
 * small JVM of its own ({@link #main}), not by Gatling. Asked from inside Gatling, a probe's latency also holds
 * the time its request waits in the generator, whose event loops are busy writing a thousand phones' photos and
 * whose heap holds them: at 300 phones Gatling's probe saw health p99 7.4 s while a separate client saw at most
 * 0.5 s in the same minute. This process shares only the machine's cores with the generator, as a load
 * balancer's health check does.
 */
final class OutsideProbe implements AutoCloseable {

    private static final Duration PERIOD = Duration.ofMillis(250);
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    /** One answer: when it was asked (epoch milliseconds), what, its status (0 when none came), how long it took. */
    record Sample(long askedAtMillis, String what, int status, long millis) {
    }

    private final Process process;
    private final List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
    private final Thread reader;

    private OutsideProbe(Process process) {
        this.process = process;
        this.reader = Thread.ofPlatform().daemon().name("outside-probe-reader").start(this::read);
    }

    /** Starts the probe's JVM against {@code baseUrl}, asking the list with {@code token}; it stops on {@link #close}. */
    static OutsideProbe start(String baseUrl, String token, Duration limit) {
        String java = ProcessHandle.current().info().command().orElse("java");
        String classes;
        try {
            classes = Path.of(OutsideProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException("where the load tests' classes are: " + e.getMessage(), e);
        }
        ProcessBuilder command = new ProcessBuilder(java, "-Xmx64m", "-XX:+UseSerialGC", "-cp", classes,
                OutsideProbe.class.getName(), baseUrl, String.valueOf(limit.toSeconds()))
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        try {
            Process process = command.start();
            process.getOutputStream().write((token + "\n").getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().flush();
            return new OutsideProbe(process);
        } catch (IOException e) {
            throw new UncheckedIOException("the outside probe did not start", e);
        }
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = lines.readLine()) != null; ) {
                String[] fields = line.split("\t");
                samples.add(new Sample(Long.parseLong(fields[0]), fields[1], Integer.parseInt(fields[2]),
                        Long.parseLong(fields[3])));
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("the outside probe's answers could not be read: " + e);
        }
    }

    /** The latencies of each kind of request asked between two moments (epoch milliseconds), answered or not. */
    Map<String, List<Long>> between(long fromMillis, long toMillis) {
        Map<String, List<Long>> latencies = new TreeMap<>();
        synchronized (samples) {
            for (Sample sample : samples) {
                if (sample.askedAtMillis() >= fromMillis && sample.askedAtMillis() <= toMillis) {
                    latencies.computeIfAbsent(sample.what(), key -> new ArrayList<>()).add(sample.millis());
                }
            }
        }
        return latencies;
    }

    /** Answers that were not 200 between two moments (a probe that failed counts against the server). */
    long failedBetween(long fromMillis, long toMillis) {
        synchronized (samples) {
            return samples.stream().filter(sample -> sample.askedAtMillis() >= fromMillis
                    && sample.askedAtMillis() <= toMillis && sample.status() != 200).count();
        }
    }

    @Override
    public void close() {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(TIMEOUT.toSeconds() + 5, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            reader.join(Duration.ofSeconds(5));
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The probe itself: {@code baseUrl limitSeconds}, the token on the first line of standard input; asks until
     * standard input is closed or the limit has passed, and writes {@code askedAt what status millis} lines.
     */
    public static void main(String[] args) throws Exception {
        String baseUrl = args[0];
        long until = System.nanoTime() + Duration.ofSeconds(Long.parseLong(args[1])).toNanos();
        BufferedReader input = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String token = input.readLine();
        Thread.ofPlatform().daemon().start(() -> {
            try {
                while (input.read() >= 0) {
                    // nothing more is sent: the end of standard input is the signal to stop
                }
            } catch (IOException ignored) {
                // the parent is gone: stop as well
            }
            System.exit(0);
        });
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        HttpRequest health = HttpRequest.newBuilder(URI.create(baseUrl + "/actuator/health")).timeout(TIMEOUT).build();
        HttpRequest list = HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/reports?size=20")).timeout(TIMEOUT)
                .header("Authorization", "Bearer " + token).build();
        while (System.nanoTime() < until) {
            ask(http, "health", health);
            ask(http, "report list", list);
            Thread.sleep(PERIOD);
        }
    }

    private static void ask(HttpClient http, String what, HttpRequest request) throws InterruptedException {
        long askedAt = System.currentTimeMillis();
        long start = System.nanoTime();
        int status;
        try {
            status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            status = 0;
        }
        System.out.println(askedAt + "\t" + what + "\t" + status + "\t" + (System.nanoTime() - start) / 1_000_000);
        System.out.flush();
    }
}
