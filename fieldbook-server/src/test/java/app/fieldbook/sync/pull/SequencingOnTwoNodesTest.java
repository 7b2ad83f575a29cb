package app.fieldbook.sync.pull;

import static org.assertj.core.api.Assertions.assertThat;

import app.fieldbook.AppendedIds;
import app.fieldbook.FullStackTest;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The change-feed sequencer runs on every node (ADR 0023), not once in the cluster: two of them sequencing at
 * the same moment give every waiting change one position, and the sequencer's last position is the feed's. Two threads stand for the two nodes: the sequencer holds no lock in
 * memory, only the database's row lock, so to it they are two nodes on one database.
 */
@FullStackTest
class SequencingOnTwoNodesTest {

    /** A site of this test only: its rows are taken out of the feed again afterwards. */
    private final UUID site = UUID.randomUUID();

    @Autowired
    ChangeFeed feed;

    @Autowired
    JdbcClient jdbc;

    @AfterEach
    void takeTheTestsRowsOutOfTheFeed() {
        jdbc.sql("DELETE FROM sync_changes WHERE site_id = ?").param(site).update();
        jdbc.sql("DELETE FROM sync_feed WHERE site_id = ?").param(site).update();
    }

    @Test
    void twoNodesSequencingAtOnceGiveEveryChangeOnePosition() throws Exception {
        List<UUID> recorded = new ArrayList<>();
        ExecutorService nodes = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 8; round++) {
                for (int i = 0; i < 150; i++) {
                    UUID entity = UUID.randomUUID();
                    jdbc.sql("INSERT INTO sync_changes (id, entity, entity_id, site_id, deleted, recorded_at) "
                                    + "VALUES (?, 'report', ?, ?, FALSE, ?)")
                            .params(AppendedIds.next(), entity, site, OffsetDateTime.now()).update();
                    recorded.add(entity);
                }
                CyclicBarrier together = new CyclicBarrier(2);
                List<Future<Integer>> sequencing = new ArrayList<>();
                for (int node = 0; node < 2; node++) {
                    sequencing.add(nodes.submit(() -> {
                        together.await();
                        return feed.sequence();
                    }));
                }
                for (Future<Integer> done : sequencing) {
                    done.get();
                }
            }
        } finally {
            nodes.shutdownNow();
        }

        List<UUID> positioned = jdbc.sql("SELECT entity_id FROM sync_feed WHERE site_id = ? ORDER BY position")
                .param(site).query(UUID.class).list();
        assertThat(positioned).as("each change once").hasSameSizeAs(recorded)
                .containsExactlyInAnyOrderElementsOf(recorded);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM sync_changes WHERE site_id = ?").param(site).query(Long.class)
                .single()).isZero();
        assertThat(jdbc.sql("SELECT (SELECT MAX(position) FROM sync_feed) - last_position FROM sync_sequencer "
                + "WHERE id = 1").query(Long.class).single()).as("the feed ends at the sequencer's last position")
                .isZero();
    }
}
