/**
 * The client's local SQLite store: replicated records, the outbox of changes waiting for the server,
 * photos waiting for upload, and what the device knows of itself. Used by the client's own packages;
 * applications use {@code app.fieldbook.client}, never this package, so that nothing writes the outbox
 * behind the sync.
 */
package app.fieldbook.client.store;
