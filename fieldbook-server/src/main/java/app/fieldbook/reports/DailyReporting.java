package app.fieldbook.reports;

import app.fieldbook.RejectedRequest;
import app.fieldbook.identity.AccessDenied;
import app.fieldbook.identity.Actor;
import app.fieldbook.identity.Role;
import app.fieldbook.protocol.NewReport;
import app.fieldbook.protocol.ReportContent;
import app.fieldbook.protocol.ReportStatus;
import app.fieldbook.sites.Sites;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Filing and reviewing daily reports. Each method is one transaction: it reads the report within the
 * caller's scope, applies a rule of {@link DailyReport}, writes with an optimistic version check and
 * publishes {@link ReportChanged} inside the transaction. A report outside the caller's scope answers
 * 404 and the refusal is recorded.
 */
@Service
class DailyReporting {

    private final DailyReports reports;
    private final Sites sites;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    DailyReporting(DailyReports reports, Sites sites, ApplicationEventPublisher events, Clock clock) {
        this.reports = reports;
        this.sites = sites;
        this.events = events;
        this.clock = clock;
    }

    /** Outcome of a create: the report, and whether it was new (false when the same request was replayed). */
    record Created(DailyReport report, boolean created) {
    }

    @Transactional
    Created create(NewReport request, Actor author) {
        return create(request, author, false);
    }

    /**
     * Creates a draft. With {@code onKeys}, the database checks in the insert itself that the author may
     * see the site, and its keys refuse a taken id or a second report of the author's for that site and
     * day with a duplicate key (which rolls the transaction back); without it, each is looked up first and
     * answered with a precise problem.
     */
    @Transactional
    Created create(NewReport request, Actor author, boolean onKeys) {
        if (!author.is(Role.WORKER)) {
            throw new RejectedRequest(HttpStatus.FORBIDDEN, "not-worker", "Only field workers file reports",
                    "Daily reports are written by field workers.");
        }
        DailyReport report = DailyReport.draft(request.id() == null ? UUID.randomUUID() : request.id(),
                request.siteId(), request.date(), author, request.content(), now());
        if (onKeys) {
            if (!reports.insertOnVisibleSite(report, author)) {
                throw unknownSite(request.siteId(), author);
            }
        } else {
            if (sites.findVisible(request.siteId(), author).isEmpty()) {
                throw unknownSite(request.siteId(), author);
            }
            if (request.id() != null && reports.siteOf(request.id()).isPresent()) {
                var existing = reports.findVisible(request.id(), author);
                if (existing.isPresent() && isSameCreate(existing.get(), request, author)) {
                    return new Created(existing.get(), false);
                }
                throw new RejectedRequest(HttpStatus.CONFLICT, "id-taken", "Id taken",
                        "A different report already has the id " + request.id() + ".");
            }
            reports.findIdOf(request.siteId(), request.date(), author.id()).ifPresent(other -> {
                throw new RejectedRequest(HttpStatus.CONFLICT, "report-exists", "Report exists",
                        "You already have a report for this site on " + request.date() + ".",
                        Map.of("reportId", other));
            });
            reports.insert(report);
        }
        events.publishEvent(new ReportChanged("CREATED", report.id(), report.siteId(), report.version(), Map.of(),
                report.auditedFields()));
        return new Created(report, true);
    }

    private RejectedRequest unknownSite(UUID siteId, Actor author) {
        if (sites.exists(siteId)) {
            events.publishEvent(new AccessDenied(author, "Site", siteId.toString(), siteId,
                    "report for a site the worker is not assigned to"));
        }
        return new RejectedRequest(HttpStatus.UNPROCESSABLE_CONTENT, "unknown-site", "Unknown site",
                "No site " + siteId + " is assigned to you.");
    }

    @Transactional(readOnly = true)
    DailyReport read(UUID id, Actor actor) {
        return visible(id, actor);
    }

    @Transactional
    DailyReport edit(UUID id, long version, ReportContent content, Actor actor) {
        return change(id, version, actor, "UPDATED", report -> report.edit(actor, content, now()));
    }

    @Transactional
    DailyReport submit(UUID id, Actor actor) {
        return change(id, null, actor, "SUBMITTED", report -> report.submit(actor, now()));
    }

    @Transactional
    DailyReport returnToAuthor(UUID id, String comment, Actor actor) {
        return change(id, null, actor, "RETURNED", report -> report.returnToAuthor(actor, comment, now()));
    }

    @Transactional
    DailyReport approve(UUID id, Actor actor) {
        return change(id, null, actor, "APPROVED", report -> report.approve(actor, now()));
    }

    @Transactional
    DailyReport reopen(UUID id, String comment, Actor actor) {
        return change(id, null, actor, "REOPENED", report -> report.reopen(actor, comment, now()));
    }

    @Transactional
    DailyReport transition(UUID id, long version, ReportStatus target, String comment, Actor actor) {
        String reason = comment == null || comment.isBlank() ? "Returned" : comment;
        return switch (target) {
            case SUBMITTED -> change(id, version, actor, "SUBMITTED", report -> report.submit(actor, now()));
            case APPROVED -> change(id, version, actor, "APPROVED", report -> report.approve(actor, now()));
            case RETURNED -> change(id, version, actor, "RETURNED", report -> report.status() == ReportStatus.APPROVED
                    ? report.reopen(actor, reason, now()) : report.returnToAuthor(actor, reason, now()));
            case DRAFT -> throw new RejectedRequest(HttpStatus.CONFLICT, "report-status", "Not a transition",
                    "A report never goes back to draft; a manager returns it instead.");
        };
    }

    @Transactional
    DailyReport resolve(UUID id, long version, ReportContent content, Actor actor) {
        return change(id, version, actor, "UPDATED", report -> report.resolve(actor, content, now()));
    }

    @Transactional
    void delete(UUID id, long version, Actor actor) {
        DailyReport report = visible(id, actor);
        report.requireDeletableBy(actor);
        if (report.version() != version) {
            throw RejectedRequest.staleVersion("Report", version, report.version());
        }
        events.publishEvent(new ReportDeleted(id, report.siteId()));
        if (!reports.delete(id, version)) {
            throw RejectedRequest.staleVersion("Report", version, version + 1);
        }
        events.publishEvent(new ReportChanged("DELETED", id, report.siteId(), version + 1, report.auditedFields(),
                Map.of()));
    }

    private DailyReport change(UUID id, Long expectedVersion, Actor actor, String action,
            UnaryOperator<DailyReport> rule) {
        DailyReport before = visible(id, actor);
        if (expectedVersion != null && before.version() != expectedVersion) {
            throw RejectedRequest.staleVersion("Report", expectedVersion, before.version());
        }
        DailyReport after = rule.apply(before);
        if (after == before) {
            return before;
        }
        if (!reports.update(after, before)) {
            throw RejectedRequest.staleVersion("Report", before.version(), before.version() + 1);
        }
        events.publishEvent(new ReportChanged(action, id, after.siteId(), after.version(), before.auditedFields(),
                after.auditedFields()));
        return after;
    }

    private DailyReport visible(UUID id, Actor actor) {
        if (actor.is(Role.ADMINISTRATOR)) {
            throw new RejectedRequest(HttpStatus.FORBIDDEN, "forbidden", "Not allowed",
                    "Administrators manage people and sites; they do not read report data.");
        }
        return reports.findVisible(id, actor).orElseThrow(() -> {
            reports.siteOf(id).ifPresent(siteId -> events.publishEvent(
                    new AccessDenied(actor, "DailyReport", id.toString(), siteId, "outside the caller's sites")));
            return RejectedRequest.notFound("Report", id);
        });
    }

    private static boolean isSameCreate(DailyReport existing, NewReport request, Actor author) {
        return existing.authorId().equals(author.id()) && existing.siteId().equals(request.siteId())
                && existing.date().equals(request.date());
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock);
    }
}
