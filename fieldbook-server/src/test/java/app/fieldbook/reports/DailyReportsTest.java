package app.fieldbook.reports;

import static org.assertj.core.api.Assertions.assertThat;

import app.fieldbook.protocol.CrewRow;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class DailyReportsTest {

    @Test
    void crewsWithTheSameRowsAreTheSameWhateverTheScaleOfTheirHours() {
        List<CrewRow> stored = List.of(new CrewRow("Concrete", "Acme", 3, new BigDecimal("24.0")));
        assertThat(DailyReports.sameCrew(stored, List.of(new CrewRow("Concrete", "Acme", 3, new BigDecimal("24")))))
                .isTrue();
        assertThat(DailyReports.sameCrew(List.of(new CrewRow("Concrete", null, 3, null)),
                List.of(new CrewRow("Concrete", null, 3, null)))).isTrue();
    }

    @Test
    void crewsDifferInAnyFieldInOrderOrInLength() {
        CrewRow concrete = new CrewRow("Concrete", "Acme", 3, new BigDecimal("24"));
        CrewRow steel = new CrewRow("Steel", "Acme", 2, new BigDecimal("16"));
        assertThat(DailyReports.sameCrew(List.of(concrete), List.of(new CrewRow("Concrete", "Acme", 3,
                new BigDecimal("24.5"))))).isFalse();
        assertThat(DailyReports.sameCrew(List.of(concrete), List.of(new CrewRow("Concrete", "Acme", 4,
                new BigDecimal("24"))))).isFalse();
        assertThat(DailyReports.sameCrew(List.of(concrete), List.of(new CrewRow("Concrete", null, 3,
                new BigDecimal("24"))))).isFalse();
        assertThat(DailyReports.sameCrew(List.of(concrete, steel), List.of(steel, concrete))).isFalse();
        assertThat(DailyReports.sameCrew(List.of(concrete), List.of(concrete, steel))).isFalse();
        assertThat(DailyReports.sameCrew(List.of(concrete), List.of(new CrewRow("Concrete", "Acme", 3, null))))
                .isFalse();
    }
}
