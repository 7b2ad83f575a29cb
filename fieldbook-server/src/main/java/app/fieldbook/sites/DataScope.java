package app.fieldbook.sites;

import app.fieldbook.identity.Actor;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The sites a person may see, as a predicate inside SQL, so that scope is applied by the database in
 * the query itself and never by filtering in memory. A field worker sees the sites assigned to them, a
 * manager the sites of their portfolios (both through the {@code site_access} view); executives and
 * administrators see every site. Which actions a role may take on those sites is decided elsewhere.
 * Reads use it through {@link ScopedQuery}, which starts every {@code WHERE} clause with its predicate.
 */
public final class DataScope {

    private static final Pattern COLUMN = Pattern.compile("[a-z_]+(\\.[a-z_]+)?");
    private static final Pattern PARAMETER = Pattern.compile("[a-zA-Z][a-zA-Z0-9]*");
    private static final String USER_PARAMETER = "scopeUserId";

    /** The predicate of a person who sees every site. */
    static final String EVERY_SITE = "1 = 1";

    /** The predicate that holds for no row. */
    static final String NO_SITE = "1 = 0";

    private final Actor actor;

    private DataScope(Actor actor) {
        this.actor = actor;
    }

    public static DataScope of(Actor actor) {
        return new DataScope(actor);
    }

    /** Whether this person sees every site without an assignment. */
    public boolean seesEverySite() {
        return switch (actor.role()) {
            case EXECUTIVE, ADMINISTRATOR -> true;
            case WORKER, MANAGER -> false;
        };
    }

    /**
     * A SQL boolean expression that holds for rows whose site the person may see. Bind {@link
     * #parameters()} as named parameters.
     *
     * @param siteColumn the (optionally qualified) column that holds the site id; a code constant, never input
     * @throws IllegalArgumentException if the column is not a plain column reference
     */
    public String sitePredicate(String siteColumn) {
        if (!COLUMN.matcher(siteColumn).matches()) {
            throw new IllegalArgumentException("Not a column reference: " + siteColumn);
        }
        if (seesEverySite()) {
            return EVERY_SITE;
        }
        return "EXISTS (SELECT 1 FROM site_access sa WHERE sa.user_id = :" + USER_PARAMETER
                + " AND sa.site_id = " + siteColumn + ")";
    }

    /**
     * A SQL boolean expression that holds for the rows of the site bound to the named parameter {@code
     * siteParameter}, if the person may see that site: the scope is checked once for the statement rather than
     * for each row (see {@link ScopedQuery#ofSite}). Bind {@link #parameters()} and that parameter.
     *
     * @param siteColumn the (optionally qualified) column that holds the site id; a code constant, never input
     * @param siteParameter the name of the parameter that holds the site id; a code constant, never input
     * @throws IllegalArgumentException if the column is not a plain column reference or the parameter not a name
     */
    public String oneSitePredicate(String siteColumn, String siteParameter) {
        return oneSitePredicate(siteColumn, siteParameter, false);
    }

    /**
     * {@link #oneSitePredicate(String, String)} with the site written as the range from the site to the site
     * ({@code siteColumn >= :siteParameter AND siteColumn <= :siteParameter}): the same rows, but the database does
     * not take the column for a constant, so an order that begins with it can come only from an index that does
     * (see {@link ScopedQuery#ofSiteAsRange}).
     *
     * @param siteColumn the (optionally qualified) column that holds the site id; a code constant, never input
     * @param siteParameter the name of the parameter that holds the site id; a code constant, never input
     * @throws IllegalArgumentException if the column is not a plain column reference or the parameter not a name
     */
    String oneSiteRangePredicate(String siteColumn, String siteParameter) {
        return oneSitePredicate(siteColumn, siteParameter, true);
    }

    private String oneSitePredicate(String siteColumn, String siteParameter, boolean asRange) {
        if (!COLUMN.matcher(siteColumn).matches()) {
            throw new IllegalArgumentException("Not a column reference: " + siteColumn);
        }
        if (!PARAMETER.matcher(siteParameter).matches()) {
            throw new IllegalArgumentException("Not a parameter name: " + siteParameter);
        }
        String ofTheSite = asRange
                ? siteColumn + " >= :" + siteParameter + " AND " + siteColumn + " <= :" + siteParameter
                : siteColumn + " = :" + siteParameter;
        if (seesEverySite()) {
            return ofTheSite;
        }
        return "EXISTS (SELECT 1 FROM site_access sa WHERE sa.user_id = :" + USER_PARAMETER
                + " AND sa.site_id = :" + siteParameter + ") AND " + ofTheSite;
    }

    /**
     * A SQL boolean expression that holds for the rows whose site is one of the ids bound to the named parameter
     * {@code sitesParameter}, an array of sites a scoped read found the person to see ({@link SitesSeen}).
     *
     * @param siteColumn the (optionally qualified) column that holds the site id; a code constant, never input
     * @param sitesParameter the name of the parameter that holds the ids; a code constant, never input
     * @throws IllegalArgumentException if the column is not a plain column reference or the parameter not a name
     */
    static String oneOfPredicate(String siteColumn, String sitesParameter) {
        if (!COLUMN.matcher(siteColumn).matches()) {
            throw new IllegalArgumentException("Not a column reference: " + siteColumn);
        }
        if (!PARAMETER.matcher(sitesParameter).matches()) {
            throw new IllegalArgumentException("Not a parameter name: " + sitesParameter);
        }
        return siteColumn + " = ANY (:" + sitesParameter + ")";
    }

    /** The named parameters the predicate uses. */
    public Map<String, Object> parameters() {
        return seesEverySite() ? Map.of() : Map.of(USER_PARAMETER, actor.id());
    }
}
