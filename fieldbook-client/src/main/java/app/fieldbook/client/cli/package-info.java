/**
 * The {@code fieldbook} command line on top of {@link app.fieldbook.client.FieldbookClient}: sign in,
 * write reports offline, attach photos, sync with a progress bar, and resolve conflicts.
 */
package app.fieldbook.client.cli;
