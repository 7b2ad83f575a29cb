package app.fieldbook.sites;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The sites a scoped read of sites answered ({@link ScopedQuery#readSites}), to scope further reads of the same
 * snapshot by: the rows of those sites, named by id, instead of the scope's condition again. The scope's
 * condition on a person's sites is a view (a union of joins) that PostgreSQL plans anew in every statement that
 * holds it; reads that run several statements over the same sites (the dashboards, the month-end) check it once.
 * Made only by {@link ScopedQuery#readSites}, so its ids are always those a person's scope let through. More
 * sites than {@link #LISTED_UP_TO} are not named one by one but by the read's own conditions again.
 *
 * @param <T> what each site was read as
 */
public final class SitesSeen<T> {

    /** At most this many sites are named by id: a statement holds at most 65,535 parameters on PostgreSQL. */
    static final int LISTED_UP_TO = 1_000;

    private static final String SITES_PARAMETER = "sitesSeen";

    private final List<T> rows;
    private final List<UUID> ids;
    private final ScopedQuery read;

    /** The sites {@code read} (a query of {@code sites s} by {@code s.id}) answered, and their ids. */
    SitesSeen(List<T> rows, List<UUID> ids, ScopedQuery read) {
        this.rows = List.copyOf(rows);
        this.ids = List.copyOf(ids);
        this.read = read;
    }

    /** The sites as read, in the read's order. */
    public List<T> rows() {
        return rows;
    }

    /**
     * The rows whose site, in {@code siteColumn}, is one of these sites: all rows when the read was of every site
     * by a person who sees every site, none when it answered no site, and beyond {@link #LISTED_UP_TO} sites the
     * rows whose site the read's conditions let through. Read it in the snapshot the sites were read in, or a
     * site's change of scope meanwhile is not seen.
     *
     * @param siteColumn the (optionally qualified) column holding the site id; a code constant, never input
     * @throws IllegalArgumentException if the column is not a plain column reference
     */
    public ScopedQuery scope(String siteColumn) {
        return scope(siteColumn, LISTED_UP_TO);
    }

    /** {@link #scope(String)}, naming at most {@code listedUpTo} sites by id. */
    ScopedQuery scope(String siteColumn, int listedUpTo) {
        String oneOfThem = DataScope.oneOfPredicate(siteColumn, SITES_PARAMETER);
        if (read.seesEverySite()) {
            return new ScopedQuery(List.of(DataScope.EVERY_SITE), Map.of(), true);
        }
        if (ids.isEmpty()) {
            return new ScopedQuery(List.of(DataScope.NO_SITE), Map.of(), false);
        }
        if (ids.size() > listedUpTo) {
            return new ScopedQuery(List.of(DataScope.oneOfSitesPredicate(siteColumn, read.where())),
                    read.parameters(), false);
        }
        return new ScopedQuery(List.of(oneOfThem), Map.of(SITES_PARAMETER, ids), false);
    }
}
