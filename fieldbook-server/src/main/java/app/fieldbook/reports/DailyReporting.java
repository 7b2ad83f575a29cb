package app.fieldbook.reports;

import app.fieldbook.RejectedRequest;
import app.fieldbook.identity.AccessDenied;
import app.fieldbook.identity.Actor;
import app.fieldbook.identity.Role;
import app.fieldbook.protocol.NewReport;
import app.fieldbook.protocol.ReportContent;
import app.fieldbook.protocol.ReportStatus;
import app.fieldbook.reports.ReportEvent.ReportCreated;
import app.fieldbook.reports.ReportEvent.ReportDeleted;
import app.fieldbook.sites.Sites;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Filing and reviewing daily reports. Each method is one transaction: it reads the report within the
 * caller's scope, applies a transition of {@link DailyReport}, writes with an optimistic version check and
 * publishes the transition's {@link ReportEvent} inside the transaction. A decision made over HTTP (submit,
 * return, approve, reopen) applies to the report as it is; a change from sync names the version its merge
 * read, and is refused as stale if the report moved on since. A report outside the caller's scope answers
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

    /**
     * Creates a draft, after looking up what could stand in its way, each answered with a precise problem: a
     * site not assigned to the author, a taken id, or the author's report of that site and day. The same
     * create sent again answers the report it made, as not new.
     */
    @Transactional
    Created create(NewReport request, Actor author) {
        DailyReport report = draft(request, author);
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
        return new Created(created(report, author), true);
    }

    /**
     * Creates a draft without looking anything up: the insert itself checks that the author may see the
     * site, and the keys refuse a taken id or a second report of the author's for that site and day with a
     * duplicate key, which rolls the transaction back.
     */
    @Transactional
    DailyReport createOnKeys(NewReport request, Actor author) {
        DailyReport report = draft(request, author);
        if (!reports.insertOnVisibleSite(report, author)) {
            throw unknownSite(request.siteId(), author);
        }
        return created(report, author);
    }

    private DailyReport draft(NewReport request, Actor author) {
        if (!author.is(Role.WORKER)) {
            throw new RejectedRequest(HttpStatus.FORBIDDEN, "not-worker", "Only field workers file reports",
                    "Daily reports are written by field workers.");
        }
        return DailyReport.draft(request.id() == null ? UUID.randomUUID() : request.id(),
                request.siteId(), request.date(), author, request.content(), now());
    }

    private DailyReport created(DailyReport report, Actor author) {
        events.publishEvent(new ReportCreated(author, report.id(), report.siteId(), report.auditedFields()));
        return report;
    }

    private RejectedRequest unknownSite(UUID siteId, Actor author) {
        if (sites.exists(siteId)) {
            events.publishEvent(new AccessDenied(author, "Site", siteId.toString(), siteId,
                    "report for a site the worker is not assigned to"));
        }
        return new RejectedRequest(HttpStatus.UNPROCESSABLE_CONTENT, "unknown-site", "Unknown site",
                "No site " + siteId + " is assigned to you.");
    }

    /**
     * The report if the person may read it. In no transaction of its own (one statement; a refusal reads the
     * report's site and records it in a transaction of its own): a read-only transaction added a COMMIT's round
     * trip and Spring's transaction handling to every report and photo list read (docs/performance.md). Called
     * inside a transaction, it reads in it.
     */
    DailyReport read(UUID id, Actor actor) {
        return visible(id, actor);
    }

    @Transactional
    DailyReport edit(UUID id, long version, ReportContent content, Actor actor) {
        return change(id, version, actor, report -> report.edit(actor, content, now()));
    }

    @Transactional
    DailyReport submit(UUID id, Actor actor) {
        return change(id, null, actor, report -> report.submit(actor, now()));
    }

    @Transactional
    DailyReport returnToAuthor(UUID id, String comment, Actor actor) {
        return change(id, null, actor, report -> report.returnToAuthor(actor, comment, now()));
    }

    @Transactional
    DailyReport approve(UUID id, Actor actor) {
        return change(id, null, actor, report -> report.approve(actor, now()));
    }

    @Transactional
    DailyReport reopen(UUID id, String comment, Actor actor) {
        return change(id, null, actor, report -> report.reopen(actor, comment, now()));
    }

    /** Moves the report at {@code version} to {@code target} by {@link DailyReport#moveTo}. */
    @Transactional
    DailyReport transition(UUID id, long version, ReportStatus target, String comment, Actor actor) {
        return change(id, version, actor, report -> report.moveTo(target, actor, comment, now()));
    }

    @Transactional
    DailyReport resolve(UUID id, long version, ReportContent content, Actor actor) {
        return change(id, version, actor, report -> report.resolve(actor, content, now()));
    }

    @Transactional
    void delete(UUID id, long version, Actor actor) {
        DailyReport report = visible(id, actor);
        ReportDeleted deleted = report.delete(actor);
        if (report.version() != version) {
            throw RejectedRequest.staleVersion("Report", version, report.version());
        }
        events.publishEvent(deleted);
        if (!reports.delete(id, version)) {
            throw RejectedRequest.staleVersion("Report", version, version + 1);
        }
    }

    /**
     * Applies a transition to the report as the caller may see it, at {@code expectedVersion} when one is
     * given, writes its next state and publishes its event; a transition that changes nothing writes nothing.
     */
    private DailyReport change(UUID id, Long expectedVersion, Actor actor,
            Function<DailyReport, DailyReport.Transition> transition) {
        DailyReport before = visible(id, actor);
        if (expectedVersion != null && before.version() != expectedVersion) {
            throw RejectedRequest.staleVersion("Report", expectedVersion, before.version());
        }
        DailyReport.Transition made = transition.apply(before);
        if (made.event().isEmpty()) {
            return before;
        }
        if (!reports.update(made.report(), before)) {
            throw RejectedRequest.staleVersion("Report", before.version(), before.version() + 1);
        }
        events.publishEvent(made.event().get());
        return made.report();
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
