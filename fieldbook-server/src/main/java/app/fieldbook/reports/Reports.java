package app.fieldbook.reports;

import app.fieldbook.identity.Actor;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** What other modules may ask of a daily report, always within the asking person's scope. */
@Service
public class Reports {

    /** The parts of a report that decide what may be done with what hangs off it. */
    public record Reference(UUID id, UUID siteId, UUID authorId, boolean editableByCaller) {
    }

    private final DailyReporting reporting;

    Reports(DailyReporting reporting) {
        this.reporting = reporting;
    }

    /**
     * The report if the person may read it.
     *
     * @throws app.fieldbook.RejectedRequest 404 if it does not exist or is outside the person's scope (the
     *     refusal is recorded), 403 if the person's role reads no reports
     */
    @Transactional(readOnly = true)
    public Reference readable(UUID reportId, Actor actor) {
        DailyReport report = reporting.read(reportId, actor);
        return new Reference(report.id(), report.siteId(), report.authorId(), report.isEditableBy(actor));
    }
}
