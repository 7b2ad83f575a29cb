/**
 * Offline sync: devices push the operations they made offline and pull what changed since their
 * cursor. Each operation is applied exactly once, merged field by field by the rules in {@code merge},
 * and what cannot be merged is kept as a conflict until someone resolves it. Also keeps the latest
 * status of each device, and serves the resumable photo uploads of the attachments module. Inside:
 * {@code push} (applying operations exactly once), {@code pull} (the change feed and pulls),
 * {@code conflicts} (recording and resolving them) and {@code merge} (the rules, with no Spring).
 */
@org.springframework.modulith.ApplicationModule(displayName = "Sync")
package app.fieldbook.sync;
