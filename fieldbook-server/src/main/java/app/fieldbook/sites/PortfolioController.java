package app.fieldbook.sites;

import app.fieldbook.RejectedRequest;
import app.fieldbook.identity.Actor;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Portfolios: managers see theirs, executives and administrators all; administrators change them. */
@RestController
@RequestMapping("/api/v1/portfolios")
class PortfolioController {

    record PortfolioView(UUID id, String name, List<UUID> siteIds, long version, OffsetDateTime createdAt,
            OffsetDateTime updatedAt) {

        static PortfolioView of(Portfolio portfolio) {
            return new PortfolioView(portfolio.id(), portfolio.name(), portfolio.siteIds(), portfolio.version(),
                    portfolio.createdAt(), portfolio.updatedAt());
        }
    }

    record NewPortfolio(UUID id, @NotBlank @Size(max = 200) String name,
            @NotNull @Size(max = 1000) List<@NotNull UUID> siteIds) {
    }

    record PortfolioChange(@NotNull Long version, @NotBlank @Size(max = 200) String name,
            @NotNull @Size(max = 1000) List<@NotNull UUID> siteIds) {
    }

    private final Portfolios portfolios;
    private final SiteAdministration administration;

    PortfolioController(Portfolios portfolios, SiteAdministration administration) {
        this.portfolios = portfolios;
        this.administration = administration;
    }

    @GetMapping
    @PreAuthorize("hasAnyRole('MANAGER', 'EXECUTIVE', 'ADMINISTRATOR')")
    List<PortfolioView> list(@AuthenticationPrincipal Actor actor) {
        return portfolios.listVisible(actor).stream().map(PortfolioView::of).toList();
    }

    @GetMapping("/{id}")
    @PreAuthorize("hasAnyRole('MANAGER', 'EXECUTIVE', 'ADMINISTRATOR')")
    PortfolioView get(@PathVariable UUID id, @AuthenticationPrincipal Actor actor) {
        return portfolios.listVisible(actor).stream().filter(p -> p.id().equals(id)).findFirst()
                .map(PortfolioView::of)
                .orElseThrow(() -> RejectedRequest.notFound("Portfolio", id));
    }

    @PostMapping
    @PreAuthorize("hasRole('ADMINISTRATOR')")
    @ResponseStatus(HttpStatus.CREATED)
    PortfolioView create(@Valid @RequestBody NewPortfolio body, @AuthenticationPrincipal Actor actor) {
        return PortfolioView.of(administration.createPortfolio(body.id(), body.name(), body.siteIds(), actor));
    }

    @PutMapping("/{id}")
    @PreAuthorize("hasRole('ADMINISTRATOR')")
    PortfolioView change(@PathVariable UUID id, @Valid @RequestBody PortfolioChange body,
            @AuthenticationPrincipal Actor actor) {
        return PortfolioView.of(administration.changePortfolio(id, body.version(), body.name(), body.siteIds(),
                actor));
    }
}
