package app.fieldbook.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class AuditChangesTest {

    @Test
    void onlyFieldsWhoseValueDiffersAreRecordedWithBothValues() {
        Map<String, Object> before = new HashMap<>(Map.of("name", "Old", "email", "a@x.org"));
        before.put("notes", null);
        Map<String, Object> after = new HashMap<>(Map.of("name", "New", "email", "a@x.org", "notes", "added"));
        assertThat(AuditTrail.changes(before, after)).containsOnlyKeys("name", "notes");
        assertThat(AuditTrail.changes(before, after).get("name")).containsEntry("before", "Old").containsEntry("after", "New");
        assertThat(AuditTrail.changes(before, after).get("notes")).containsEntry("before", null);
    }

    @Test
    void aCreationRecordsEveryFieldThatHasAValue() {
        assertThat(AuditTrail.changes(Map.of(), Map.of("code", "N-01"))).containsOnlyKeys("code");
    }

    @Test
    void eachLinkOfTheChainDependsOnTheLinkBeforeAndOnEveryFieldOfItsEvent() {
        AuditEvent event = new AuditEvent(UUID.randomUUID(), OffsetDateTime.parse("2026-01-01T00:00:00Z"),
                UUID.randomUUID(), "walter", "REPORT_UPDATED", "DailyReport", "r-1", UUID.randomUUID(), "{}", "req",
                "127.0.0.1");
        String hash = AuditChain.hash(AuditChain.GENESIS, event);
        assertThat(hash).hasSize(64).isEqualTo(AuditChain.hash(AuditChain.GENESIS, event));
        assertThat(AuditChain.hash(hash, event)).isNotEqualTo(hash);
        AuditEvent altered = new AuditEvent(event.id(), event.occurredAt(), event.actorId(), "mallory", event.action(),
                event.entityType(), event.entityId(), event.siteId(), event.changes(), event.requestId(),
                event.clientAddress());
        assertThat(AuditChain.hash(AuditChain.GENESIS, altered)).isNotEqualTo(hash);
    }

    @Test
    void theKeyedEncodingTellsANullFieldFromTheTextNullAndFieldsFromTheirSeparators() {
        AuditEvent event = new AuditEvent(UUID.randomUUID(), OffsetDateTime.parse("2026-01-01T00:00:00Z"), null,
                null, "SIGNED_IN", "User", "a|b", null, null, null, null);
        AuditEvent textNull = new AuditEvent(event.id(), event.occurredAt(), null, "null", event.action(),
                event.entityType(), event.entityId(), null, null, null, null);
        AuditEvent shifted = new AuditEvent(event.id(), event.occurredAt(), null, null, event.action(),
                event.entityType(), "a", null, "b", null, null);
        assertThat(textNull.canonical()).as("the unkeyed chain's form could not tell them apart")
                .isEqualTo(event.canonical());
        assertThat(textNull.encoded()).isNotEqualTo(event.encoded());
        assertThat(shifted.encoded()).isNotEqualTo(event.encoded());
    }
}
