package app.fieldbook.insights;

import app.fieldbook.RejectedRequest;
import app.fieldbook.identity.Actor;
import app.fieldbook.identity.RecordsRead;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.time.Clock;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The month-end, as JSON, CSV and PDF: for managers (their portfolios' sites) and executives (every site). Not
 * for field workers, who close no month, nor for administrators, who read no report data (ADR 0004; the
 * month-end lists what reports say of delays and incidents). See ADR 0021.
 */
@RestController
@RequestMapping("/api/v1/insights")
@PreAuthorize("hasAnyRole('MANAGER', 'EXECUTIVE')")
class MonthEndController {

    record FieldProblem(String field, String message) {
    }

    private static final MediaType CSV = new MediaType("text", "csv", StandardCharsets.UTF_8);

    private final MonthEndReporting reporting;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    MonthEndController(MonthEndReporting reporting, ApplicationEventPublisher events, Clock clock) {
        this.reporting = reporting;
        this.events = events;
        this.clock = clock;
    }

    @GetMapping("/month-end")
    MonthEnd monthEnd(@AuthenticationPrincipal Actor actor, @RequestParam YearMonth month,
            @RequestParam(required = false) UUID siteId, @RequestParam(required = false) UUID portfolioId) {
        MonthEnd monthEnd = reporting.monthEnd(checked(month), coverage(siteId, portfolioId), actor);
        List<RecordsRead.Item> given = given(monthEnd);
        if (!given.isEmpty()) {
            events.publishEvent(new RecordsRead(actor, RecordsRead.Access.LISTED, "DailyReport", given));
        }
        return monthEnd;
    }

    @GetMapping("/month-end.csv")
    ResponseEntity<byte[]> csv(@AuthenticationPrincipal Actor actor, @RequestParam YearMonth month,
            @RequestParam(required = false) UUID siteId, @RequestParam(required = false) UUID portfolioId) {
        MonthEnd monthEnd = reporting.monthEnd(checked(month), coverage(siteId, portfolioId), actor);
        byte[] csv = MonthEndCsv.of(monthEnd).getBytes(StandardCharsets.UTF_8);
        List<RecordsRead.Item> given = given(monthEnd);
        if (!given.isEmpty()) {
            events.publishEvent(RecordsRead.exported(actor, "DailyReport", given));
        }
        return ResponseEntity.ok()
                .contentType(CSV)
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                        .filename(fileName(monthEnd, "csv")).build().toString())
                .body(csv);
    }

    @GetMapping("/month-end.pdf")
    ResponseEntity<byte[]> pdf(@AuthenticationPrincipal Actor actor, @RequestParam YearMonth month,
            @RequestParam(required = false) UUID siteId, @RequestParam(required = false) UUID portfolioId) {
        MonthEnd monthEnd = reporting.monthEnd(checked(month), coverage(siteId, portfolioId), actor);
        byte[] pdf = MonthEndPdf.of(monthEnd, clock.instant());
        List<RecordsRead.Item> given = given(monthEnd);
        if (!given.isEmpty()) {
            events.publishEvent(RecordsRead.exported(actor, "DailyReport", given));
        }
        return ResponseEntity.ok()
                .contentType(MediaType.APPLICATION_PDF)
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                        .filename(fileName(monthEnd, "pdf")).build().toString())
                .body(pdf);
    }

    /**
     * {@code fieldbook-month-end-2026-11.csv} (or {@code .pdf}), with the site's code for one site and the portfolio's
     * name for a portfolio (so that the exports of two portfolios are two files); only letters, digits and {@code -}:
     * accents are taken off a letter, anything else becomes {@code -}, and a portfolio's name is cut at 40.
     */
    static String fileName(MonthEnd monthEnd, String extension) {
        String scope = "";
        if (monthEnd.siteId() != null && !monthEnd.sites().isEmpty()) {
            scope = "-" + monthEnd.sites().getFirst().code();
        } else if (monthEnd.portfolioId() != null && monthEnd.portfolioName() != null) {
            String name = Normalizer.normalize(monthEnd.portfolioName(), Normalizer.Form.NFD).replaceAll("\\p{M}", "")
                    .replaceAll("[^A-Za-z0-9]+", "-").replaceAll("^-+|-+$", "");
            scope = name.isEmpty() ? "" : "-" + name.substring(0, Math.min(40, name.length())).replaceAll("-+$", "");
        }
        return ("fieldbook-month-end-" + monthEnd.month() + scope).replaceAll("[^A-Za-z0-9-]", "-") + "." + extension;
    }

    /** The month asked for, if it is one of the years 1900 to 9999 (else a 400 problem naming it). */
    static YearMonth checked(YearMonth month) {
        if (month.getYear() < 1900 || month.getYear() > 9999) {
            throw invalid("month", "must be a month of the years 1900 to 9999, such as 2026-11");
        }
        return month;
    }

    /** The sites asked for: a site, a portfolio or (neither) everything; both at once is a 400 problem. */
    static Coverage coverage(UUID siteId, UUID portfolioId) {
        if (siteId != null && portfolioId != null) {
            throw invalid("portfolioId", "give a site or a portfolio, not both");
        }
        return new Coverage(siteId, portfolioId);
    }

    private static RejectedRequest invalid(String field, String message) {
        return new RejectedRequest(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request",
                "The request has invalid parameters.", Map.of("errors", List.of(new FieldProblem(field, message))));
    }

    /**
     * The reports whose words the month-end gives (those of its delays and incidents; the figures are sums), for
     * the read-access log.
     */
    private static List<RecordsRead.Item> given(MonthEnd monthEnd) {
        return Stream.concat(monthEnd.delays().stream(), monthEnd.safetyIncidents().stream())
                .map(occurrence -> new RecordsRead.Item(occurrence.reportId(), occurrence.siteId()))
                .distinct()
                .toList();
    }
}
