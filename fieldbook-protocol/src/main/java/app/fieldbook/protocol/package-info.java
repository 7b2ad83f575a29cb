/**
 * Wire types of the Fieldbook API under {@code /api/v1}, shared by the server and the Java client.
 * Plain records with Bean Validation constraints; no framework code, so any Java client can use them.
 */
package app.fieldbook.protocol;
