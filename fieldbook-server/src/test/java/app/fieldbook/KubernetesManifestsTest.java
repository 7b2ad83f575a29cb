package app.fieldbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes manifests of {@code deploy/kubernetes} hold to the API's schema: each document is read into the
 * typed object of its kind and API version (the Kubernetes model of the fabric8 project), and a field the schema
 * does not know (a misspelt {@code readinesProbe}) or of the wrong type fails, as the API server would refuse it.
 * And they fit the application: the probes ask the server's actual liveness and readiness paths
 * ({@code application.yml}'s management settings) on the port it listens on, the Service and the disruption budget
 * select the Deployment's pods, and the settings come from the ConfigMap and a Secret that is not in the repository.
 */
class KubernetesManifestsTest {

    private static final Path MANIFESTS = Path.of("..", "deploy", "kubernetes");
    private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
            "v1/ConfigMap", ConfigMap.class,
            "v1/Service", Service.class,
            "apps/v1/Deployment", Deployment.class,
            "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class);
    private static final ObjectMapper YAML = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    @Test
    void everyManifestHoldsToTheSchemaOfItsKind() throws IOException {
        List<HasMetadata> resources = manifests();
        assertThat(resources).extracting(HasMetadata::getKind)
                .containsExactlyInAnyOrder("ConfigMap", "Service", "Deployment", "PodDisruptionBudget");
    }

    @Test
    void aFieldTheSchemaDoesNotKnowIsFound() throws IOException {
        String deployment = Files.readString(MANIFESTS.resolve("deployment.yaml"));
        assertThat(deployment).contains("readinessProbe:");
        assertThatThrownBy(() -> read(deployment.replace("readinessProbe:", "readinesProbe:"), "deployment.yaml"))
                .hasMessageContaining("readinesProbe");
        assertThatThrownBy(() -> read(deployment.replace("replicas: 3", "replicas: three"), "deployment.yaml"))
                .hasMessageContaining("three");
    }

    @Test
    void theProbesAskTheServersLivenessAndReadinessOnItsPort() throws IOException {
        JsonNode application = applicationSettings();
        JsonNode health = application.path("management").path("endpoint").path("health");
        assertThat(health.path("probes").path("enabled").asBoolean()).as("the probes' endpoints are on").isTrue();
        assertThat(health.path("group").path("readiness").path("include").asText()).contains("readinessState", "db");
        String base = application.path("management").path("endpoints").path("web").path("base-path").asText("/actuator");
        assertThat(application.path("management").path("server").path("port").isMissingNode())
                .as("the probes are served on the server's own port").isTrue();
        String serverPort = application.path("server").path("port").asText();
        assertThat(serverPort).as("server.port in application.yml").isEqualTo("${PORT:8080}");

        Container container = deployment().getSpec().getTemplate().getSpec().getContainers().getFirst();
        assertThat(path(container.getLivenessProbe().getHttpGet())).isEqualTo(base + "/health/liveness");
        assertThat(path(container.getStartupProbe().getHttpGet())).isEqualTo(base + "/health/liveness");
        assertThat(path(container.getReadinessProbe().getHttpGet())).isEqualTo(base + "/health/readiness");
        String port = configMap().getData().getOrDefault("PORT", "8080");
        for (HTTPGetAction probe : List.of(container.getLivenessProbe().getHttpGet(),
                container.getReadinessProbe().getHttpGet(), container.getStartupProbe().getHttpGet())) {
            assertThat(containerPort(container, probe.getPort()).getContainerPort()).as("the probe's port")
                    .isEqualTo(Integer.parseInt(port));
        }
    }

    @Test
    void severalReplicasWithLimitsRollAndAreDisruptedOneAtATime() throws IOException {
        Deployment deployment = deployment();
        assertThat(deployment.getSpec().getReplicas()).isGreaterThanOrEqualTo(2);
        assertThat(deployment.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable()).isEqualTo(new IntOrString(0));
        Container container = deployment.getSpec().getTemplate().getSpec().getContainers().getFirst();
        assertThat(container.getResources().getRequests()).containsKeys("cpu", "memory");
        assertThat(container.getResources().getLimits()).containsKeys("cpu", "memory");

        Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
        assertThat(podLabels).containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels());
        PodDisruptionBudget budget = resource(PodDisruptionBudget.class);
        assertThat(podLabels).containsAllEntriesOf(budget.getSpec().getSelector().getMatchLabels());
        assertThat(budget.getSpec().getMaxUnavailable()).isEqualTo(new IntOrString(1));

        Service service = resource(Service.class);
        assertThat(podLabels).containsAllEntriesOf(service.getSpec().getSelector());
        assertThat(service.getSpec().getPorts()).allSatisfy(port ->
                assertThat(containerPort(container, port.getTargetPort())).isNotNull());
    }

    @Test
    void theSettingsComeFromTheConfigMapAndASecretThatIsNotInTheRepository() throws IOException {
        Container container = deployment().getSpec().getTemplate().getSpec().getContainers().getFirst();
        List<EnvFromSource> sources = container.getEnvFrom();
        assertThat(sources).anySatisfy(source ->
                assertThat(source.getConfigMapRef().getName()).isEqualTo(configMap().getMetadata().getName()));
        assertThat(sources).anySatisfy(source -> assertThat(source.getSecretRef()).isNotNull());
        assertThat(configMap().getData()).containsEntry("SPRING_PROFILES_ACTIVE", "prod")
                .containsKey("SPRING_DATASOURCE_URL")
                .doesNotContainKeys("SPRING_DATASOURCE_PASSWORD", "FIELDBOOK_IDENTITY_METRICSTOKEN",
                        "FIELDBOOK_ATTACHMENTS_S3_SECRETKEY", "SPRING_MAIL_PASSWORD");
        try (Stream<Path> files = Files.list(MANIFESTS)) {
            for (Path file : files.toList()) {
                assertThat(Files.readString(file)).as(file.toString()).doesNotContain("kind: Secret");
            }
        }
    }

    private static Deployment deployment() throws IOException {
        return resource(Deployment.class);
    }

    private static ConfigMap configMap() throws IOException {
        return resource(ConfigMap.class);
    }

    private static <T extends HasMetadata> T resource(Class<T> type) throws IOException {
        List<T> found = manifests().stream().filter(type::isInstance).map(type::cast).toList();
        assertThat(found).as(type.getSimpleName() + " manifests").hasSize(1);
        return found.getFirst();
    }

    private static String path(HTTPGetAction probe) {
        assertThat(probe).as("an HTTP probe").isNotNull();
        return probe.getPath();
    }

    private static ContainerPort containerPort(Container container, IntOrString port) {
        return container.getPorts().stream()
                .filter(candidate -> port.getIntVal() != null
                        ? Objects.equals(candidate.getContainerPort(), port.getIntVal())
                        : Objects.equals(candidate.getName(), port.getStrVal()))
                .findFirst().orElseThrow(() -> new AssertionError("no container port " + port));
    }

    private static List<HasMetadata> manifests() throws IOException {
        List<HasMetadata> resources = new ArrayList<>();
        try (Stream<Path> files = Files.list(MANIFESTS)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                resources.addAll(read(Files.readString(file), file.getFileName().toString()));
            }
        }
        return resources;
    }

    /** Each YAML document of the text as the typed resource of its kind; unknown fields and kinds fail. */
    private static List<HasMetadata> read(String text, String name) throws IOException {
        List<HasMetadata> resources = new ArrayList<>();
        for (JsonNode document : YAML.readerFor(JsonNode.class).<JsonNode>readValues(text).readAll()) {
            if (document == null || document.isNull() || document.isMissingNode()) {
                continue;
            }
            String kind = document.path("apiVersion").asText() + "/" + document.path("kind").asText();
            Class<? extends HasMetadata> type = KINDS.get(kind);
            assertThat(type).as(name + ": a kind the test knows the schema of: " + kind).isNotNull();
            HasMetadata resource = YAML.treeToValue(document, type);
            assertThat(resource.getApiVersion() + "/" + resource.getKind()).isEqualTo(kind);
            unknownFields(resource, resource.getKind(), name);
            resources.add(resource);
        }
        return resources;
    }

    /**
     * Fails on the first field of the model or its parts that the schema does not know: the fabric8 model keeps such
     * fields in {@code additionalProperties} instead of refusing them.
     */
    private static void unknownFields(Object value, String where, String name) {
        if (value == null) {
            return;
        }
        if (value instanceof Collection<?> values) {
            int index = 0;
            for (Object element : values) {
                unknownFields(element, where + "[" + index++ + "]", name);
            }
            return;
        }
        if (value instanceof Map<?, ?> values) {
            values.forEach((key, element) -> unknownFields(element, where + "." + key, name));
            return;
        }
        if (!value.getClass().getPackageName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || !getter.getName().startsWith("get") || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            Object field = invoke(getter, value);
            if (getter.getName().equals("getAdditionalProperties")) {
                assertThat((Map<?, ?>) field).as(name + ": fields unknown to the schema of " + where)
                        .isNullOrEmpty();
            } else {
                unknownFields(field, where + "." + getter.getName().substring(3), name);
            }
        }
    }

    private static Object invoke(Method getter, Object target) {
        try {
            return getter.invoke(target);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException(getter + " of " + target.getClass(), e);
        }
    }

    private static JsonNode applicationSettings() throws IOException {
        try (InputStream in = KubernetesManifestsTest.class.getResourceAsStream("/application.yml")) {
            // the first document: the settings of every profile (the probes are not a profile's)
            return YAML.readerFor(JsonNode.class).<JsonNode>readValues(in).next();
        }
    }
}
