package app.fieldbook.sync.merge;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The decision for one operation: which field values to write, and which fields conflict. Fields the
 * server already has with the device's value are neither written nor conflicting.
 *
 * @param action what happens to the record
 * @param writes the fields to write, with the device's values
 * @param conflicts the fields left as conflicts; the record keeps the server's value
 * @param reason why the whole operation conflicts, when it does ({@code null} for field conflicts)
 */
public record Merge(Action action, Map<String, Object> writes, Map<String, FieldConflict> conflicts,
        WholeConflict reason) {

    /** What to do with the record. */
    public enum Action {
        /** Create the record with {@code writes}. */
        CREATE,
        /** Write {@code writes} to the existing record (may be empty). */
        UPDATE,
        /** Delete the record. */
        DELETE,
        /** Change nothing; the operation stands as a conflict or was already applied. */
        NONE
    }

    /** Why a whole operation could not be applied. */
    public enum WholeConflict {
        /** The device deleted a record that was changed meanwhile. */
        DELETE_OF_CHANGED,
        /** The device edited a record that was deleted meanwhile. */
        EDIT_OF_DELETED,
        /** The device edited frozen fields of a locked record (a report submitted or approved). */
        EDIT_OF_LOCKED
    }

    /** A field changed on both sides to different values. */
    public record FieldConflict(Object serverValue, Object clientValue) {
    }

    public Merge {
        writes = Collections.unmodifiableMap(new LinkedHashMap<>(writes));
        conflicts = Collections.unmodifiableMap(new LinkedHashMap<>(conflicts));
    }

    public boolean hasConflicts() {
        return !conflicts.isEmpty() || reason != null;
    }

    /**
     * Decides an operation against the server's record.
     *
     * <ul>
     * <li>Create of a new record: every field is written.</li>
     * <li>Create of a record that exists (a replay under another operation id, or the same report
     * created on two devices): merged like an edit whose base values were all empty, so fields the server
     * left empty take the device's value and fields both filled differently conflict. A field the create
     * left empty is no change: it neither clears the server's value nor conflicts with it. A record
     * locked meanwhile takes the filled fields as an edit of a locked record.</li>
     * <li>Edit: a field whose server value equals the device's base is written; one that already has the
     * device's value is left; one changed on both sides to different values conflicts, and the other
     * fields are still written.</li>
     * <li>Edit of a deleted record, or of frozen fields of a locked record (whenever it was locked): the
     * fields that differ from the server's conflict and nothing is written. Fields that are not frozen
     * (a report's status) follow the rules of an edit.</li>
     * <li>Delete: applied when the server still has the version the device saw; a record changed
     * meanwhile is kept and the delete conflicts; a record already gone needs nothing.</li>
     * </ul>
     */
    public static Merge decide(ServerRecord server, Change change) {
        return switch (change.kind()) {
            case CREATE -> server.exists() ? update(server, filledIn(change), true) : create(change);
            case UPDATE -> update(server, change, false);
            case DELETE -> delete(server, change);
        };
    }

    private static Merge create(Change change) {
        Map<String, Object> writes = new LinkedHashMap<>();
        change.fields().forEach((field, edit) -> writes.put(field, edit.value()));
        return new Merge(Action.CREATE, writes, Map.of(), null);
    }

    /** The fields a create filled in, each as an edit of an empty value. */
    private static Change filledIn(Change create) {
        Map<String, Change.Edit> filled = new LinkedHashMap<>();
        create.fields().forEach((field, edit) -> {
            if (!isEmpty(edit.value())) {
                filled.put(field, new Change.Edit(null, edit.value()));
            }
        });
        return new Change(create.kind(), create.baseVersion(), filled);
    }

    private static Merge update(ServerRecord server, Change change, boolean baseIsEmpty) {
        if (!server.exists()) {
            return whole(change, WholeConflict.EDIT_OF_DELETED, server);
        }
        if (server.locked()) {
            Map<String, Change.Edit> different = new LinkedHashMap<>();
            boolean touchesFrozen = false;
            for (Map.Entry<String, Change.Edit> field : change.fields().entrySet()) {
                if (!Objects.equals(server.value(field.getKey()), field.getValue().value())) {
                    different.put(field.getKey(), field.getValue());
                    touchesFrozen |= server.lockedFields().contains(field.getKey());
                }
            }
            if (touchesFrozen) {
                return whole(new Change(change.kind(), change.baseVersion(), different), WholeConflict.EDIT_OF_LOCKED,
                        server);
            }
        }
        return fields(server, change, baseIsEmpty);
    }

    private static Merge delete(ServerRecord server, Change change) {
        if (!server.exists()) {
            return new Merge(Action.NONE, Map.of(), Map.of(), null);
        }
        if (server.version() != change.baseVersion()) {
            return new Merge(Action.NONE, Map.of(), Map.of(), WholeConflict.DELETE_OF_CHANGED);
        }
        return new Merge(Action.DELETE, Map.of(), Map.of(), null);
    }

    private static Merge fields(ServerRecord server, Change change, boolean baseIsEmpty) {
        Map<String, Object> writes = new LinkedHashMap<>();
        Map<String, FieldConflict> conflicts = new LinkedHashMap<>();
        change.fields().forEach((field, edit) -> {
            Object current = server.value(field);
            Object base = baseIsEmpty ? null : edit.base();
            if (Objects.equals(current, edit.value())) {
                return;
            }
            if (Objects.equals(current, base) || (baseIsEmpty && isEmpty(current))) {
                writes.put(field, edit.value());
            } else {
                conflicts.put(field, new FieldConflict(current, edit.value()));
            }
        });
        return new Merge(Action.UPDATE, writes, conflicts, null);
    }

    private static Merge whole(Change change, WholeConflict reason, ServerRecord server) {
        Map<String, FieldConflict> conflicts = new LinkedHashMap<>();
        change.fields().forEach((field, edit) -> conflicts.put(field,
                new FieldConflict(server.exists() ? server.value(field) : null, edit.value())));
        return new Merge(Action.NONE, Map.of(), conflicts, reason);
    }

    private static boolean isEmpty(Object value) {
        return value == null || (value instanceof String text && text.isEmpty())
                || (value instanceof java.util.Collection<?> collection && collection.isEmpty());
    }
}
