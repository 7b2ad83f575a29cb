/**
 * A sync, one at a time: push ({@code sync.push}), pull ({@code sync.pull}), then upload photos
 * ({@code sync.upload}), counted in a tally that becomes the application's
 * {@link app.fieldbook.client.SyncSummary}.
 */
package app.fieldbook.client.sync;
