package app.fieldbook.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.fieldbook.FieldbookApplication;
import app.fieldbook.TestDatabase;
import java.time.Period;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * The settings of the audit trail that a regulated deployment relies on: a retention of at least seven
 * years, refused at start-up when shorter, and the read-access log, on by default in the regulated mode and
 * switchable on its own.
 */
class AuditSettingsTest {

    @Test
    void aRetentionShorterThanSevenYearsIsRefusedWithAClearMessage() {
        for (String retention : new String[] {"P6Y11M", "P2555D", "P1Y", "P0D"}) {
            assertThatThrownBy(() -> audit(Map.of("fieldbook.audit.retention", retention))).as(retention)
                    .rootCause().isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("fieldbook.audit.retention is " + Period.parse(retention))
                    .hasMessageContaining("at least 7 years");
        }
    }

    @Test
    void sevenYearsOrMoreAreAcceptedAndSevenIsTheDefault() {
        assertThat(audit(Map.of()).retention()).isEqualTo(Period.ofYears(7));
        assertThat(audit(Map.of("fieldbook.audit.retention", "P84M")).retention()).isEqualTo(Period.ofMonths(84));
        assertThat(audit(Map.of("fieldbook.audit.retention", "P2557D")).retention()).isEqualTo(Period.ofDays(2557));
        assertThat(audit(Map.of("fieldbook.audit.retention", "P10Y")).retention()).isEqualTo(Period.ofYears(10));
    }

    @Test
    void theServerDoesNotStartWithAShortRetention() {
        assertThatThrownBy(() -> new SpringApplicationBuilder(FieldbookApplication.class)
                .web(WebApplicationType.SERVLET)
                .initializers(new TestDatabase())
                .profiles("test")
                .properties("fieldbook.audit.retention=P5Y", "server.port=0")
                .run().close())
                .rootCause().hasMessageContaining("fieldbook.audit.retention is P5Y")
                .hasMessageContaining("at least 7 years");
    }

    @Test
    void theRegulatedModeLogsReadsUnlessTheyAreSwitchedOff() {
        ComplianceSettings regulated = compliance(Map.of("fieldbook.compliance.mode", "regulated"));
        assertThat(regulated.mode()).isEqualTo(ComplianceSettings.Mode.REGULATED);
        assertThat(audit(Map.of()).logsReads(regulated)).isTrue();
        assertThat(audit(Map.of("fieldbook.audit.read-access", "false")).logsReads(regulated)).isFalse();
    }

    @Test
    void theStandardModeLogsNoReadsUnlessTheyAreSwitchedOn() {
        ComplianceSettings standard = compliance(Map.of());
        assertThat(standard.mode()).isEqualTo(ComplianceSettings.Mode.STANDARD);
        assertThat(audit(Map.of()).logsReads(standard)).isFalse();
        assertThat(audit(Map.of("fieldbook.audit.read-access", "true")).logsReads(standard)).isTrue();
    }

    private static AuditSettings audit(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties)).bindOrCreate("fieldbook.audit",
                AuditSettings.class);
    }

    private static ComplianceSettings compliance(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties)).bindOrCreate("fieldbook.compliance",
                ComplianceSettings.class);
    }
}
