package app.fieldbook.sites;

import app.fieldbook.RejectedRequest;
import app.fieldbook.identity.AccessDenied;
import app.fieldbook.identity.Actor;
import app.fieldbook.protocol.Page;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.ZoneId;
import java.util.Set;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Sites: everyone lists the sites they may see; administrators create and change them. */
@RestController
@RequestMapping("/api/v1/sites")
class SiteController {

    /** The universal time's names, which a site may take though they have a fixed offset. */
    private static final Set<String> UNIVERSAL = Set.of("UTC", "Etc/UTC");

    record SiteInput(
            UUID id,
            Long version,
            @NotBlank @Size(max = 32) @Pattern(regexp = "[A-Z0-9][A-Z0-9-]*", message = "upper-case letters, digits and - only") String code,
            @NotBlank @Size(max = 200) String name,
            @NotBlank @Size(max = 64) String timezone,
            @NotBlank @Size(max = 500) String address,
            @DecimalMin("-90.0") @DecimalMax("90.0") Double latitude,
            @DecimalMin("-180.0") @DecimalMax("180.0") Double longitude) {

        /**
         * A place's name in the tz database, such as Europe/Berlin (or UTC): its clocks change with the seasons as
         * the site's do. A fixed offset ({@code +01:00}, {@code UTC+01:00}, {@code Etc/GMT-1}, {@code EST}) would
         * put a site's days an hour off for half the year, and browsers know most of them by no such name.
         */
        @AssertTrue(message = "must be a time zone id such as Europe/Berlin")
        boolean isTimezoneKnown() {
            if (timezone == null || UNIVERSAL.contains(timezone)) {
                return true;
            }
            return ZoneId.getAvailableZoneIds().contains(timezone) && !ZoneId.of(timezone).getRules().isFixedOffset();
        }

        @AssertTrue(message = "latitude and longitude go together")
        boolean isLocationComplete() {
            return (latitude == null) == (longitude == null);
        }

        SiteAdministration.SiteFields fields() {
            return new SiteAdministration.SiteFields(code, name, timezone, address, latitude, longitude);
        }
    }

    private final Sites sites;
    private final SiteAdministration administration;
    private final ApplicationEventPublisher events;

    SiteController(Sites sites, SiteAdministration administration, ApplicationEventPublisher events) {
        this.sites = sites;
        this.administration = administration;
        this.events = events;
    }

    @GetMapping
    Page<Site> list(@AuthenticationPrincipal Actor actor,
            @RequestParam(defaultValue = "0") @Min(0) int page,
            @RequestParam(defaultValue = "100") @Min(1) @Max(500) int size) {
        return new Page<>(sites.listVisible(actor, page, size), page, size, sites.countVisible(actor));
    }

    @GetMapping("/{id}")
    Site get(@PathVariable UUID id, @AuthenticationPrincipal Actor actor) {
        return sites.findVisible(id, actor).orElseThrow(() -> {
            if (sites.exists(id)) {
                events.publishEvent(new AccessDenied(actor, "Site", id.toString(), id, "outside the caller's sites"));
            }
            return RejectedRequest.notFound("Site", id);
        });
    }

    @PostMapping
    @PreAuthorize("hasRole('ADMINISTRATOR')")
    @ResponseStatus(HttpStatus.CREATED)
    Site create(@Valid @RequestBody SiteInput body, @AuthenticationPrincipal Actor actor) {
        return administration.createSite(body.id(), body.fields(), actor);
    }

    @PutMapping("/{id}")
    @PreAuthorize("hasRole('ADMINISTRATOR')")
    Site change(@PathVariable UUID id, @Valid @RequestBody SiteInput body, @AuthenticationPrincipal Actor actor) {
        if (body.version() == null) {
            throw new RejectedRequest(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request",
                    "version is required: the version of the site you changed.");
        }
        return administration.changeSite(id, body.version(), body.fields(), actor);
    }
}
