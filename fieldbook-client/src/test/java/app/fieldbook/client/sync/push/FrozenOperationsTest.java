package app.fieldbook.client.sync.push;

import static org.assertj.core.api.Assertions.assertThat;

import app.fieldbook.client.store.LocalStore;
import app.fieldbook.client.store.OutboxEntry;
import app.fieldbook.protocol.OperationKind;
import app.fieldbook.protocol.SyncProtocol;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

class FrozenOperationsTest {

    private static final Instant NOW = Instant.parse("2025-06-02T16:30:00Z");

    @TempDir
    Path directory;

    private final JsonMapper json = JsonMapper.builder().build();
    private LocalStore store;

    @BeforeEach
    void open() {
        store = LocalStore.open(directory.resolve("client.db"), json);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void aChangeTakenOutOfTheOutboxAfterTheBatchWasListedIsLeftOutWithItsEntry() {
        OutboxEntry first = create(UUID.randomUUID());
        OutboxEntry removed = create(UUID.randomUUID());
        OutboxEntry last = create(UUID.randomUUID());
        List<OutboxEntry> listed = store.outbox().sendable(NOW, Set.of(), 100);
        // another thread of the app deletes the draft (or removes the photo) before the batch is frozen
        store.outbox().remove(removed.seq());

        FrozenOperations.Prepared prepared = new FrozenOperations(store, json).prepared(listed);

        assertThat(prepared.entries()).extracting(OutboxEntry::operationId)
                .containsExactly(first.operationId(), last.operationId());
        assertThat(prepared.operations()).extracting(operation -> operation.get("operationId").asString())
                .containsExactly(first.operationId().toString(), last.operationId().toString());
        assertThat(store.outbox().find(first.operationId()).orElseThrow().sent()).isTrue();
        assertThat(store.outbox().find(removed.operationId())).isEmpty();
    }

    @Test
    void aChangeSentBeforeGoesAgainWithTheSameBytes() {
        OutboxEntry entry = create(UUID.randomUUID());
        FrozenOperations operations = new FrozenOperations(store, json);
        String first = operations.prepared(List.of(entry)).operations().get(0).toString();

        String again = operations.prepared(List.of(entry)).operations().get(0).toString();

        assertThat(again).isEqualTo(first);
    }

    private OutboxEntry create(UUID reportId) {
        return store.outbox().append(UUID.randomUUID(), SyncProtocol.REPORT, reportId, OperationKind.CREATE,
                json.createObjectNode(), null, OffsetDateTime.ofInstant(NOW, ZoneOffset.UTC));
    }
}
