/**
 * Fieldbook's Java client: daily reports and photos written offline into a local SQLite store, and a
 * sync engine that pushes the outbox, pulls the server's changes and uploads photos, resumably and
 * idempotently. {@link app.fieldbook.client.FieldbookClient} is the entry point; everything public in
 * this package is its API, the rest is the engine.
 */
package app.fieldbook.client;
