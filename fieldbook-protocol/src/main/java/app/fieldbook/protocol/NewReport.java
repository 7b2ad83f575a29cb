package app.fieldbook.protocol;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.time.LocalDate;
import java.util.UUID;

/**
 * Creates a daily report as a draft of the caller.
 *
 * @param id optional client-generated id, so that an offline device can create the record; the server
 *     generates one when absent
 */
public record NewReport(UUID id, @NotNull UUID siteId, @NotNull LocalDate date, @Valid ReportContent content) {

    public NewReport {
        content = content == null ? ReportContent.empty() : content;
    }
}
