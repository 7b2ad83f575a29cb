package app.fieldbook.sites;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The sites a scoped read of sites answered ({@link ScopedQuery#readSites}), to scope further reads of the same
 * snapshot by: the rows of those sites, named by id, instead of the scope's condition again. The scope's
 * condition on a person's sites is a view (a union of joins) that PostgreSQL plans anew in every statement that
 * holds it; reads that run several statements over the same sites (the dashboards, the month-end) check it once.
 * Made only by {@link ScopedQuery#readSites}, so its ids are always those a person's scope let through.
 *
 * @param <T> what each site was read as
 */
public final class SitesSeen<T> {

    private static final String SITES_PARAMETER = "sitesSeen";

    private final List<T> rows;
    private final List<UUID> ids;
    private final boolean everySite;

    /**
     * The sites a read answered, and their ids; {@code everySite} when it was a read of every site by a person
     * who sees every site.
     */
    SitesSeen(List<T> rows, List<UUID> ids, boolean everySite) {
        this.rows = List.copyOf(rows);
        this.ids = List.copyOf(ids);
        this.everySite = everySite;
    }

    /** The sites as read, in the read's order. */
    public List<T> rows() {
        return rows;
    }

    /**
     * The rows whose site, in {@code siteColumn}, is one of these sites, the ids bound as one array: all rows when
     * the read was of every site by a person who sees every site, none when it answered no site. Read it in the
     * snapshot the sites were read in, or a site's change of scope meanwhile is not seen.
     *
     * @param siteColumn the (optionally qualified) column holding the site id; a code constant, never input
     * @throws IllegalArgumentException if the column is not a plain column reference
     */
    public ScopedQuery scope(String siteColumn) {
        String oneOfThem = DataScope.oneOfPredicate(siteColumn, SITES_PARAMETER);
        if (everySite) {
            return new ScopedQuery(siteColumn, List.of(DataScope.EVERY_SITE), Map.of(), true);
        }
        if (ids.isEmpty()) {
            return new ScopedQuery(siteColumn, List.of(DataScope.NO_SITE), Map.of(), false);
        }
        return new ScopedQuery(siteColumn, List.of(oneOfThem), Map.of(SITES_PARAMETER, ids.toArray(UUID[]::new)),
                false);
    }
}
