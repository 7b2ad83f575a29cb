package app.fieldbook.identity;

import static app.fieldbook.Fixtures.expect;
import static org.assertj.core.api.Assertions.assertThat;

import app.fieldbook.Api;
import app.fieldbook.AuthenticatorApp;
import app.fieldbook.Fixtures;
import app.fieldbook.Fixtures.Person;
import app.fieldbook.FullStackTest;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.logging.logback.StructuredLogEncoder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the server logs: an access line per request, refused ones included, with its request id and the
 * person's id; and never a password, a bearer token, an authenticator key or a recovery code, not even with
 * every logger at DEBUG while people sign in, enrol, change passwords and send malformed bodies holding them.
 */
@FullStackTest
@ExtendWith(OutputCaptureExtension.class)
class LogsTest {

    @LocalServerPort
    int port;

    @Autowired
    LoggingSystem logging;

    @BeforeEach
    void everyLoggerAtDebug() {
        logging.setLogLevel(LoggingSystem.ROOT_LOGGER_NAME, LogLevel.DEBUG);
        logging.setLogLevel("app.fieldbook", LogLevel.DEBUG);
        logging.setLogLevel("fieldbook.access", LogLevel.INFO);
    }

    @AfterEach
    void loggersBack() {
        logging.setLogLevel(LoggingSystem.ROOT_LOGGER_NAME, LogLevel.WARN);
        logging.setLogLevel("app.fieldbook", LogLevel.INFO);
        logging.setLogLevel("fieldbook.access", null);
    }

    @Test
    void eachRequestHasAnAccessLineWithItsRequestIdAndPersonAndNoQueryString(CapturedOutput output) {
        Fixtures world = new Fixtures(port);
        Person worker = world.worker(world.site());
        expect(worker.api().send("GET", "/api/v1/reports?status=DRAFT&secret=query-never-logged", null,
                Map.of("X-Request-Id", "logs-test-listing")), 200);
        expect(Api.anonymous(port).send("GET", "/api/v1/reports", null, Map.of("X-Request-Id", "logs-test-refused")),
                401);

        String listed = line(output, "logs-test-listing");
        assertThat(listed).contains("GET /api/v1/reports 200").contains(worker.id())
                .doesNotContain("query-never-logged").doesNotContain("status=DRAFT");
        assertThat(line(output, "logs-test-refused")).contains("GET /api/v1/reports 401");
    }

    @Test
    void noSecretReachesTheLog(CapturedOutput output) {
        Fixtures world = new Fixtures(port);
        Person worker = world.worker(world.site());
        List<String> secrets = new ArrayList<>(List.of(Fixtures.PASSWORD, worker.api().token()));

        String key = expect(worker.api().post("/api/v1/auth/second-factor/totp", Map.of("password", Fixtures.PASSWORD)), 200).body().path("key").asString();
        AuthenticatorApp app = new AuthenticatorApp(key);
        expect(worker.api().post("/api/v1/auth/second-factor/totp/confirmation", Map.of("code", app.nextCode())), 200)
                .body().path("recoveryCodes").forEach(code -> secrets.add(code.asString()));
        String recoveryCode = secrets.getLast();
        secrets.add(key);
        Api.Answer token = Api.anonymous(port).post("/api/v1/auth/tokens", Map.of("login", worker.login(),
                "password", Fixtures.PASSWORD, "recoveryCode", recoveryCode));
        secrets.add(expect(token, 201).body().path("token").asString());

        String ownPassword = "amber-quarry-whistle-" + worker.id().substring(0, 8);
        expect(worker.api().put("/api/v1/auth/password", Map.of("currentPassword", Fixtures.PASSWORD,
                "newPassword", ownPassword)), 200);
        secrets.add(ownPassword);
        String newPassword = "violet-harbour-lantern-" + worker.id().substring(0, 8);
        Api administrator = world.admin();
        expect(administrator.put("/api/v1/users/" + worker.id() + "/password", Map.of("password", newPassword)), 200);
        secrets.add(newPassword);
        Api.anonymous(port).post("/api/v1/auth/tokens", Map.of("login", worker.login(), "password", "wrong-" + newPassword));
        secrets.add("wrong-" + newPassword);
        Api.anonymous(port).sendJson("POST", "/api/v1/auth/tokens",
                "{\"login\":\"" + worker.login() + "\",\"password\":\"" + newPassword + "\" broken");
        Api.anonymous(port).withToken("fbk_" + "forged-token-never-logged").get("/api/v1/reports");
        secrets.add("forged-token-never-logged");

        assertThat(output.getAll()).as("the captured log").contains("POST /api/v1/auth/tokens");
        for (String secret : secrets) {
            assertThat(output.getAll()).as("a secret in the log").doesNotContain(secret);
        }
    }

    /**
     * The production profile logs one JSON object per line in the format {@code logging.structured.format.console}
     * names there; every line logged while an authenticated request is handled carries its request id and its
     * person's id as fields of their own. Read with Spring Boot's own encoder for that format, on an appender added
     * for the test.
     */
    @Test
    void inTheProductionFormatEveryLineOfARequestCarriesItsRequestIdAndPerson() throws Exception {
        Fixtures world = new Fixtures(port);
        Person worker = world.worker(world.site());
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        StructuredLogEncoder encoder = new StructuredLogEncoder();
        encoder.setContext(context);
        encoder.setFormat(productionConsoleFormat());
        encoder.setCharset(StandardCharsets.UTF_8);
        encoder.start();
        OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
        appender.setContext(context);
        appender.setEncoder(encoder);
        appender.setOutputStream(written);
        appender.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.addAppender(appender);
        try {
            expect(worker.api().send("GET", "/api/v1/reports", null, Map.of("X-Request-Id", "logs-test-json")), 200);
        } finally {
            root.detachAppender(appender);
            appender.stop();
        }

        JsonMapper json = JsonMapper.builder().build();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : written.toString(StandardCharsets.UTF_8).split("\n")) {
            lines.add(json.readTree(line));
        }
        List<JsonNode> ofRequest = lines.stream()
                .filter(line -> "logs-test-json".equals(line.path("requestId").asString(null))).toList();
        assertThat(ofRequest).as("lines of the request, at DEBUG").hasSizeGreaterThan(2);
        assertThat(ofRequest).filteredOn(line -> "fieldbook.access".equals(line.path("log").path("logger").asString(null)))
                .as("its access line").hasSize(1);
        List<JsonNode> afterSignIn = ofRequest.subList(firstWithPerson(ofRequest), ofRequest.size());
        assertThat(afterSignIn).as("the lines once its person is known").hasSizeGreaterThan(1)
                .allSatisfy(line -> assertThat(line.path("userId").asString(null)).isEqualTo(worker.id()));
    }

    private static int firstWithPerson(List<JsonNode> lines) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).has("userId")) {
                return i;
            }
        }
        throw new AssertionError("no line of the request names its person: " + lines);
    }

    /** The console's structured format in the {@code prod} profile of {@code application.yml}. */
    private static String productionConsoleFormat() throws IOException {
        for (PropertySource<?> document : new YamlPropertySourceLoader().load("application.yml",
                new ClassPathResource("application.yml"))) {
            Object format = document.getProperty("logging.structured.format.console");
            if (format != null && "prod".equals(String.valueOf(document.getProperty("spring.config.activate.on-profile")))) {
                return format.toString();
            }
        }
        throw new AssertionError("application.yml's prod profile sets no logging.structured.format.console");
    }

    private static String line(CapturedOutput output, String requestId) {
        return output.getAll().lines().filter(line -> line.contains("[" + requestId))
                .filter(line -> line.contains("fieldbook.access")).findFirst()
                .orElseThrow(() -> new AssertionError("no access line of request " + requestId));
    }
}
