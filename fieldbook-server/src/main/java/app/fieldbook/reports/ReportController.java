package app.fieldbook.reports;

import app.fieldbook.identity.Actor;
import app.fieldbook.identity.RecordsRead;
import app.fieldbook.protocol.NewReport;
import app.fieldbook.protocol.Page;
import app.fieldbook.protocol.Report;
import app.fieldbook.protocol.ReportEdit;
import app.fieldbook.protocol.ReportStatus;
import app.fieldbook.protocol.ReturnReport;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Daily reports. Field workers, managers and executives, each within their scope; not administrators. */
@RestController
@RequestMapping("/api/v1/reports")
@PreAuthorize("hasAnyRole('WORKER', 'MANAGER', 'EXECUTIVE')")
class ReportController {

    record Reopen(@Size(max = 2000) String comment) {
    }

    private final DailyReporting reporting;
    private final DailyReports reports;
    private final ApplicationEventPublisher events;

    ReportController(DailyReporting reporting, DailyReports reports, ApplicationEventPublisher events) {
        this.reporting = reporting;
        this.reports = reports;
        this.events = events;
    }

    @GetMapping
    Page<Report> list(@AuthenticationPrincipal Actor actor,
            @RequestParam(required = false) UUID siteId,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to,
            @RequestParam(required = false) ReportStatus status,
            @RequestParam(required = false) UUID authorId,
            @RequestParam(defaultValue = "0") @Min(0) int page,
            @RequestParam(defaultValue = "50") @Min(1) @Max(500) int size) {
        var filter = new DailyReports.Filter(siteId, from, to, status, authorId);
        DailyReports.Listed listed = reports.list(filter, actor, page, size);
        Page<Report> answer = new Page<>(listed.page().stream().map(DailyReport::toWire).toList(), page, size,
                listed.total());
        read(actor, RecordsRead.Access.LISTED, listed.page());
        return answer;
    }

    /** Creates a draft; replaying the same create with the same client id answers the existing report. */
    @PostMapping
    @PreAuthorize("hasRole('WORKER')")
    ResponseEntity<Report> create(@Valid @RequestBody NewReport body, @AuthenticationPrincipal Actor actor) {
        DailyReporting.Created result = reporting.create(body, actor);
        Report report = result.report().toWire();
        return result.created()
                ? ResponseEntity.created(URI.create("/api/v1/reports/" + report.id())).body(report)
                : ResponseEntity.ok(report);
    }

    @GetMapping("/{id}")
    Report get(@PathVariable UUID id, @AuthenticationPrincipal Actor actor) {
        DailyReport report = reporting.read(id, actor);
        read(actor, RecordsRead.Access.VIEWED, List.of(report));
        return report.toWire();
    }

    @PutMapping("/{id}")
    Report edit(@PathVariable UUID id, @Valid @RequestBody ReportEdit body, @AuthenticationPrincipal Actor actor) {
        return reporting.edit(id, body.version(), body.content(), actor).toWire();
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@PathVariable UUID id, @RequestParam long version,
            @AuthenticationPrincipal Actor actor) {
        reporting.delete(id, version, actor);
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/{id}/submit")
    Report submit(@PathVariable UUID id, @AuthenticationPrincipal Actor actor) {
        return reporting.submit(id, actor).toWire();
    }

    @PostMapping("/{id}/return")
    Report returnToAuthor(@PathVariable UUID id, @Valid @RequestBody ReturnReport body,
            @AuthenticationPrincipal Actor actor) {
        return reporting.returnToAuthor(id, body.comment(), actor).toWire();
    }

    @PostMapping("/{id}/approve")
    Report approve(@PathVariable UUID id, @AuthenticationPrincipal Actor actor) {
        return reporting.approve(id, actor).toWire();
    }

    @PostMapping("/{id}/reopen")
    Report reopen(@PathVariable UUID id, @Valid @RequestBody(required = false) Reopen body,
            @AuthenticationPrincipal Actor actor) {
        String comment = body == null || body.comment() == null || body.comment().isBlank() ? "Reopened"
                : body.comment();
        return reporting.reopen(id, comment, actor).toWire();
    }

    /** Tells the read-access log who was given which reports, once the read has succeeded. */
    private void read(Actor actor, RecordsRead.Access access, List<DailyReport> given) {
        if (!given.isEmpty()) {
            events.publishEvent(new RecordsRead(actor, access, "DailyReport",
                    given.stream().map(report -> new RecordsRead.Item(report.id(), report.siteId())).toList()));
        }
    }
}
