package app.fieldbook.client;

import static app.fieldbook.client.TestDevices.NORTH;
import static app.fieldbook.client.TestDevices.content;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.fieldbook.protocol.Conflict;
import app.fieldbook.protocol.ConflictResolution;
import app.fieldbook.protocol.ConflictState;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ResolvingConflictsTest extends SignedInDeviceTest {

    private Conflict conflict;

    @BeforeEach
    void aConflictOnTheServer() {
        LocalReport report = client.createReport(NORTH.id(), LocalDate.of(2025, 6, 2), content("Deck 4 (worker)"));
        client.sync();
        conflict = PullingChangesTest.conflict(report.id());
        server.openConflicts(List.of(conflict));
    }

    @Test
    void refreshingFetchesTheOpenConflictsAndKeepsThem() {
        assertThat(client.refreshConflicts()).containsExactly(conflict);

        assertThat(client.conflicts()).containsExactly(conflict);
    }

    @Test
    void aConflictResolvedElsewhereDisappearsOnRefresh() {
        client.refreshConflicts();
        server.openConflicts(List.of());

        client.refreshConflicts();

        assertThat(client.conflicts()).isEmpty();
    }

    @Test
    void resolvingSendsTheChoiceAndKeepsTheServersAnswer() {
        client.refreshConflicts();

        Conflict resolved = client.resolveConflict(conflict.id(),
                new ConflictResolution(ConflictResolution.Choice.VALUE, "Deck 4, agreed"));

        assertThat(resolved.state()).isEqualTo(ConflictState.RESOLVED);
        assertThat(resolved.resolvedValue()).isEqualTo("Deck 4, agreed");
        assertThat(client.conflicts()).isEmpty();
        LoopbackServer.Received request = server.received("POST", "/api/v1/sync/conflicts/").getFirst();
        assertThat(request.path()).isEqualTo("/api/v1/sync/conflicts/" + conflict.id() + "/resolution");
        assertThat(request.json().get("choice").asString()).isEqualTo("VALUE");
    }

    @Test
    void resolvingAnUnknownConflictIsRefusedByTheServer() {
        assertThatThrownBy(() -> client.resolveConflict(UUID.randomUUID(),
                new ConflictResolution(ConflictResolution.Choice.SERVER, null)))
                .isInstanceOfSatisfying(ServerRefused.class, refused -> assertThat(refused.status()).isEqualTo(404));
    }

    @Test
    void resolvingNeedsTheServer() {
        server.close();

        assertThatThrownBy(() -> client.resolveConflict(conflict.id(),
                new ConflictResolution(ConflictResolution.Choice.CLIENT, null)))
                .isInstanceOf(ServerUnreachable.class);
    }
}
