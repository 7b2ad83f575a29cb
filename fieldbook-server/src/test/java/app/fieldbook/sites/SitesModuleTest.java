package app.fieldbook.sites;

import static org.assertj.core.api.Assertions.assertThat;

import app.fieldbook.ModuleTest;
import app.fieldbook.Rows;
import app.fieldbook.identity.Actor;
import app.fieldbook.identity.Role;
import app.fieldbook.sites.AssignmentEvent.PortfoliosAssigned;
import app.fieldbook.sites.AssignmentEvent.SitesAssigned;
import app.fieldbook.sites.PortfolioEvent.PortfolioCreated;
import app.fieldbook.sites.PortfolioEvent.PortfolioEdited;
import app.fieldbook.sites.SiteEvent.SiteCreated;
import app.fieldbook.sites.SiteEvent.SiteEdited;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.test.PublishedEvents;
import org.springframework.modulith.test.Scenario;

/** The sites module on its own: each administration change publishes the event that says what happened. */
@ModuleTest
class SitesModuleTest {

    @Autowired
    SiteAdministration administration;

    @Autowired
    JdbcClient jdbc;

    Rows rows;
    Actor admin;

    @BeforeEach
    void world() {
        rows = new Rows(jdbc);
        admin = rows.person(Role.ADMINISTRATOR);
    }

    @Test
    void creatingAndChangingASitePublishesSiteCreatedThenSiteEdited(PublishedEvents events) {
        String code = "S" + UUID.randomUUID().toString().substring(0, 8);
        Site site = administration.createSite(null, fields(code, "Old name"), admin);
        administration.changeSite(site.id(), 1, fields(code, "New name"), admin);

        assertThat(events.ofType(SiteCreated.class).matchingValue(SiteCreated::siteId, site.id())).singleElement()
                .satisfies(created -> {
                    assertThat(created.actor()).isEqualTo(admin);
                    assertThat(created.before()).isEmpty();
                    assertThat(created.after()).containsEntry("code", code);
                });
        assertThat(events.ofType(SiteEdited.class).matchingValue(SiteEdited::siteId, site.id())).singleElement()
                .satisfies(edited -> {
                    assertThat(edited.before()).containsEntry("name", "Old name");
                    assertThat(edited.after()).containsEntry("name", "New name");
                });
    }

    @Test
    @SuppressWarnings("unchecked")
    void creatingAndChangingAPortfolioPublishesPortfolioCreatedThenPortfolioEdited(PublishedEvents events) {
        UUID first = rows.site();
        UUID second = rows.site();
        Portfolio portfolio = administration.createPortfolio(null, "Portfolio " + first, List.of(first), admin);
        administration.changePortfolio(portfolio.id(), 1, "Portfolio " + first, List.of(first, second), admin);

        assertThat(events.ofType(PortfolioCreated.class).matchingValue(PortfolioCreated::portfolioId, portfolio.id()))
                .singleElement().satisfies(created -> assertThat(created.after())
                        .containsEntry("siteIds", List.of(first.toString())));
        assertThat(events.ofType(PortfolioEdited.class).matchingValue(PortfolioEdited::portfolioId, portfolio.id()))
                .singleElement().satisfies(edited -> assertThat((List<Object>) edited.after().get("siteIds"))
                        .containsExactlyInAnyOrder(first.toString(), second.toString()));
    }

    @Test
    void assigningAWorkerToSitesPublishesSitesAssigned(Scenario scenario) {
        UUID site = rows.site();
        Actor worker = rows.worker();
        scenario.stimulate(() -> administration.assignSites(worker.id(), List.of(site), admin))
                .andWaitForEventOfType(SitesAssigned.class)
                .matchingMappedValue(SitesAssigned::userId, worker.id())
                .toArriveAndVerify(assigned -> {
                    assertThat(assigned.actor()).isEqualTo(admin);
                    assertThat(assigned.before()).isEqualTo(Map.of("siteIds", List.of()));
                    assertThat(assigned.after()).isEqualTo(Map.of("siteIds", List.of(site.toString())));
                });
    }

    @Test
    void assigningAManagerToPortfoliosPublishesPortfoliosAssigned(PublishedEvents events) {
        Portfolio portfolio = administration.createPortfolio(null, "Portfolio " + UUID.randomUUID(),
                List.of(rows.site()), admin);
        Actor manager = rows.person(Role.MANAGER);
        administration.assignPortfolios(manager.id(), List.of(portfolio.id()), admin);

        assertThat(events.ofType(PortfoliosAssigned.class).matchingValue(PortfoliosAssigned::userId, manager.id()))
                .singleElement().satisfies(assigned -> assertThat(assigned.after())
                        .containsEntry("portfolioIds", List.of(portfolio.id().toString())));
    }

    private static SiteAdministration.SiteFields fields(String code, String name) {
        return new SiteAdministration.SiteFields(code, name, "Europe/Berlin", "Teststrasse 1", null, null);
    }
}
