/**
 * The Fieldbook server's token and sync endpoints over HTTP ({@link app.fieldbook.client.http.SyncApi}),
 * what a failed request means ({@link app.fieldbook.client.http.RequestFailed}), and retrying a request
 * within a sync.
 */
package app.fieldbook.client.http;
