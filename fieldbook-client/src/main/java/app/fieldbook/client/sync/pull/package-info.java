/** Pulling the server's changes page by page from the stored cursor, and applying each page with its cursor. */
package app.fieldbook.client.sync.pull;
