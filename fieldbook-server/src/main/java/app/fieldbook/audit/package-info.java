/**
 * The audit trail: who did what, when, from where, to which record, with the values before and after.
 * Listens to the other modules' change events and writes each one in the transaction of the change;
 * seals every event and links it into a chain keyed with a secret the database does not hold, whose head is
 * written to a file outside the database, so that a verifier finds any change made to the trail in the
 * database. When the read-access log is on (the regulated compliance mode), records who was given which
 * records to read as sealed events too. Exposes only its query API.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Audit")
package app.fieldbook.audit;
