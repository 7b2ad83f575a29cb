package app.fieldbook.protocol;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;
import java.util.List;

/** The sections of a daily report that its author writes. Absent sections are empty. */
public record ReportContent(
        @Valid Weather weather,
        @Size(max = 200) List<@Valid CrewRow> crew,
        @Size(max = 20_000) String workPerformed,
        @Size(max = 20_000) String delays,
        @Size(max = 20_000) String safetyIncidents,
        @Size(max = 20_000) String materials,
        @Size(max = 20_000) String notes) {

    public ReportContent {
        weather = weather == null ? new Weather(null, null) : weather;
        crew = crew == null ? List.of() : List.copyOf(crew);
    }

    public static ReportContent empty() {
        return new ReportContent(null, null, null, null, null, null, null);
    }
}
