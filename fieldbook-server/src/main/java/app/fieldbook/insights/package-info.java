/**
 * Insights: the figures managers close a month with and executives watch the portfolio by, computed from the
 * daily reports, their crews and photos for the sites a person may see, the exports that carry them (CSV and
 * PDF), and the data of the managers' and executives' dashboards. It reads the reports' tables in aggregated queries
 * scoped by {@link app.fieldbook.sites.ScopedQuery}, writes nothing, and owns no table.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Insights")
package app.fieldbook.insights;
