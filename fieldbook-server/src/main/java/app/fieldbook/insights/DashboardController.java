package app.fieldbook.insights;

import app.fieldbook.identity.Actor;
import java.time.YearMonth;
import java.util.UUID;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The dashboards' data, as JSON: for the same people, with the same parameters and refusals, as the month-end
 * ({@link MonthEndController}): managers (their portfolios' sites) and executives (every site). It gives no
 * report's words (statuses, report ids and sums only), so it logs no read access. See ADR 0027.
 */
@RestController
@RequestMapping("/api/v1/insights")
@PreAuthorize("hasAnyRole('MANAGER', 'EXECUTIVE')")
class DashboardController {

    private final DashboardReporting reporting;

    DashboardController(DashboardReporting reporting) {
        this.reporting = reporting;
    }

    @GetMapping("/dashboard")
    Dashboard dashboard(@AuthenticationPrincipal Actor actor, @RequestParam YearMonth month,
            @RequestParam(required = false) UUID siteId, @RequestParam(required = false) UUID portfolioId) {
        return reporting.dashboard(MonthEndController.checked(month), MonthEndController.coverage(siteId, portfolioId),
                actor);
    }
}
