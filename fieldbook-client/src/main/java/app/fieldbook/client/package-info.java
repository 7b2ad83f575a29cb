/**
 * Fieldbook's Java client: daily reports and photos written offline into a local SQLite store, and a
 * sync engine that pushes the outbox, pulls the server's changes and uploads photos, resumably and
 * idempotently. {@link app.fieldbook.client.FieldbookClient} is the entry point; everything public in
 * this package is its API. The package-private classes here serve the application's calls (signing in,
 * writing reports, attaching photos, resolving conflicts); the sub-packages are the sync engine and the
 * store, which applications do not use.
 */
package app.fieldbook.client;
