package app.fieldbook.sync.pull;

import static org.assertj.core.api.Assertions.assertThat;

import app.fieldbook.FullStackTest;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/** What the change feed records of the changes of one transaction. */
@FullStackTest
class ChangeFeedTest {

    /** A site of this test only: its rows are taken out of the feed again afterwards. */
    private final UUID site = UUID.randomUUID();

    @Autowired
    ChangeFeed feed;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TransactionTemplate transactions;

    @AfterEach
    void takeTheTestsRowsOutOfTheFeed() {
        jdbc.sql("DELETE FROM sync_changes WHERE site_id = ?").param(site).update();
        jdbc.sql("DELETE FROM sync_feed WHERE site_id = ?").param(site).update();
        jdbc.sql("DELETE FROM sync_tombstones WHERE site_id = ?").param(site).update();
    }

    @Test
    void aRecordChangedTwiceInOneTransactionIsOneRowUnlessAnotherChangeOfItCameBetween() {
        UUID edited = UUID.randomUUID();
        UUID deletedBetween = UUID.randomUUID();
        UUID other = UUID.randomUUID();
        transactions.executeWithoutResult(status -> {
            feed.record("DailyReport", edited, site, false);
            feed.record("DailyReport", other, site, false);
            feed.record("DailyReport", edited, site, false);
            feed.record("DailyReport", deletedBetween, site, false);
            feed.record("DailyReport", deletedBetween, site, true);
            feed.record("DailyReport", deletedBetween, site, false);
        });
        // and in the next transaction the same change is recorded again
        transactions.executeWithoutResult(status -> feed.record("DailyReport", edited, site, false));
        feed.sequence();

        assertThat(deletedFlags(edited)).containsExactly(false, false);
        assertThat(deletedFlags(other)).containsExactly(false);
        // the rows of one transaction keep the order they were written in (AppendedIds)
        assertThat(deletedFlags(deletedBetween)).as("the deletion stays between, and the record is not left deleted")
                .containsExactly(false, true, false);
    }

    /** Whether each row of the feed of this record, in its order, tells of a deletion. */
    private List<Boolean> deletedFlags(UUID entityId) {
        return jdbc.sql("SELECT deleted FROM sync_feed WHERE entity_id = ? ORDER BY position")
                .param(entityId).query(Boolean.class).list();
    }
}
