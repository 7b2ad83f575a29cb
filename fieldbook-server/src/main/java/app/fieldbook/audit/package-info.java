/**
 * The audit trail: who did what, when, from where, to which record, with the values before and after.
 * Listens to the other modules' change events and writes each one in the transaction of the change;
 * links every event into a SHA-256 hash chain that a verifier can check. Exposes only its query API.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Audit")
package app.fieldbook.audit;
