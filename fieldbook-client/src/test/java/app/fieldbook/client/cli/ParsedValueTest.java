package app.fieldbook.client.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class ParsedValueTest {

    @Test
    void aValueIsReadTrimmed() {
        assertThat(new IsoDate().convert(" 2025-06-02 ")).isEqualTo(LocalDate.of(2025, 6, 2));
        assertThat(new ContentOptions.Temperature().convert("18.5 ")).isEqualTo(new BigDecimal("18.5"));
        assertThat(new PhotoCommand.OffsetTime().convert("2025-06-02T14:30:00+02:00"))
                .isEqualTo(OffsetDateTime.parse("2025-06-02T14:30:00+02:00"));
    }

    @Test
    void anUnreadableValueIsAUsageErrorSayingWhatWasExpected() {
        assertThatThrownBy(() -> new ContentOptions.Temperature().convert("warm"))
                .isInstanceOf(TypeConversionException.class)
                .hasMessage("'warm' is not a temperature (a number such as 18.5, or \"\" to clear it)");
        assertThatThrownBy(() -> new PhotoCommand.OffsetTime().convert("2025-06-02T14:30"))
                .isInstanceOf(TypeConversionException.class)
                .hasMessage("'2025-06-02T14:30' is not a time with offset (2025-06-02T14:30:00+02:00)");
    }
}
