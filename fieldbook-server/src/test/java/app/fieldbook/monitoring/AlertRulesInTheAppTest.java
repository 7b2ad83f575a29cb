package app.fieldbook.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;
import org.yaml.snakeyaml.Yaml;

/**
 * The rules the server evaluates and those of {@code monitoring/prometheus/fieldbook-alerts.yml} do not drift
 * apart: every Prometheus rule has a counterpart in the server with its name, severity and {@code for} (the
 * {@code pending-for} of application.yml, or the default where that names none), or is listed in
 * {@link AlertRules#ONLY_IN_PROMETHEUS} with the reason; and the server has no rule that Prometheus lacks.
 */
class AlertRulesInTheAppTest {

    private static final Path RULES = Path.of("..", "monitoring", "prometheus", "fieldbook-alerts.yml");

    /** A rule's severity and its {@code for} (zero without one). */
    record Described(String severity, Duration pendingFor) {
    }

    @Test
    void everyPrometheusRuleHasACounterpartInTheServerWithItsSeverityAndForOrAReasonWhyNot() throws Exception {
        Map<String, Described> prometheus = prometheusRules();
        Map<String, Described> server = new TreeMap<>();
        for (AlertRule rule : AlertRules.of(configured())) {
            assertThat(server.put(rule.name(), new Described(rule.severity(), rule.pendingFor())))
                    .as("another rule named " + rule.name()).isNull();
        }
        assertThat(prometheus).as("rules in " + RULES).hasSizeGreaterThanOrEqualTo(13);

        Map<String, Described> expected = new TreeMap<>(prometheus);
        expected.keySet().removeAll(AlertRules.ONLY_IN_PROMETHEUS.keySet());
        assertThat(server).as("the server's rules, by name, with severity and for").isEqualTo(expected);
        assertThat(prometheus).as("the rules left to Prometheus exist there")
                .containsKeys(AlertRules.ONLY_IN_PROMETHEUS.keySet().toArray(String[]::new));
        assertThat(AlertRules.ONLY_IN_PROMETHEUS.values()).as("each with a reason").allMatch(why -> why.length() > 20);
    }

    @Test
    void theCheckSeesARuleMissingInTheServer() throws Exception {
        Map<String, Described> prometheus = prometheusRules();
        assertThat(prometheus).containsKey("FieldbookSyncDeviceSilent");
        assertThat(prometheus.get("FieldbookSyncDeviceSilent").pendingFor()).isEqualTo(Duration.ofMinutes(15));
        assertThat(prometheus.get("FieldbookBackgroundJobFailed").pendingFor()).isZero();
    }

    /** The settings as application.yml gives them (its first document, without a profile). */
    static AlertSettings configured() throws Exception {
        List<PropertySource<?>> documents = new YamlPropertySourceLoader().load("application.yml",
                new ClassPathResource("application.yml"));
        return new Binder(ConfigurationPropertySources.from(documents.getFirst()))
                .bindOrCreate("fieldbook.alerts", AlertSettings.class);
    }

    @Test
    void applicationYmlSaysWhatTheDefaultsAre() throws Exception {
        assertThat(configured()).isEqualTo(settings(Map.of()));
    }

    static AlertSettings settings(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate("fieldbook.alerts", AlertSettings.class);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Described> prometheusRules() throws Exception {
        Map<String, Object> file = new Yaml().load(Files.readString(RULES));
        Map<String, Described> rules = new TreeMap<>();
        for (Map<String, Object> group : (List<Map<String, Object>>) file.get("groups")) {
            for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
                String pendingFor = (String) rule.get("for");
                Map<String, Object> labels = (Map<String, Object>) rule.get("labels");
                rules.put((String) rule.get("alert"), new Described((String) labels.get("severity"),
                        pendingFor == null ? Duration.ZERO : DurationStyle.SIMPLE.parse(pendingFor)));
            }
        }
        return rules;
    }
}
