package app.fieldbook.protocol;

import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;

/** One row of the crew section: a trade or company on site, how many people, how many hours in all. */
public record CrewRow(
        @NotBlank @Size(max = 100) String trade,
        @Size(max = 200) String company,
        @NotNull @Min(0) @Max(10_000) Integer headcount,
        @NotNull @DecimalMin("0.0") @Digits(integer = 6, fraction = 2) BigDecimal hours) {
}
