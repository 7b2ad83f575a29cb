package app.fieldbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

@FullStackTest
class InsertsAtCommitTest {

    private static final String INSERT = "INSERT INTO inserts_at_commit_test (id, note) VALUES (?, ?)";

    @Autowired
    InsertsAtCommit inserts;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TransactionTemplate transactions;

    @BeforeEach
    void table() {
        jdbc.sql("CREATE TABLE IF NOT EXISTS inserts_at_commit_test (id UUID PRIMARY KEY, note VARCHAR(40))").update();
    }

    @Test
    void queuedInsertsAreWrittenInOrderWhenTheTransactionCommits() {
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        transactions.executeWithoutResult(status -> {
            inserts.add(INSERT, first, "first");
            inserts.add(INSERT, second, null);
            assertThat(count(first, second)).as("not written before the commit").isZero();
        });
        assertThat(count(first, second)).isEqualTo(2);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM inserts_at_commit_test WHERE id = ? AND note IS NULL").param(second)
                .query(Long.class).single()).isOne();
    }

    @Test
    void aFlushWritesThemForTheTransactionsOwnReadsAndARollbackTakesThemBack() {
        UUID id = UUID.randomUUID();
        transactions.executeWithoutResult(status -> {
            inserts.add(INSERT, id, "read back");
            inserts.flush();
            assertThat(count(id)).isOne();
            status.setRollbackOnly();
        });
        assertThat(count(id)).isZero();
    }

    @Test
    void aKeyTheyViolateFailsTheCommitAndRollsBackTheWholeTransaction() {
        UUID taken = UUID.randomUUID();
        inserts.add(INSERT, taken, "outside a transaction: at once");
        assertThat(count(taken)).isOne();
        UUID other = UUID.randomUUID();
        assertThatThrownBy(() -> transactions.executeWithoutResult(status -> {
            jdbc.sql(INSERT).params(other, "written at once").update();
            inserts.add(INSERT, taken, "again");
        })).isInstanceOf(DuplicateKeyException.class);
        assertThat(count(other)).isZero();
    }

    @Test
    void aTransactionThatQueuesManyWritesThemAll() {
        List<UUID> ids = new ArrayList<>();
        transactions.executeWithoutResult(status -> {
            for (int i = 0; i < InsertsAtCommit.MOST_AT_ONCE * 3 + 5; i++) {
                UUID id = UUID.randomUUID();
                ids.add(id);
                inserts.add(INSERT, id, "row " + i);
            }
        });
        assertThat(count(ids.toArray(UUID[]::new))).isEqualTo(ids.size());
    }

    @Test
    void aTransactionStartedInsideAnotherKeepsItsOwnQueue() {
        UUID outer = UUID.randomUUID();
        UUID inner = UUID.randomUUID();
        TransactionTemplate separate = new TransactionTemplate(transactions.getTransactionManager());
        separate.setPropagationBehavior(TransactionTemplate.PROPAGATION_REQUIRES_NEW);
        transactions.executeWithoutResult(status -> {
            inserts.add(INSERT, outer, "outer");
            separate.executeWithoutResult(innerStatus -> inserts.add(INSERT, inner, "inner"));
            assertThat(count(inner)).as("the inner transaction committed its own").isOne();
            status.setRollbackOnly();
        });
        assertThat(count(outer)).isZero();
        assertThat(count(inner)).isOne();
    }

    private long count(UUID... ids) {
        return jdbc.sql("SELECT COUNT(*) FROM inserts_at_commit_test WHERE id IN (:ids)").param("ids", List.of(ids))
                .query(Long.class).single();
    }
}
