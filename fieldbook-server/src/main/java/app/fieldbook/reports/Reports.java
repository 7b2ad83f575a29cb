package app.fieldbook.reports;

import app.fieldbook.identity.Actor;
import app.fieldbook.protocol.NewReport;
import app.fieldbook.protocol.Report;
import app.fieldbook.protocol.ReportContent;
import app.fieldbook.protocol.ReportStatus;
import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
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
    private final DailyReports reports;

    Reports(DailyReporting reporting, DailyReports reports) {
        this.reporting = reporting;
        this.reports = reports;
    }

    /** The report if the person may read it; empty otherwise (nothing is recorded). */
    @Transactional(readOnly = true)
    public Optional<Report> findVisible(UUID reportId, Actor actor) {
        return reports.findVisible(reportId, actor).map(DailyReport::toWire);
    }

    /** The ids among {@code ids} of reports the person may read (one query, nothing recorded). */
    @Transactional(readOnly = true)
    public Set<UUID> readableIds(Collection<UUID> ids, Actor actor) {
        return reports.visibleIds(ids, actor);
    }

    /** The reports among {@code ids} that the person may read. */
    @Transactional(readOnly = true)
    public List<Report> findVisible(Collection<UUID> ids, Actor actor) {
        return reports.findVisible(ids, actor).stream().map(DailyReport::toWire).toList();
    }

    /**
     * The site of a report regardless of scope, for background work done on no one's behalf (recording
     * that a photo's thumbnail was made); never to answer a request.
     */
    @Transactional(readOnly = true)
    public Optional<UUID> siteOf(UUID reportId) {
        return reports.siteOf(reportId);
    }

    /**
     * Whether a report has this id, whoever may see it: an id is taken everywhere, so a create with the id
     * of a report the caller cannot see is refused as taken (the refusal tells no more than that).
     */
    @Transactional(readOnly = true)
    public boolean isTaken(UUID reportId) {
        return reports.siteOf(reportId).isPresent();
    }

    /** The id of the author's report of that site and day, if there is one (the natural key of a report). */
    @Transactional(readOnly = true)
    public Optional<UUID> findIdOf(UUID siteId, LocalDate date, UUID authorId) {
        return reports.findIdOf(siteId, date, authorId);
    }

    /**
     * Creates a draft with the given id, leaving it to the database's keys to refuse a taken id or a second
     * report of the author's for that site and day, so that the usual create, of a new report, costs no
     * look-up. The refusal is a {@link org.springframework.dao.DuplicateKeyException} that rolls back the
     * transaction; the caller may then look up the report in the way and decide.
     *
     * @throws app.fieldbook.RejectedRequest 403 unless the author is a field worker, 422 for a site not
     *     assigned to them
     */
    @Transactional
    public Report create(UUID id, UUID siteId, LocalDate date, ReportContent content, Actor author) {
        return reporting.createOnKeys(new NewReport(id, siteId, date, content), author).toWire();
    }

    /** Replaces the content, by the author of a draft or returned report, at the given version. */
    @Transactional
    public Report edit(UUID id, long version, ReportContent content, Actor actor) {
        return reporting.edit(id, version, content, actor).toWire();
    }

    /** Moves the report to {@code target} by the life-cycle rules (submit, return or reopen, approve). */
    @Transactional
    public Report transition(UUID id, long version, ReportStatus target, String comment, Actor actor) {
        return reporting.transition(id, version, target, comment, actor).toWire();
    }

    /** Writes content chosen to resolve a conflict: the author of an editable report, or a site manager. */
    @Transactional
    public Report resolve(UUID id, long version, ReportContent content, Actor actor) {
        return reporting.resolve(id, version, content, actor).toWire();
    }

    /** Deletes a draft of the caller at the given version. */
    @Transactional
    public void delete(UUID id, long version, Actor actor) {
        reporting.delete(id, version, actor);
    }

    /**
     * The report if the person may read it.
     *
     * In no transaction of its own, as {@link DailyReporting#read}: inside a caller's transaction it reads in it.
     *
     * @throws app.fieldbook.RejectedRequest 404 if it does not exist or is outside the person's scope (the
     *     refusal is recorded), 403 if the person's role reads no reports
     */
    public Reference readable(UUID reportId, Actor actor) {
        DailyReport report = reporting.read(reportId, actor);
        return new Reference(report.id(), report.siteId(), report.authorId(), report.isEditableBy(actor));
    }
}
