package app.fieldbook.audit;

import static org.assertj.core.api.Assertions.assertThat;

import app.fieldbook.BackgroundJobs;
import app.fieldbook.RecurringJobs;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * A database whose chain was made before the chain had a key (schema V7, plain SHA-256 links, events still
 * waiting without a seal) is upgraded: the old links stay checkable, the first linker with a key links the
 * waiting events the old way and records where keyed links begin, and from there on only keyed links hold.
 */
class AuditChainUpgradeTest {

    private static final OffsetDateTime THEN = OffsetDateTime.parse("2026-02-02T08:00:00Z");

    @TempDir
    Path directory;

    JdbcClient jdbc;
    Flyway flyway;
    DataSource dataSource;

    @BeforeEach
    void aChainOfTheVersionBeforeTheKey() {
        String url = "jdbc:h2:mem:audit-upgrade-" + UUID.randomUUID()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1";
        Flyway.configure().dataSource(url, "sa", "").locations("classpath:db/migration")
                .target(MigrationVersion.fromVersion("7")).load().migrate();
        dataSource = new SingleConnectionDataSource(url, "sa", "", true);
        jdbc = JdbcClient.create(dataSource);
        String hash = AuditChain.GENESIS;
        for (int position = 1; position <= 3; position++) {
            AuditEvent event = event(position);
            insert(event);
            String next = AuditChain.hash(hash, event);
            jdbc.sql("INSERT INTO audit_chain (position, event_id, previous_hash, hash, linked_at) VALUES (?, ?, ?, ?, ?)")
                    .params(position, event.id(), hash, next, THEN).update();
            hash = next;
        }
        AuditEvent waiting = event(4);
        insert(waiting);
        jdbc.sql("INSERT INTO audit_unlinked (event_id, occurred_at) VALUES (?, ?)").params(waiting.id(), THEN).update();
        Flyway.configure().dataSource(url, "sa", "").locations("classpath:db/migration").load().migrate();
    }

    @Test
    void theOldLinksStayPlainTheWaitingEventsAreLinkedTheOldWayAndEveryLaterLinkIsKeyed() {
        AuditChain chain = chain();
        chain.linkPending();
        assertThat(jdbc.sql("SELECT keyed_after FROM audit_keying").query(Long.class).single()).isEqualTo(4);
        AuditChain.Verification verification = chain.verify();
        assertThat(verification.intact()).as(verification.toString()).isTrue();
        assertThat(verification.linkedEvents()).isEqualTo(4);

        AuditKey key = new AuditKey(settings(), jdbc);
        AuditEvent sealed = event(5);
        insert(sealed);
        jdbc.sql("UPDATE audit_events SET seal = ? WHERE id = ?").params(key.seal(sealed), sealed.id()).update();
        jdbc.sql("INSERT INTO audit_unlinked (event_id, occurred_at) VALUES (?, ?)").params(sealed.id(), THEN).update();
        chain.linkPending();
        assertThat(chain.verify().linkedEvents()).isEqualTo(5);
        String keyed = jdbc.sql("SELECT hash FROM audit_chain WHERE position = 5").query(String.class).single();
        String previous = jdbc.sql("SELECT hash FROM audit_chain WHERE position = 4").query(String.class).single();
        assertThat(keyed).isNotEqualTo(AuditChain.hash(previous, sealed));

        jdbc.sql("UPDATE audit_chain SET hash = ? WHERE position = 5").param(AuditChain.hash(previous, sealed)).update();
        AuditChain.Verification downgraded = chain.verify();
        assertThat(downgraded.intact()).isFalse();
        assertThat(downgraded.firstBrokenPosition()).isEqualTo(5);
        assertThat(downgraded.problem()).contains("not keyed");
    }

    @Test
    void anOldLinkRewrittenAfterTheUpgradeIsFoundThoughItWasNeverKeyed() {
        AuditChain chain = chain();
        chain.linkPending();
        jdbc.sql("UPDATE audit_events SET actor_login = 'mallory' WHERE id = ?").param(event(2).id()).update();
        String hash = AuditChain.GENESIS;
        for (int position = 1; position <= 4; position++) {
            UUID id = jdbc.sql("SELECT event_id FROM audit_chain WHERE position = ?").param(position).query(UUID.class)
                    .single();
            AuditEvent stored = jdbc.sql("SELECT * FROM audit_events WHERE id = ?").param(id).query(AuditEvents::row)
                    .single();
            String next = AuditChain.hash(hash, stored);
            jdbc.sql("UPDATE audit_chain SET previous_hash = ?, hash = ? WHERE position = ?").params(hash, next, position)
                    .update();
            hash = next;
        }
        AuditChain.Verification verification = chain.verify();
        assertThat(verification.intact()).isFalse();
        assertThat(verification.firstBrokenPosition()).as("the head written at the upgrade holds link 4").isEqualTo(4);
    }

    private AuditChain chain() {
        AuditKey key = new AuditKey(settings(), jdbc);
        Clock clock = Clock.systemUTC();
        return new AuditChain(jdbc, new NamedParameterJdbcTemplate(dataSource),
                new TransactionTemplate(new DataSourceTransactionManager(dataSource)), clock, key,
                new AuditHeads(settings(), key, clock), new ReadIndex(jdbc, JsonMapper.builder().build(),
                        new DataSourceTransactionManager(dataSource)),
                new BackgroundJobs(new SimpleMeterRegistry(), clock),
                new RecurringJobs.Settings(Duration.ofSeconds(10), 1, Duration.ofMinutes(1), 0, "upgrade",
                        Duration.ofMinutes(10)), dataSource);
    }

    private AuditSettings settings() {
        return new AuditSettings(Duration.ofSeconds(1), directory.resolve("audit.key"),
                directory.resolve("audit-heads.log"), Duration.ofMinutes(1), "0 30 2 * * *",
                AuditSettings.MINIMUM_RETENTION, null, Duration.ofMillis(2), Duration.ofSeconds(2));
    }

    private static AuditEvent event(int n) {
        return new AuditEvent(new UUID(0, n), THEN.plusSeconds(n), new UUID(1, n), "walter", "REPORT_UPDATED",
                "DailyReport", "r-" + n, new UUID(2, n), "{\"n\":" + n + "}", "req-" + n, "127.0.0.1");
    }

    private void insert(AuditEvent event) {
        jdbc.sql("""
                INSERT INTO audit_events (id, occurred_at, actor_id, actor_login, action, entity_type, entity_id,
                    site_id, changes, request_id, client_address)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(event.id(), event.occurredAt(), event.actorId(), event.actorLogin(), event.action(),
                        event.entityType(), event.entityId(), event.siteId(), event.changes(), event.requestId(),
                        event.clientAddress())
                .update();
    }
}
