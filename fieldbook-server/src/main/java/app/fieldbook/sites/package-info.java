/**
 * Sites, portfolios (named groups of sites) and who is assigned where: field workers to sites, managers
 * to portfolios. Owns {@link app.fieldbook.sites.DataScope}, the one mechanism by which every module
 * limits its queries to the sites a person may see.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Sites")
package app.fieldbook.sites;
