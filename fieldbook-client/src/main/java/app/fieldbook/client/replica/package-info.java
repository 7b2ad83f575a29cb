/**
 * The device's copy of the server's records, with the device's own waiting changes applied, and a
 * report's fields as the outbox and the store hold them.
 */
package app.fieldbook.client.replica;
