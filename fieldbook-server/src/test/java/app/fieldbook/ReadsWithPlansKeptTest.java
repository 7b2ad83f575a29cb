package app.fieldbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A read whose plans are kept ({@link LagTolerantReads#readPlannedOnceSaying}) has PostgreSQL keep its statements'
 * plans for its own transaction only: the connection goes back to the pool planning as before, and a read inside a
 * transaction already under way changes nothing for that transaction's other statements. On H2 it is a plain read.
 */
@FullStackTest
class ReadsWithPlansKeptTest {

    private static final String MODE = "SHOW plan_cache_mode";

    @Autowired
    LagTolerantReads reads;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    PlatformTransactionManager transactions;

    @Test
    void plansAreKeptForTheReadOnlyAndNeverLeftOnTheConnection() {
        if (!TestDatabase.isPostgres()) {
            LagTolerantReads.Read<Integer> read = reads.readPlannedOnceSaying(
                    client -> client.sql("SELECT 1").query(Integer.class).single());
            assertThat(read.value()).isOne();
            assertThat(read.onPrimary()).isTrue();
            return;
        }
        List<String> during = new ArrayList<>();
        List<String> after = new ArrayList<>();
        // a thread borrows first the connection it gave back last: each read's connection is the one asked after it
        for (int i = 0; i < 30; i++) {
            during.add(reads.readPlannedOnceSaying(client -> client.sql(MODE).query(String.class).single()).value());
            after.add(jdbc.sql(MODE).query(String.class).single());
            after.add(reads.readSaying(client -> client.sql(MODE).query(String.class).single()).value());
        }

        assertThat(during).as("inside the read").containsOnly("force_generic_plan");
        assertThat(after).as("the connections afterwards").containsOnly("auto");
    }

    @Test
    void insideATransactionUnderWayTheReadLeavesItsPlansAlone() {
        assumeTrue(TestDatabase.isPostgres(), "H2 has no plans to keep");
        List<String> modes = new TransactionTemplate(transactions).execute(status -> List.of(
                reads.readPlannedOnceSaying(client -> client.sql(MODE).query(String.class).single()).value(),
                jdbc.sql(MODE).query(String.class).single()));

        assertThat(modes).containsOnly("auto");
    }
}
