package app.fieldbook.sync.conflicts;

import app.fieldbook.AppendedIds;
import app.fieldbook.identity.Actor;
import app.fieldbook.protocol.ConflictState;
import app.fieldbook.protocol.Operation;
import app.fieldbook.protocol.Report;
import app.fieldbook.protocol.SyncProtocol;
import app.fieldbook.sync.ConflictEvent.ConflictRecorded;
import app.fieldbook.sync.merge.Merge;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * Keeps what a merge could not apply: one open conflict per field, with the server's and the device's
 * value side by side, each published as {@link ConflictRecorded} in the transaction of the operation.
 */
@Component
public class RecordingConflicts {

    private final Conflicts conflicts;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    RecordingConflicts(Conflicts conflicts, ApplicationEventPublisher events, Clock clock) {
        this.conflicts = conflicts;
        this.events = events;
        this.clock = clock;
    }

    /**
     * Records the conflicts of {@code merge}, if it has any, and answers their ids in field order. A field
     * conflict of a whole record (an edit of a deleted or locked report) is named {@code field@reason}; a
     * delete of a changed report adds the conflict {@code _record}.
     *
     * @param server the report as the server has it after the operation (null if it is gone)
     * @param deletedFrom the site of the report, when it was deleted before the operation came
     */
    public List<UUID> record(Operation operation, UUID deviceId, Actor actor, UUID reportId, Report server,
            UUID deletedFrom, Merge merge) {
        if (!merge.hasConflicts()) {
            return List.of();
        }
        UUID siteId = server != null ? server.siteId() : deletedFrom;
        UUID authorId = server != null ? server.authorId() : actor.id();
        Map<String, Merge.FieldConflict> fields = new TreeMap<>(merge.conflicts());
        if (merge.reason() == Merge.WholeConflict.DELETE_OF_CHANGED) {
            fields.put("_record", new Merge.FieldConflict("kept at version " + server.version(), "deleted"));
        }
        List<UUID> ids = new ArrayList<>();
        OffsetDateTime now = OffsetDateTime.now(clock);
        for (var field : fields.entrySet()) {
            UUID id = AppendedIds.next();
            String fieldName = merge.reason() == Merge.WholeConflict.EDIT_OF_DELETED
                    || merge.reason() == Merge.WholeConflict.EDIT_OF_LOCKED
                    ? field.getKey() + "@" + merge.reason().name().toLowerCase() : field.getKey();
            conflicts.insert(new Conflicts.Row(id, SyncProtocol.REPORT, reportId, siteId, authorId, fieldName,
                    conflicts.write(field.getValue().serverValue()), server == null ? null : server.updatedBy(),
                    server == null ? null : server.updatedAt(), conflicts.write(field.getValue().clientValue()),
                    actor.id(), deviceId, operation.madeAt(), operation.operationId(),
                    ConflictState.OPEN, null, null, null, 1, now));
            events.publishEvent(new ConflictRecorded(actor, id, reportId, siteId, fieldName,
                    field.getValue().serverValue(), field.getValue().clientValue()));
            ids.add(id);
        }
        return ids;
    }
}
