package app.fieldbook.protocol;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;

/** The weather section of a daily report. */
public record Weather(
        @Size(max = 200) String conditions,
        @DecimalMin("-90.0") @DecimalMax("70.0") @Digits(integer = 2, fraction = 1) BigDecimal temperatureCelsius) {
}
