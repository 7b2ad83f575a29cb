/**
 * Pushing the outbox exactly once: each change frozen when first sent and resent byte for byte under
 * its operation id, batches split around a change that fails them, and the server's answers recorded
 * in the transaction that takes the change out of the outbox.
 */
package app.fieldbook.client.sync.push;
