/**
 * Digests: mail that gathers what waits for a person, sent on no one's behalf by a background job. Each morning
 * every manager with reports waiting for their review gets one mail listing them by site, with a link to each in
 * the web app, the reports read within the manager's {@link app.fieldbook.sites.DataScope}; once a day per manager
 * across the nodes of a cluster and the tries of the job.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Digests")
package app.fieldbook.digests;
