/**
 * The client's local SQLite store: replicated records, the outbox of changes waiting for the server,
 * photos waiting for upload, and what the device knows of itself. Used by the sync engine in
 * {@code app.fieldbook.client}; applications use that package, not this one.
 */
package app.fieldbook.client.store;
