package app.fieldbook;

import static app.fieldbook.Fixtures.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.ContextConfiguration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The nginx configuration of {@code deploy/nginx} as Debian's nginx reads it: {@code nginx -t} accepts it (with a
 * certificate made for the test, the ports and nodes' addresses put in), and requests pass through it to this
 * running server (behind a proxy, as the {@code prod} profile runs it: {@code server.forward-headers-strategy=native}):
 * plain HTTP is sent to HTTPS, a photo larger than nginx's default 1 MB body limit is stored, HSTS is said once, and
 * the server sees that the request came over TLS (its {@code __Host-} session cookie). Skipped where nginx is not
 * installed ({@code .ci/run} installs it).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "server.forward-headers-strategy=native")
@ContextConfiguration(initializers = TestDatabase.class)
@ActiveProfiles("test")
class NginxConfigurationTest {

    private static final Path CONFIGURATION = Path.of("..", "deploy", "nginx", "fieldbook.conf");
    private static final Path NGINX = Path.of("/usr/sbin/nginx");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @TempDir
    Path directory;

    private Process nginx;
    private int httpPort;
    private int httpsPort;
    private HttpClient client;

    @BeforeEach
    void configureNginx() throws Exception {
        assumeTrue(Files.isExecutable(NGINX), "nginx is not installed at " + NGINX + " (.ci/run installs it)");
        // nginx's workers (another user when the test runs as root) read and write below this directory
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path certificate = directory.resolve("fullchain.pem");
        Path key = directory.resolve("privkey.pem");
        run(List.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                "-keyout", key.toString(), "-out", certificate.toString()));
        httpPort = freePort();
        httpsPort = freePort();

        String site = Files.readString(CONFIGURATION);
        site = replaceOnce(site, "ssl_certificate /etc/ssl/fieldbook/fullchain.pem;", "ssl_certificate " + certificate + ";");
        site = replaceOnce(site, "ssl_certificate_key /etc/ssl/fieldbook/privkey.pem;", "ssl_certificate_key " + key + ";");
        site = replaceOnce(site, "listen 80;", "listen 127.0.0.1:" + httpPort + ";");
        site = replaceOnce(site, "listen [::]:80;", "");
        site = replaceOnce(site, "listen 443 ssl http2;", "listen 127.0.0.1:" + httpsPort + " ssl http2;");
        site = replaceOnce(site, "listen [::]:443 ssl http2;", "");
        Matcher nodes = Pattern.compile("server 10\\.0\\.0\\.\\d+:8080").matcher(site);
        StringBuilder toThisServer = new StringBuilder();
        int count = 0;
        while (nodes.find()) {
            nodes.appendReplacement(toThisServer, "server 127.0.0.1:" + port);
            count++;
        }
        nodes.appendTail(toThisServer);
        assertThat(count).as("the upstream's nodes").isGreaterThanOrEqualTo(2);
        Files.writeString(directory.resolve("fieldbook.conf"), toThisServer.toString());
        // what Debian's /etc/nginx/nginx.conf gives the site files, with the paths of a process of the test's own
        Files.writeString(directory.resolve("nginx.conf"), """
                pid %1$s/nginx.pid;
                error_log %1$s/error.log;
                worker_processes 1;
                events {
                    worker_connections 64;
                }
                http {
                    access_log %1$s/access.log;
                    client_body_temp_path %1$s/body;
                    proxy_temp_path %1$s/proxy;
                    fastcgi_temp_path %1$s/fastcgi;
                    uwsgi_temp_path %1$s/uwsgi;
                    scgi_temp_path %1$s/scgi;
                    include %1$s/fieldbook.conf;
                }
                """.formatted(directory));

        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        try (InputStream in = Files.newInputStream(certificate)) {
            trusted.setCertificateEntry("nginx", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trust.getTrustManagers(), null);
        client = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterEach
    void stopNginx() throws InterruptedException {
        if (nginx != null) {
            nginx.destroy();
            if (!nginx.waitFor(10, TimeUnit.SECONDS)) {
                nginx.destroyForcibly();
            }
        }
    }

    @Test
    void nginxAcceptsTheConfiguration() throws Exception {
        run(nginxCommand("-t"));
    }

    @Test
    void plainHttpIsSentToHttps() throws Exception {
        startNginx();
        HttpResponse<String> answer = client.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + httpPort + "/reports?day=2026-11-02")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(301);
        assertThat(answer.headers().firstValue("Location")).hasValue("https://127.0.0.1/reports?day=2026-11-02");
    }

    @Test
    void aPhotoLargerThanNginxsDefaultLimitIsStoredThroughTheProxy() throws Exception {
        startNginx();
        Fixtures world = new Fixtures(port);
        String site = world.site();
        Fixtures.Person worker = world.worker(site);
        String report = Fixtures.draft(worker, site, LocalDate.of(2026, 11, 2));
        byte[] photo = noisyPng(720, 720);
        assertThat(photo.length).as("bytes of the photo").isGreaterThan(1024 * 1024);

        HttpResponse<String> stored = client.send(viaTls("/api/v1/reports/" + report + "/photos")
                .header("Authorization", "Bearer " + worker.api().token())
                .header("Content-Type", "image/png")
                .POST(HttpRequest.BodyPublishers.ofByteArray(photo)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(stored.statusCode()).as(stored.body()).isEqualTo(201);
        String id = JSON.readTree(stored.body()).path("id").asString();

        HttpResponse<byte[]> content = client.send(viaTls("/api/v1/photos/" + id + "/content")
                .header("Authorization", "Bearer " + worker.api().token()).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(content.statusCode()).isEqualTo(200);
        assertThat(content.body()).isEqualTo(photo);
    }

    @Test
    void theServerSeesThatTheRequestCameOverTlsAndHstsIsSaidOnce() throws Exception {
        startNginx();
        HttpResponse<String> opened = client.send(viaTls("/api/v1/auth/session")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(
                        Map.of("login", "test-admin", "password", "granite-kettle-orbit")))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(opened.statusCode()).as(opened.body()).isEqualTo(200);
        assertThat(opened.headers().allValues("Set-Cookie"))
                .as("the session cookie the server gives a request that came over TLS (X-Forwarded-Proto)")
                .anySatisfy(cookie -> assertThat(cookie).startsWith("__Host-FIELDBOOK_SESSION=").contains("Secure"));
        assertThat(opened.headers().allValues("Strict-Transport-Security"))
                .containsExactly("max-age=31536000; includeSubDomains");

        HttpResponse<String> probe = client.send(viaTls("/actuator/health/readiness").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(probe.statusCode()).as("the probes are not answered from outside").isEqualTo(404);
        JsonNode ready = expect(Api.anonymous(port).get("/actuator/health/readiness"), 200).body();
        assertThat(ready.path("status").asString()).as("the probe on the node itself").isEqualTo("UP");
    }

    private HttpRequest.Builder viaTls(String path) {
        return HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + httpsPort + path))
                .timeout(Duration.ofSeconds(30));
    }

    private void startNginx() throws Exception {
        nginx = new ProcessBuilder(nginxCommand("-g", "daemon off;"))
                .redirectErrorStream(true).redirectOutput(directory.resolve("nginx.out").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", httpsPort), 200);
                return;
            } catch (IOException notYet) {
                if (!nginx.isAlive() || System.nanoTime() > deadline) {
                    throw new AssertionError("nginx did not start: " + Files.readString(directory.resolve("nginx.out"))
                            + readIfExists(directory.resolve("error.log")));
                }
                Thread.sleep(50);
            }
        }
    }

    private List<String> nginxCommand(String... arguments) {
        List<String> command = new ArrayList<>(List.of(NGINX.toString(), "-p", directory.toString(),
                "-c", directory.resolve("nginx.conf").toString(), "-e", directory.resolve("error.log").toString()));
        command.addAll(List.of(arguments));
        return command;
    }

    private static void run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command) + "\n" + output).isZero();
    }

    private static String replaceOnce(String text, String target, String replacement) {
        int at = text.indexOf(target);
        assertThat(at).as("the configuration has " + target).isNotNegative();
        assertThat(text.indexOf(target, at + 1)).as("the configuration has " + target + " once").isNegative();
        return text.substring(0, at) + replacement + text.substring(at + target.length());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String readIfExists(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file) : "";
    }

    /** A PNG of random pixels, which compression cannot make small: about 3 bytes a pixel. */
    private static byte[] noisyPng(int width, int height) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(UUID.randomUUID().getMostSignificantBits());
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, random.nextInt(0x1000000));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}
