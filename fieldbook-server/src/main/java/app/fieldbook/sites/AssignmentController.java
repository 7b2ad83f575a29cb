package app.fieldbook.sites;

import app.fieldbook.RejectedRequest;
import app.fieldbook.identity.Actor;
import app.fieldbook.identity.UserDirectory;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.UUID;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Who works where: a field worker's sites, a manager's portfolios. Administrators only. */
@RestController
@RequestMapping("/api/v1/users/{userId}")
@PreAuthorize("hasRole('ADMINISTRATOR')")
class AssignmentController {

    record UserAssignments(UUID userId, List<UUID> siteIds, List<UUID> portfolioIds) {
    }

    record SiteList(@NotNull @Size(max = 1000) List<@NotNull UUID> siteIds) {
    }

    record PortfolioList(@NotNull @Size(max = 1000) List<@NotNull UUID> portfolioIds) {
    }

    private final Assignments assignments;
    private final SiteAdministration administration;
    private final UserDirectory users;

    AssignmentController(Assignments assignments, SiteAdministration administration, UserDirectory users) {
        this.assignments = assignments;
        this.administration = administration;
        this.users = users;
    }

    @GetMapping("/assignments")
    UserAssignments get(@PathVariable UUID userId) {
        users.find(userId).orElseThrow(() -> RejectedRequest.notFound("User", userId));
        return new UserAssignments(userId, assignments.sitesOf(userId), assignments.portfoliosOf(userId));
    }

    @PutMapping("/sites")
    UserAssignments assignSites(@PathVariable UUID userId, @Valid @RequestBody SiteList body,
            @AuthenticationPrincipal Actor actor) {
        administration.assignSites(userId, body.siteIds(), actor);
        return get(userId);
    }

    @PutMapping("/portfolios")
    UserAssignments assignPortfolios(@PathVariable UUID userId, @Valid @RequestBody PortfolioList body,
            @AuthenticationPrincipal Actor actor) {
        administration.assignPortfolios(userId, body.portfolioIds(), actor);
        return get(userId);
    }
}
