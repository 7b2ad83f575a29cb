package app.fieldbook.protocol;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

/**
 * Replaces the content of a report.
 *
 * @param version the version the edit was made on; a different current version answers 409
 */
public record ReportEdit(@NotNull Long version, @NotNull @Valid ReportContent content) {
}
