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
 * @param lostOnDevice set when the device came back empty although it had reported changes or photos waiting:
 *     what was lost (the device tells its user); null otherwise
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
        List<PersonReference> people,
        LostOnDevice lostOnDevice) {

    /** An answer with nothing lost on the device. */
    public PullResponse(String cursor, boolean more, List<Report> reports, List<Photo> photos, List<Conflict> conflicts,
            List<Deletion> deletions, List<UUID> dropSiteIds, List<SiteReference> sites, List<PersonReference> people) {
        this(cursor, more, reports, photos, conflicts, deletions, dropSiteIds, sites, people, null);
    }

    /** This answer, telling the device what it lost. */
    public PullResponse withLostOnDevice(LostOnDevice lost) {
        return new PullResponse(cursor, more, reports, photos, conflicts, deletions, dropSiteIds, sites, people, lost);
    }
}
