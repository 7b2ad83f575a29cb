package app.fieldbook.sites;

import app.fieldbook.identity.Actor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The {@code WHERE} clause of a read made for one person: the site scope of {@link DataScope} first, then
 * the conditions the read adds, each binding its value to the one named parameter it holds. Every read
 * that answers a person goes through it, so scope cannot be left out and filters are written one way.
 * Conditions are code constants; a value only ever reaches the database as a parameter, never as SQL
 * text. Instances are immutable: each condition answers a new query, so a common part can be shared.
 *
 * <pre>{@code
 * ScopedQuery query = ScopedQuery.of(actor, "r.site_id")
 *         .filter("r.status = :status", filter.status())
 *         .filter("r.report_date >= :from", filter.from());
 * query.statement(jdbc, """
 *         SELECT * FROM daily_reports r""", """
 *         ORDER BY r.report_date DESC
 *         LIMIT :limit""")
 *     .param("limit", 50)
 *     .query(ROW).list();
 * }</pre>
 */
public final class ScopedQuery {

    private static final Pattern PARAMETER = Pattern.compile("(?<![:\\w]):([a-zA-Z][a-zA-Z0-9]*)\\b");
    private static final String SITE_PARAMETER = "siteId";

    /** The column a read of sites scopes ({@link #readSites}). */
    private static final String SITES_READ_COLUMN = "s.id";
    /** What may follow a read of sites: an order by columns. */
    private static final Pattern SITES_READ_ORDER = Pattern.compile(
            "ORDER BY s\\.[a-z_]+( (ASC|DESC))?(, s\\.[a-z_]+( (ASC|DESC))?)*");

    private final String siteColumn;
    private final List<String> conditions;
    private final Map<String, Object> parameters;
    /** Whether the query is of every site: a person who sees every site, and no condition added. */
    private final boolean everySite;

    ScopedQuery(String siteColumn, List<String> conditions, Map<String, Object> parameters, boolean everySite) {
        this.siteColumn = siteColumn;
        this.conditions = conditions;
        this.parameters = parameters;
        this.everySite = everySite;
    }

    /**
     * The rows whose site, in {@code siteColumn}, the person may see.
     *
     * @param siteColumn the (optionally qualified) column holding the site id; a code constant, never input
     * @throws IllegalArgumentException if the column is not a plain column reference
     */
    public static ScopedQuery of(Actor actor, String siteColumn) {
        DataScope scope = DataScope.of(actor);
        return new ScopedQuery(siteColumn, List.of(scope.sitePredicate(siteColumn)), Map.copyOf(scope.parameters()),
                scope.seesEverySite());
    }

    /**
     * The rows of one site, {@code siteId} in {@code siteColumn}, if the person may see that site, and none
     * otherwise: the rows of {@code of(actor, siteColumn).where(siteColumn + " = :siteId", siteId)}, but the
     * scope is checked once for the site instead of once for each row (a count over a site's years of reports
     * took five times as long); with no site given, {@link #of(Actor, String)}. The site is bound as
     * {@code :siteId}.
     *
     * @param siteColumn the (optionally qualified) column holding the site id; a code constant, never input
     * @throws IllegalArgumentException if the column is not a plain column reference
     */
    public static ScopedQuery ofSite(Actor actor, String siteColumn, UUID siteId) {
        if (siteId == null) {
            return of(actor, siteColumn);
        }
        DataScope scope = DataScope.of(actor);
        return ofOneSite(scope, siteColumn, siteId, scope.oneSitePredicate(siteColumn, SITE_PARAMETER));
    }

    /**
     * {@link #ofSite} of a site that is given, with the site written as the range from {@code siteId} to
     * {@code siteId} of {@code siteColumn}: the same rows, but the database no longer takes the column for a
     * constant, so an order that begins with {@code siteColumn} can come only from an index that begins with it.
     * For a read of one site in such an index's order whose plan must not depend on the site: with the site as a
     * constant, PostgreSQL is free to walk another index in a near order (by date, say) and skip the rows of the
     * other sites, which on a few dozen sites of even size it estimates cheaper, and which for a site with few rows
     * reads the whole index (the report list's page, docs/performance.md).
     *
     * @param siteColumn the (optionally qualified) column holding the site id; a code constant, never input
     * @throws IllegalArgumentException if the column is not a plain column reference
     * @throws NullPointerException if no site is given ({@link #ofSite} takes none for the whole scope)
     */
    public static ScopedQuery ofSiteAsRange(Actor actor, String siteColumn, UUID siteId) {
        DataScope scope = DataScope.of(actor);
        return ofOneSite(scope, siteColumn, Objects.requireNonNull(siteId, "siteId"),
                scope.oneSiteRangePredicate(siteColumn, SITE_PARAMETER));
    }

    private static ScopedQuery ofOneSite(DataScope scope, String siteColumn, UUID siteId, String predicate) {
        Map<String, Object> parameters = new HashMap<>(scope.parameters());
        parameters.put(SITE_PARAMETER, siteId);
        return new ScopedQuery(siteColumn, List.of(predicate), Map.copyOf(parameters), false);
    }

    /**
     * This query, also requiring {@code condition}, which holds no parameter.
     *
     * @throws IllegalArgumentException if the condition holds a named parameter
     */
    public ScopedQuery where(String condition) {
        if (!parametersOf(condition).isEmpty()) {
            throw new IllegalArgumentException("A condition without a value holds no parameter: " + condition);
        }
        return with(condition, Map.of());
    }

    /**
     * This query, also requiring {@code condition}, which holds exactly one named parameter, bound to
     * {@code value}. An enum is bound as its name.
     *
     * @throws IllegalArgumentException if the condition holds no parameter or more than one, if the parameter
     *     is bound already, or if the value is null (use {@link #filter} for an optional one)
     */
    public ScopedQuery where(String condition, Object value) {
        if (value == null) {
            throw new IllegalArgumentException("No value for " + condition);
        }
        Set<String> names = parametersOf(condition);
        if (names.size() != 1) {
            throw new IllegalArgumentException("A condition with a value holds one parameter: " + condition);
        }
        String name = names.iterator().next();
        if (parameters.containsKey(name)) {
            throw new IllegalArgumentException("Parameter :" + name + " is bound already");
        }
        return with(condition, Map.of(name, value instanceof Enum<?> constant ? constant.name() : value));
    }

    /** This query, also requiring {@code condition} if {@code value} is given; unchanged if it is null. */
    public ScopedQuery filter(String condition, Object value) {
        return value == null ? this : where(condition, value);
    }

    /** The conditions, joined with {@code AND}, to follow {@code WHERE}. */
    public String where() {
        return String.join("\n   AND ", conditions);
    }

    /** The named parameters of {@link #where()}. */
    public Map<String, Object> parameters() {
        return parameters;
    }

    /**
     * The statement {@code select WHERE conditions}, its parameters bound. Bind those of {@code select} on
     * the answer.
     */
    public JdbcClient.StatementSpec statement(JdbcClient jdbc, String select) {
        return statement(jdbc, select, "");
    }

    /**
     * The statement {@code select WHERE conditions rest} (where {@code rest} is typically {@code ORDER BY}
     * and {@code LIMIT}), its parameters bound. Bind those of {@code select} and {@code rest} on the answer.
     */
    public JdbcClient.StatementSpec statement(JdbcClient jdbc, String select, String rest) {
        return jdbc.sql(sql(select, rest)).params(parameters);
    }

    /**
     * Reads sites through this query, a query of {@code sites s} made with the column {@code s.id}: the statement
     * {@code select WHERE conditions order}, where {@code select} reads {@code FROM sites s} alone and names the
     * column {@code id}, and {@code order} is empty or an {@code ORDER BY} of columns of {@code s}. What it answers
     * scopes further reads of the same snapshot by the sites' ids ({@link SitesSeen#scope}).
     *
     * @throws IllegalStateException if this query is not one of {@code s.id}
     * @throws IllegalArgumentException if {@code select} reads more than {@code sites s} or {@code order} is more
     *     than an order
     */
    public <T> SitesSeen<T> readSites(JdbcClient jdbc, String select, String order, RowMapper<T> row) {
        if (!SITES_READ_COLUMN.equals(siteColumn)) {
            throw new IllegalStateException("Sites are read through a query of " + SITES_READ_COLUMN + ", not "
                    + siteColumn);
        }
        if (!select.strip().endsWith(" FROM sites s")) {
            throw new IllegalArgumentException("A read of sites reads FROM sites s alone: " + select);
        }
        if (!order.isBlank() && !SITES_READ_ORDER.matcher(order.strip()).matches()) {
            throw new IllegalArgumentException("Only an order may follow a read of sites: " + order);
        }
        record Seen<T>(UUID id, T row) {
        }
        List<Seen<T>> seen = statement(jdbc, select, order)
                .query((rs, n) -> new Seen<>(rs.getObject("id", UUID.class), row.mapRow(rs, n)))
                .list();
        return new SitesSeen<>(seen.stream().map(Seen::row).toList(), seen.stream().map(Seen::id).toList(),
                everySite);
    }

    /** The text of {@link #statement(JdbcClient, String, String)}. */
    String sql(String select, String rest) {
        return select.strip() + "\n WHERE " + where() + (rest.isBlank() ? "" : "\n" + rest.strip());
    }

    private ScopedQuery with(String condition, Map<String, Object> more) {
        List<String> moreConditions = new ArrayList<>(conditions);
        moreConditions.add(condition.strip());
        Map<String, Object> moreParameters = new HashMap<>(parameters);
        moreParameters.putAll(more);
        return new ScopedQuery(siteColumn, List.copyOf(moreConditions), Map.copyOf(moreParameters), false);
    }

    private static Set<String> parametersOf(String condition) {
        Matcher matcher = PARAMETER.matcher(condition);
        return matcher.results().map(result -> result.group(1)).collect(Collectors.toSet());
    }
}
