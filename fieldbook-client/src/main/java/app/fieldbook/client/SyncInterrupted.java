package app.fieldbook.client;

/**
 * The thread running a sync was interrupted; the sync stopped where it was. What was acknowledged
 * is recorded, the rest stays in the outbox.
 */
public final class SyncInterrupted extends FieldbookException {

    public SyncInterrupted(InterruptedException cause) {
        super("The sync was interrupted.", cause);
    }
}
