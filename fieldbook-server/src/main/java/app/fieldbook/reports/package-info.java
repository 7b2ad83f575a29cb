/**
 * Daily reports: what happened on a site on a day (weather, crew, work, delays, safety, materials,
 * notes), written by a field worker and reviewed by a manager. Enforces who may edit, submit, return,
 * approve and reopen, and reads only within the caller's {@link app.fieldbook.sites.DataScope}.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Reports")
package app.fieldbook.reports;
