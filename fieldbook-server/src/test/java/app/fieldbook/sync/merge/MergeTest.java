package app.fieldbook.sync.merge;

import static org.assertj.core.api.Assertions.assertThat;

import app.fieldbook.sync.merge.Change.Edit;
import app.fieldbook.sync.merge.Change.Kind;
import app.fieldbook.sync.merge.Merge.Action;
import app.fieldbook.sync.merge.Merge.FieldConflict;
import app.fieldbook.sync.merge.Merge.WholeConflict;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * The merge rules as a table. Server record: {@code notes = "server"}, {@code delays = "late truck"},
 * {@code status = "DRAFT"} at version 3 unless the row says otherwise.
 */
class MergeTest {

    private static final Map<String, Object> SERVER = Map.of("notes", "server", "delays", "late truck", "status", "DRAFT");

    /** One row of the table: the server's record, the device's change, and what must come of it. */

    static Stream<Arguments> table() {
        return Stream.of(
                // edits of fields
                row("same field, device saw the server's value: applied",
                        at(3), update(3, "notes", "server", "device"),
                        Action.UPDATE, Map.of("notes", "device"), Map.of(), null),
                row("same field changed on both sides to different values: conflict, server value kept",
                        at(4, "notes", "other device"), update(3, "notes", "server", "device"),
                        Action.UPDATE, Map.of(), Map.of("notes", conflict("other device", "device")), null),
                row("same field changed on both sides to the same value: nothing to do",
                        at(4, "notes", "device"), update(3, "notes", "server", "device"),
                        Action.UPDATE, Map.of(), Map.of(), null),
                row("different fields changed on each side: merged",
                        at(4, "delays", "crane broke"), update(3, "notes", "server", "device"),
                        Action.UPDATE, Map.of("notes", "device"), Map.of(), null),
                row("one field conflicts, the other of the same operation is still applied",
                        at(4, "notes", "other device"), update(3, Map.of(
                                "notes", new Edit("server", "device"),
                                "delays", new Edit("late truck", "none"))),
                        Action.UPDATE, Map.of("delays", "none"), Map.of("notes", conflict("other device", "device")), null),
                row("clearing a field the server still has as seen: applied",
                        at(3), update(3, "notes", "server", null),
                        Action.UPDATE, mapOf("notes", null), Map.of(), null),
                row("clearing a field the server changed meanwhile: conflict",
                        at(4, "notes", "rewritten"), update(3, "notes", "server", null),
                        Action.UPDATE, Map.of(), Map.of("notes", conflict("rewritten", null)), null),
                row("filling a field that was empty on both sides: applied",
                        at(3, "notes", null), update(3, "notes", null, "first words"),
                        Action.UPDATE, Map.of("notes", "first words"), Map.of(), null),
                row("a replay of an edit already applied: nothing to do",
                        at(4, "notes", "device"), update(3, "notes", "server", "device"),
                        Action.UPDATE, Map.of(), Map.of(), null),
                // status changes
                row("submit from the status the device saw: applied",
                        at(3), update(3, "status", "DRAFT", "SUBMITTED"),
                        Action.UPDATE, Map.of("status", "SUBMITTED"), Map.of(), null),
                row("a status change from a status that changed meanwhile: conflict on status",
                        at(5, "status", "RETURNED"), update(3, "status", "SUBMITTED", "APPROVED"),
                        Action.UPDATE, Map.of(), Map.of("status", conflict("RETURNED", "APPROVED")), null),
                row("submit twice: nothing to do",
                        at(4, "status", "SUBMITTED"), update(3, "status", "DRAFT", "SUBMITTED"),
                        Action.UPDATE, Map.of(), Map.of(), null),
                row("edit of a report approved meanwhile: the whole edit conflicts",
                        locked(5, "status", "APPROVED"), update(3, "notes", "server", "device"),
                        Action.NONE, Map.of(), Map.of("notes", conflict("server", "device")), WholeConflict.EDIT_OF_LOCKED),
                row("submit of a report another device of the author submitted meanwhile: nothing to do",
                        locked(4, "status", "SUBMITTED"), update(3, "status", "DRAFT", "SUBMITTED"),
                        Action.UPDATE, Map.of(), Map.of(), null),
                row("edit of a report submitted meanwhile: only the fields that differ conflict",
                        locked(4, "status", "SUBMITTED"), update(3, Map.of(
                                "notes", new Edit("server", "device"),
                                "delays", new Edit("x", "late truck"))),
                        Action.NONE, Map.of(), Map.of("notes", conflict("server", "device")), WholeConflict.EDIT_OF_LOCKED),
                row("edit of a report that was already approved when the device saw it: a conflict, not a refusal",
                        locked(5, "status", "APPROVED"), update(5, "notes", "server", "device"),
                        Action.NONE, Map.of(), Map.of("notes", conflict("server", "device")), WholeConflict.EDIT_OF_LOCKED),
                row("a manager approves a submitted report: status is not frozen",
                        lockedContent(4, "status", "SUBMITTED"), update(4, "status", "SUBMITTED", "APPROVED"),
                        Action.UPDATE, Map.of("status", "APPROVED"), Map.of(), null),
                // deletes
                row("delete of the version the device saw: deleted",
                        at(3), delete(3),
                        Action.DELETE, Map.of(), Map.of(), null),
                row("delete against a concurrent edit: the record stays, the delete conflicts",
                        at(4, "notes", "edited"), delete(3),
                        Action.NONE, Map.of(), Map.of(), WholeConflict.DELETE_OF_CHANGED),
                row("delete of a record already gone: nothing to do",
                        ServerRecord.absent(), delete(3),
                        Action.NONE, Map.of(), Map.of(), null),
                row("edit of a record deleted meanwhile: the whole edit conflicts, its values kept",
                        ServerRecord.absent(), update(3, "notes", "server", "device"),
                        Action.NONE, Map.of(), Map.of("notes", conflict(null, "device")), WholeConflict.EDIT_OF_DELETED),
                // creates
                row("create of a new record: every field written",
                        ServerRecord.absent(), create(Map.of("notes", "n", "delays", "d")),
                        Action.CREATE, Map.of("notes", "n", "delays", "d"), Map.of(), null),
                row("create that meets the same report created on another device: empty fields filled, different ones conflict",
                        at(1, "notes", null, "delays", "late truck"), create(Map.of("notes", "from B", "delays", "no truck", "status", "DRAFT")),
                        Action.UPDATE, Map.of("notes", "from B"), Map.of("delays", conflict("late truck", "no truck")), null),
                row("create that meets the same report: the fields it left empty are no change",
                        at(1, "notes", "from A", "crew", java.util.List.of("row")),
                        create(mapOf("notes", null, "crew", java.util.List.of(), "delays", "")),
                        Action.UPDATE, Map.of(), Map.of(), null),
                row("create that meets the same report: filled fields merge, empty ones are left alone",
                        at(1, "notes", null, "crew", java.util.List.of("row")),
                        create(mapOf("notes", "from B", "crew", java.util.List.of())),
                        Action.UPDATE, Map.of("notes", "from B"), Map.of(), null),
                row("create that meets the same report submitted meanwhile: filled fields that differ conflict",
                        locked(2, "status", "SUBMITTED", "notes", null),
                        create(mapOf("notes", "from B", "delays", null)),
                        Action.NONE, Map.of(), Map.of("notes", conflict(null, "from B")), WholeConflict.EDIT_OF_LOCKED),
                row("create replayed under a new operation id: nothing to do",
                        at(1), create(Map.of("notes", "server", "delays", "late truck")),
                        Action.UPDATE, Map.of(), Map.of(), null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void decides(String name, ServerRecord server, Change change, Action action, Map<String, Object> writes,
            Map<String, FieldConflict> conflicts, WholeConflict reason) {
        Merge merge = Merge.decide(server, change);
        assertThat(merge.action()).isEqualTo(action);
        assertThat(merge.writes()).isEqualTo(writes);
        assertThat(merge.conflicts()).isEqualTo(conflicts);
        assertThat(merge.reason()).isEqualTo(reason);
    }

    @Test
    void nothingOfEitherSideIsLost() {
        table().map(arguments -> arguments.get()).forEach(row -> {
            ServerRecord server = (ServerRecord) row[1];
            Change change = (Change) row[2];
            Merge merge = Merge.decide(server, change);
            change.fields().forEach((field, edit) -> {
                boolean written = merge.writes().containsKey(field);
                boolean kept = merge.conflicts().containsKey(field)
                        && java.util.Objects.equals(merge.conflicts().get(field).clientValue(), edit.value());
                boolean alreadySo = server.exists() && java.util.Objects.equals(server.value(field), edit.value());
                boolean noChange = change.kind() == Kind.CREATE && isEmpty(edit.value());
                assertThat(written || kept || alreadySo || noChange).as(row[0] + ": the device's " + field).isTrue();
                if (change.kind() == Kind.CREATE && merge.conflicts().containsKey(field)) {
                    assertThat(isEmpty(edit.value())).as(row[0] + ": a conflict for " + field
                            + ", which the create left empty").isFalse();
                }
                if (written && server.exists() && merge.action() != Action.CREATE) {
                    Object current = server.value(field);
                    boolean serverWasBaseOrEmpty = java.util.Objects.equals(current,
                            change.kind() == Kind.CREATE ? null : edit.base()) || current == null;
                    assertThat(serverWasBaseOrEmpty).as(row[0] + ": the server's " + field + " is overwritten only "
                            + "where the device saw it").isTrue();
                }
            });
            if (merge.action() == Action.DELETE) {
                assertThat(server.version()).isEqualTo(change.baseVersion());
            }
        });
    }

    private static boolean isEmpty(Object value) {
        return value == null || "".equals(value) || (value instanceof java.util.Collection<?> list && list.isEmpty());
    }

    private static Arguments row(String name, ServerRecord server, Change change, Action action,
            Map<String, Object> writes, Map<String, FieldConflict> conflicts, WholeConflict reason) {
        return Arguments.of(name, server, change, action, writes, conflicts, reason);
    }

    private static ServerRecord at(long version, Object... overrides) {
        return ServerRecord.of(version, with(overrides), false);
    }

    private static ServerRecord locked(long version, Object... overrides) {
        return ServerRecord.of(version, with(overrides), true);
    }

    private static ServerRecord lockedContent(long version, Object... overrides) {
        return ServerRecord.of(version, with(overrides), true, java.util.Set.of("notes", "delays"));
    }

    private static Map<String, Object> with(Object... overrides) {
        Map<String, Object> fields = new HashMap<>(SERVER);
        for (int i = 0; i < overrides.length; i += 2) {
            fields.put((String) overrides[i], overrides[i + 1]);
        }
        return fields;
    }

    private static Change update(long base, String field, Object seen, Object written) {
        return update(base, mapOfEdit(field, new Edit(seen, written)));
    }

    private static Change update(long base, Map<String, Edit> fields) {
        return new Change(Kind.UPDATE, base, fields);
    }

    private static Change delete(long base) {
        return new Change(Kind.DELETE, base, Map.of());
    }

    private static Change create(Map<String, Object> values) {
        Map<String, Edit> fields = new LinkedHashMap<>();
        values.forEach((field, value) -> fields.put(field, new Edit(null, value)));
        return new Change(Kind.CREATE, 0, fields);
    }

    private static FieldConflict conflict(Object server, Object client) {
        return new FieldConflict(server, client);
    }

    private static Map<String, Edit> mapOfEdit(String field, Edit edit) {
        Map<String, Edit> map = new LinkedHashMap<>();
        map.put(field, edit);
        return map;
    }

    private static Map<String, Object> mapOf(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

}
