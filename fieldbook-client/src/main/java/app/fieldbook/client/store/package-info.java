/**
 * The client's local SQLite store: replicated records, the outbox of changes waiting for the server,
 * photos waiting for upload, and what the device knows of itself. Used by the client's own packages;
 * applications use {@code app.fieldbook.client}, never this package, so that nothing writes the outbox
 * behind the sync. What the public API hands out (the store's failure, a photo's upload state, a refused
 * change) are types of {@code app.fieldbook.client}; a type here is public only where the sync engine's
 * other packages need it, as {@code StoreVisibilityTest} lists.
 */
package app.fieldbook.client.store;
