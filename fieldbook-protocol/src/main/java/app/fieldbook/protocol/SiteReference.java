package app.fieldbook.protocol;

import java.util.UUID;

/** What a device needs to know of a site it may file reports for or read. */
public record SiteReference(UUID id, String code, String name, String timezone) {
}
