package app.fieldbook.identity;

import java.util.List;
import java.util.UUID;

/**
 * Published when a person was given records to read: a report opened, a page of a list or search, the
 * reports of a sync pull, a photo or its thumbnail downloaded, an export. Published once the read has
 * succeeded and outside its transaction (or from within it, to be handled after it commits): a read that
 * is refused (403, 404) or fails publishes nothing. The audit module writes it to the read-access log when
 * that log is on (docs/security.md, Read-access log) and drops it otherwise.
 *
 * @param actor who read
 * @param access the kind of read, stored as the action of the log entry
 * @param entityType the type of the records read ({@code DailyReport}, {@code Photo})
 * @param records the records given to the person, each with its site
 */
public record RecordsRead(Actor actor, Access access, String entityType, List<Item> records) {

    /** The kinds of read. */
    public enum Access {
        /** One record opened (a report's detail). */
        VIEWED,
        /** A page of a list or a search. */
        LISTED,
        /** Records delivered to a device by a sync pull. */
        PULLED,
        /** A photo's content downloaded. */
        DOWNLOADED,
        /** A photo's thumbnail downloaded. */
        PREVIEWED,
        /** Records written to an export. */
        EXPORTED
    }

    /** A record read, and its site. */
    public record Item(String id, UUID siteId) {

        public Item(UUID id, UUID siteId) {
            this(id.toString(), siteId);
        }
    }

    public RecordsRead {
        records = List.copyOf(records);
    }

    /**
     * The one call an export makes (through the event publisher) once it has handed its file over: who
     * exported which records of which type.
     */
    public static RecordsRead exported(Actor actor, String entityType, List<Item> records) {
        return new RecordsRead(actor, Access.EXPORTED, entityType, records);
    }
}
