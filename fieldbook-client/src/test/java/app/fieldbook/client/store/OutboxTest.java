package app.fieldbook.client.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.fieldbook.protocol.OperationKind;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

class OutboxTest {

    private static final Instant NOW = Instant.parse("2025-06-02T16:30:00Z");

    @TempDir
    Path directory;

    private final JsonMapper json = JsonMapper.builder().build();
    private LocalStore store;
    private Outbox outbox;
    private final UUID reportA = UUID.randomUUID();
    private final UUID reportB = UUID.randomUUID();
    private final UUID photoOfA = UUID.randomUUID();

    @BeforeEach
    void open() {
        store = LocalStore.open(directory.resolve("client.db"), json);
        outbox = store.outbox();
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void onlyTheFirstWaitingChangeOfEachRecordIsSendable() {
        OutboxEntry createA = append("DailyReport", reportA, OperationKind.CREATE, null);
        append("DailyReport", reportA, OperationKind.UPDATE, null);
        OutboxEntry createB = append("DailyReport", reportB, OperationKind.CREATE, null);

        assertThat(outbox.sendable(NOW, Set.of(), 100)).containsExactly(createA, createB);
    }

    @Test
    void aPostponedChangeHoldsBackTheChangesOfItsRecordButNotOthers() {
        OutboxEntry createA = append("DailyReport", reportA, OperationKind.CREATE, null);
        append("DailyReport", reportA, OperationKind.UPDATE, null);
        OutboxEntry createB = append("DailyReport", reportB, OperationKind.CREATE, null);

        outbox.postpone(createA.seq(), NOW.plus(Duration.ofMinutes(5)), "500 from the server");

        assertThat(outbox.sendable(NOW, Set.of(), 100)).extracting(OutboxEntry::operationId)
                .containsExactly(createB.operationId());
        assertThat(outbox.sendable(NOW.plus(Duration.ofMinutes(5)), Set.of(), 100)).extracting(OutboxEntry::seq)
                .containsExactly(createA.seq(), createB.seq());
        assertThat(outbox.nextAttemptAt()).contains(NOW.plus(Duration.ofMinutes(5)));
    }

    @Test
    void aPhotoWaitsForTheEarlierChangesOfItsReportAndTheReportsLaterChangesWaitForThePhoto() {
        OutboxEntry createA = append("DailyReport", reportA, OperationKind.CREATE, null);
        OutboxEntry photo = append("Photo", photoOfA, OperationKind.CREATE, reportA);
        OutboxEntry laterEdit = append("DailyReport", reportA, OperationKind.UPDATE, null);

        assertThat(outbox.sendable(NOW, Set.of(), 100)).containsExactly(createA);
        outbox.remove(createA.seq());
        assertThat(outbox.sendable(NOW, Set.of(), 100)).extracting(OutboxEntry::seq).containsExactly(photo.seq());
        outbox.remove(photo.seq());
        assertThat(outbox.sendable(NOW, Set.of(), 100)).extracting(OutboxEntry::seq).containsExactly(laterEdit.seq());
    }

    @Test
    void theBatchIsLimitedAndSkipsTheExcluded() {
        OutboxEntry first = append("DailyReport", reportA, OperationKind.CREATE, null);
        OutboxEntry second = append("DailyReport", reportB, OperationKind.CREATE, null);
        OutboxEntry third = append("DailyReport", UUID.randomUUID(), OperationKind.CREATE, null);

        assertThat(outbox.sendable(NOW, Set.of(), 2)).containsExactly(first, second);
        assertThat(outbox.sendable(NOW, Set.of(first.seq()), 2)).extracting(OutboxEntry::seq)
                .containsExactly(second.seq(), third.seq());
    }

    @Test
    void aChangeKeepsTheBodyItWasFirstSentWith() {
        OutboxEntry entry = append("DailyReport", reportA, OperationKind.CREATE, null);

        outbox.sending(entry.seq(), "{\"first\":true}");
        outbox.sending(entry.seq(), "{\"second\":true}");

        OutboxEntry sent = outbox.find(entry.operationId()).orElseThrow();
        assertThat(sent.sentJson()).isEqualTo("{\"first\":true}");
        assertThat(sent.attempts()).isEqualTo(2);
        assertThatThrownBy(() -> outbox.replaceChanges(entry.seq(), json.createObjectNode()))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void rekeyingMovesTheChangesOfARecordAndThoseWaitingForIt() {
        append("DailyReport", reportA, OperationKind.UPDATE, null);
        append("Photo", photoOfA, OperationKind.CREATE, reportA);
        UUID serverId = UUID.randomUUID();

        outbox.rekey(reportA, serverId);

        assertThat(outbox.of(serverId)).hasSize(1);
        assertThat(outbox.dependingOn(serverId)).hasSize(1);
        assertThat(outbox.of(reportA)).isEmpty();
        assertThat(outbox.count()).isEqualTo(2);
        assertThat(outbox.oldestMadeAt()).contains(OffsetDateTime.ofInstant(NOW, ZoneOffset.UTC));
    }

    private OutboxEntry append(String entity, UUID entityId, OperationKind kind, UUID dependsOn) {
        return outbox.append(UUID.randomUUID(), entity, entityId, kind, json.createObjectNode(), dependsOn,
                OffsetDateTime.ofInstant(NOW, ZoneOffset.UTC));
    }

}
