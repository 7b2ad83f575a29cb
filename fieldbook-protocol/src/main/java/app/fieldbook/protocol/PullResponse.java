package app.fieldbook.protocol;

import java.util.List;
import java.util.UUID;

/**
 * Changes since the request's cursor, newest state of each record only.
 *
 * @param cursor the cursor to send next time
 * @param more whether more changes are waiting: pull again at once
 * @param dropSiteIds sites the device holds but may no longer see: delete their data
 * @param sites every site the caller may see, except those whose history the device is still being sent
 * @param people names of the people whose reports or changes appear
 */
public record PullResponse(
        String cursor,
        boolean more,
        List<Report> reports,
        List<Photo> photos,
        List<Conflict> conflicts,
        List<Deletion> deletions,
        List<UUID> dropSiteIds,
        List<SiteReference> sites,
        List<PersonReference> people) {
}
