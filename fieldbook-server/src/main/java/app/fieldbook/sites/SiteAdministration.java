package app.fieldbook.sites;

import app.fieldbook.RejectedRequest;
import app.fieldbook.identity.Actor;
import app.fieldbook.identity.Role;
import app.fieldbook.identity.UserDirectory;
import app.fieldbook.sites.AssignmentEvent.PortfoliosAssigned;
import app.fieldbook.sites.AssignmentEvent.SitesAssigned;
import app.fieldbook.sites.PortfolioEvent.PortfolioCreated;
import app.fieldbook.sites.PortfolioEvent.PortfolioEdited;
import app.fieldbook.sites.SiteEvent.SiteCreated;
import app.fieldbook.sites.SiteEvent.SiteEdited;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Creating and changing sites and portfolios, and assigning people to them, by an administrator. Every
 * change checks its references before writing and publishes its event inside the transaction.
 */
@Service
public class SiteAdministration {

    /** The fields of a site an administrator writes. */
    public record SiteFields(String code, String name, String timezone, String address, Double latitude,
            Double longitude) {
    }

    private final Sites sites;
    private final Portfolios portfolios;
    private final Assignments assignments;
    private final UserDirectory users;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    SiteAdministration(Sites sites, Portfolios portfolios, Assignments assignments, UserDirectory users,
            ApplicationEventPublisher events, Clock clock) {
        this.sites = sites;
        this.portfolios = portfolios;
        this.assignments = assignments;
        this.users = users;
        this.events = events;
        this.clock = clock;
    }

    @Transactional
    public Site createSite(UUID id, SiteFields fields, Actor actor) {
        if (sites.findByCode(fields.code()).isPresent()) {
            throw new RejectedRequest(HttpStatus.CONFLICT, "site-code-taken", "Site code taken",
                    "Another site already has the code " + fields.code() + ".");
        }
        if (id != null && sites.findById(id).isPresent()) {
            throw new RejectedRequest(HttpStatus.CONFLICT, "id-taken", "Id taken", "A site with id " + id + " exists.");
        }
        OffsetDateTime now = OffsetDateTime.now(clock);
        Site site = new Site(id == null ? UUID.randomUUID() : id, fields.code(), fields.name(), fields.timezone(),
                fields.address(), fields.latitude(), fields.longitude(), 1, now, now);
        sites.insert(site);
        events.publishEvent(new SiteCreated(actor, site.id(), site.auditedFields()));
        return site;
    }

    @Transactional
    public Site changeSite(UUID id, long version, SiteFields fields, Actor actor) {
        Site before = sites.findById(id).orElseThrow(() -> RejectedRequest.notFound("Site", id));
        if (before.version() != version) {
            throw RejectedRequest.staleVersion("Site", version, before.version());
        }
        sites.findByCode(fields.code()).filter(other -> !other.id().equals(id)).ifPresent(other -> {
            throw new RejectedRequest(HttpStatus.CONFLICT, "site-code-taken", "Site code taken",
                    "Another site already has the code " + fields.code() + ".");
        });
        Site after = new Site(id, fields.code(), fields.name(), fields.timezone(), fields.address(), fields.latitude(),
                fields.longitude(), before.version() + 1, before.createdAt(), OffsetDateTime.now(clock));
        if (!sites.update(after, version)) {
            throw RejectedRequest.staleVersion("Site", version, version + 1);
        }
        events.publishEvent(new SiteEdited(actor, id, before.auditedFields(), after.auditedFields()));
        return after;
    }

    @Transactional
    Portfolio createPortfolio(UUID id, String name, List<UUID> siteIds, Actor actor) {
        requireSites(siteIds);
        OffsetDateTime now = OffsetDateTime.now(clock);
        Portfolio portfolio = new Portfolio(id == null ? UUID.randomUUID() : id, name, distinct(siteIds), 1, now, now);
        portfolios.insert(portfolio);
        events.publishEvent(new PortfolioCreated(actor, portfolio.id(), portfolio.auditedFields()));
        return portfolio;
    }

    @Transactional
    Portfolio changePortfolio(UUID id, long version, String name, List<UUID> siteIds, Actor actor) {
        Portfolio before = portfolios.findById(id).orElseThrow(() -> RejectedRequest.notFound("Portfolio", id));
        if (before.version() != version) {
            throw RejectedRequest.staleVersion("Portfolio", version, before.version());
        }
        requireSites(siteIds);
        Portfolio after = new Portfolio(id, name, distinct(siteIds), version + 1, before.createdAt(),
                OffsetDateTime.now(clock));
        if (!portfolios.update(after, version)) {
            throw RejectedRequest.staleVersion("Portfolio", version, version + 1);
        }
        events.publishEvent(new PortfolioEdited(actor, id, before.auditedFields(), after.auditedFields()));
        return after;
    }

    /** Replaces the sites of a field worker. */
    @Transactional
    List<UUID> assignSites(UUID userId, List<UUID> siteIds, Actor actor) {
        requireRole(userId, Role.WORKER, "Only field workers are assigned to sites; assign managers to portfolios.");
        requireSites(siteIds);
        List<UUID> before = assignments.sitesOf(userId);
        List<UUID> after = distinct(siteIds).stream().sorted().toList();
        assignments.replaceSites(userId, after);
        events.publishEvent(new SitesAssigned(actor, userId, before, after));
        return after;
    }

    /** Replaces the portfolios of a manager. */
    @Transactional
    List<UUID> assignPortfolios(UUID userId, List<UUID> portfolioIds, Actor actor) {
        requireRole(userId, Role.MANAGER, "Only managers are assigned to portfolios; assign field workers to sites.");
        List<UUID> wanted = distinct(portfolioIds);
        List<UUID> existing = portfolios.existingIds(wanted);
        if (existing.size() != wanted.size()) {
            throw new RejectedRequest(HttpStatus.UNPROCESSABLE_CONTENT, "unknown-portfolio", "Unknown portfolio",
                    "No portfolio with id " + missing(wanted, existing) + ".");
        }
        List<UUID> before = assignments.portfoliosOf(userId);
        List<UUID> after = wanted.stream().sorted().toList();
        assignments.replacePortfolios(userId, after);
        events.publishEvent(new PortfoliosAssigned(actor, userId, before, after));
        return after;
    }

    private void requireRole(UUID userId, Role role, String explanation) {
        Actor user = users.find(userId).orElseThrow(() -> RejectedRequest.notFound("User", userId));
        if (user.role() != role) {
            throw new RejectedRequest(HttpStatus.UNPROCESSABLE_CONTENT, "wrong-role-for-assignment",
                    "Wrong role for this assignment", explanation);
        }
    }

    private void requireSites(List<UUID> siteIds) {
        List<UUID> wanted = distinct(siteIds);
        List<UUID> existing = sites.existingIds(wanted);
        if (existing.size() != wanted.size()) {
            throw new RejectedRequest(HttpStatus.UNPROCESSABLE_CONTENT, "unknown-site", "Unknown site",
                    "No site with id " + missing(wanted, existing) + ".");
        }
    }

    private static List<UUID> distinct(List<UUID> ids) {
        return List.copyOf(new LinkedHashSet<>(ids));
    }

    private static UUID missing(List<UUID> wanted, List<UUID> existing) {
        var found = new HashSet<>(existing);
        return wanted.stream().filter(id -> !found.contains(id)).findFirst().orElseThrow();
    }
}
