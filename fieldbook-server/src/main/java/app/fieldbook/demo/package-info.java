/**
 * Demo data for trying Fieldbook on a laptop: a few sites, a portfolio, one person of each role and some
 * reports. Active only with the {@code demo} profile, never in production.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Demo")
package app.fieldbook.demo;
