package app.fieldbook.insights;

import static org.assertj.core.api.Assertions.assertThat;

import app.fieldbook.insights.ReportFigures.CrewSum;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class CrewNamesTest {

    @Test
    void namesEqualButForCaseAndSpacesAreOne() {
        assertThat(CrewNames.key("Electrical")).isEqualTo(CrewNames.key("electrical "))
                .isEqualTo(CrewNames.key("  ELECTRICAL\t")).isEqualTo("electrical");
        assertThat(CrewNames.key("Strom  GmbH")).isEqualTo(CrewNames.key("strom gmbh"));
        assertThat(CrewNames.key("Electrics")).isNotEqualTo(CrewNames.key("Electrical"));
    }

    @Test
    void aNameOfSpacesNamesNone() {
        assertThat(CrewNames.key("   ")).isNull();
        assertThat(CrewNames.key("")).isNull();
        assertThat(CrewNames.key(null)).isNull();
    }

    @Test
    void aGroupIsShownInTheSpellingMostRowsUseThenTheFirstInCharacterOrder() {
        assertThat(CrewNames.shown(List.of(sum("electrical ", 1), sum("Electrical", 2), sum(" Electrical", 1),
                sum("ELECTRICAL", 2)), CrewSum::trade)).isEqualTo("Electrical");
        assertThat(CrewNames.shown(List.of(sum("electrical", 2), sum("Electrical", 2)), CrewSum::trade))
                .isEqualTo("Electrical");
        assertThat(CrewNames.shown(List.of(sum("  ", 2)), CrewSum::trade)).isNull();
    }

    private static CrewSum sum(String trade, long rows) {
        return new CrewSum(trade, null, rows, BigDecimal.ONE, 1, BigDecimal.ZERO, 0);
    }
}
