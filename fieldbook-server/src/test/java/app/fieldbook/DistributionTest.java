package app.fieldbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher and the systemd unit of {@code deploy/}: the launcher refuses a Java older than the one the server is
 * compiled for, with a message that says so, and starts the jar with the env file's settings (read as systemd reads
 * an EnvironmentFile: nothing expanded) and its heap; systemd accepts the unit, which runs the server hardened, as
 * its own user, with the photo store of the example settings writable; the example's profile believes the
 * proxy's {@code X-Forwarded-*} headers.
 */
class DistributionTest {

    private static final Path DEPLOY = Path.of("..", "deploy");
    private static final Path LAUNCHER = DEPLOY.resolve("bin/fieldbook");
    private static final Path UNIT = DEPLOY.resolve("systemd/fieldbook.service");
    private static final Path SYSTEMD_ANALYZE = Path.of("/usr/bin/systemd-analyze");

    @TempDir
    Path directory;

    @Test
    void theLauncherAsksForTheJavaTheServerIsCompiledFor() throws IOException {
        Matcher release = Pattern.compile("<maven.compiler.release>(\\d+)</maven.compiler.release>")
                .matcher(Files.readString(Path.of("..", "pom.xml")));
        assertThat(release.find()).isTrue();
        assertThat(Files.readString(LAUNCHER)).contains("\nrequired_java=" + release.group(1) + "\n");
    }

    @Test
    void theLauncherRefusesAnOlderJavaAndSaysWhy() throws Exception {
        Path javaHome = fakeJava("17.0.15");
        Outcome outcome = launch(Map.of("JAVA_HOME", javaHome.toString()), "--env-file", "/dev/null");
        assertThat(outcome.exitCode()).isEqualTo(1);
        assertThat(outcome.output()).contains("Java 21 or newer is needed", "is Java 17", "set JAVA_HOME");
        assertThat(outcome.output()).doesNotContain("launched");
    }

    @Test
    void theLauncherStartsTheJarWithTheEnvFilesSettingsAndTheHeap() throws Exception {
        Path javaHome = fakeJava("25");
        Path jar = Files.writeString(directory.resolve("fieldbook-server.jar"), "a jar");
        Path env = Files.writeString(directory.resolve("fieldbook.env"), """
                # a comment
                SPRING_PROFILES_ACTIVE=prod

                SPRING_DATASOURCE_PASSWORD="a secret with $HOME in it"
                FIELDBOOK_HEAP=512m
                """);
        Outcome outcome = launch(Map.of("JAVA_HOME", javaHome.toString(), "FIELDBOOK_JAR", jar.toString()),
                "--env-file", env.toString(), "--server.port=9090");
        assertThat(outcome.exitCode()).as(outcome.output()).isZero();
        assertThat(outcome.output()).contains("launched -Xms512m -Xmx512m -XX:+ExitOnOutOfMemoryError -jar " + jar
                + " --server.port=9090\n", "profile=prod\n", "password=a secret with $HOME in it\n");
    }

    @Test
    void withoutAHeapNamedTheLauncherFixesItAtThreeQuartersOfTheMemoryFromTheStart() throws Exception {
        Path javaHome = fakeJava("25");
        Path jar = Files.writeString(directory.resolve("fieldbook-server.jar"), "a jar");
        Outcome outcome = launch(Map.of("JAVA_HOME", javaHome.toString(), "FIELDBOOK_JAR", jar.toString()),
                "--env-file", "/dev/null");
        assertThat(outcome.exitCode()).as(outcome.output()).isZero();
        assertThat(outcome.output()).contains("launched -XX:InitialRAMPercentage=75 -XX:MaxRAMPercentage=75 "
                + "-XX:+ExitOnOutOfMemoryError -jar " + jar + "\n");
    }

    @Test
    void theUnitIsOneSystemdAccepts() throws Exception {
        assumeTrue(Files.isExecutable(SYSTEMD_ANALYZE), "systemd-analyze is not installed");
        Path unit = directory.resolve("fieldbook.service");
        Files.writeString(unit, Files.readString(UNIT).replace("ExecStart=/opt/fieldbook/bin/fieldbook",
                "ExecStart=" + LAUNCHER.toAbsolutePath().normalize()));
        Outcome outcome = run(List.of(SYSTEMD_ANALYZE.toString(), "verify", "--man=no", unit.toString()), Map.of());
        assertThat(outcome.exitCode()).as(outcome.output()).isZero();
        assertThat(outcome.output()).as("what systemd-analyze found").isEmpty();
    }

    @Test
    void theUnitRunsTheServerHardenedWithItsPhotoStoreWritable() throws IOException {
        String unit = Files.readString(UNIT);
        assertThat(unit).contains("\nUser=fieldbook\n", "\nProtectSystem=strict\n", "\nNoNewPrivileges=yes\n",
                "\nRestart=on-failure\n", "\nPrivateTmp=yes\n", "\nEnvironment=FIELDBOOK_ENV_FILE=/etc/fieldbook/fieldbook.env\n");
        assertThat(unit).containsPattern("\nLimitNOFILE=\\d{5,}\n");
        Matcher writable = Pattern.compile("\nReadWritePaths=(.+)\n").matcher(unit);
        assertThat(writable.find()).isTrue();
        List<String> paths = List.of(writable.group(1).split("\\s+"));
        String example = Files.readString(DEPLOY.resolve("fieldbook.env.example"));
        for (String setting : List.of("FIELDBOOK_ATTACHMENTS_DIRECTORY", "FIELDBOOK_ATTACHMENTS_UPLOADDIRECTORY",
                "FIELDBOOK_AUDIT_HEADFILE", "FIELDBOOK_AUDIT_KEYFILE")) {
            Matcher value = Pattern.compile("\n" + setting + "=(\\S+)").matcher(example);
            assertThat(value.find()).as(setting + " in the example settings").isTrue();
            assertThat(paths).as(setting + " is writable").anyMatch(path -> value.group(1).startsWith(path + "/"));
        }
    }

    @Test
    void theProfileTheSettingsNameTrustsTheProxysForwardedHeaders() throws IOException {
        String example = Files.readString(DEPLOY.resolve("fieldbook.env.example"));
        assertThat(example).contains("\nSPRING_PROFILES_ACTIVE=prod\n");
        List<JsonNode> documents;
        try (InputStream in = DistributionTest.class.getResourceAsStream("/application.yml")) {
            documents = new YAMLMapper().readerFor(JsonNode.class).<JsonNode>readValues(in).readAll();
        }
        JsonNode prod = documents.stream()
                .filter(document -> document.path("spring").path("config").path("activate").path("on-profile")
                        .asText().equals("prod"))
                .findFirst().orElseThrow();
        assertThat(prod.path("server").path("forward-headers-strategy").asText()).isEqualTo("native");
    }

    /** A Java home whose java tells this version, and otherwise prints its arguments and some settings it got. */
    private Path fakeJava(String version) throws IOException {
        Path home = directory.resolve("java-" + version);
        Path java = home.resolve("bin/java");
        Files.createDirectories(java.getParent());
        Files.writeString(java, """
                #!/usr/bin/env bash
                if [ "$1" = -XshowSettings:properties ]; then
                    echo "    java.specification.version = %s" >&2
                    exit 0
                fi
                echo "launched $*"
                echo "profile=$SPRING_PROFILES_ACTIVE"
                echo "password=$SPRING_DATASOURCE_PASSWORD"
                """.formatted(version));
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return home;
    }

    private record Outcome(int exitCode, String output) {
    }

    private static Outcome launch(Map<String, String> environment, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", LAUNCHER.toString()));
        command.addAll(List.of(arguments));
        return run(command, environment);
    }

    private static Outcome run(List<String> command, Map<String, String> environment) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("FIELDBOOK_") || name.startsWith("SPRING_")
                || name.equals("JAVA_HOME") || name.equals("JAVA_OPTS"));
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Outcome(process.exitValue(), output);
    }
}
