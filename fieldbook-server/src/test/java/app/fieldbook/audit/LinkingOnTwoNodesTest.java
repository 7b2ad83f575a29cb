package app.fieldbook.audit;

import static app.fieldbook.Fixtures.draft;
import static org.assertj.core.api.Assertions.assertThat;

import app.fieldbook.Fixtures;
import app.fieldbook.Fixtures.Person;
import app.fieldbook.FullStackTest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The audit linker runs on every node (ADR 0023), not once in the cluster: two of them linking the same
 * queue at the same moment link every event once, at consecutive positions, into a chain that verifies; the
 * one that loses a race rolls back and is not counted as a failed run. Two threads stand for the two nodes:
 * the linker holds no lock in memory, so to it they are two nodes on one database.
 */
@FullStackTest
class LinkingOnTwoNodesTest {

    private static final LocalDate DAY = LocalDate.of(2028, 1, 1);

    @LocalServerPort
    int port;

    @Autowired
    AuditChain chain;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    MeterRegistry registry;

    @Test
    void twoNodesLinkingAtOnceLinkEveryEventOnceIntoAnIntactChain() throws Exception {
        Fixtures world = new Fixtures(port);
        String site = world.site();
        Person worker = world.worker(site);
        double failuresBefore = failures();
        ExecutorService nodes = Executors.newFixedThreadPool(2);
        try {
            int day = 0;
            for (int round = 0; round < 6; round++) {
                for (int i = 0; i < 3; i++) {
                    draft(worker, site, DAY.plusDays(day++));
                }
                CyclicBarrier together = new CyclicBarrier(2);
                List<Future<?>> linking = new ArrayList<>();
                for (int node = 0; node < 2; node++) {
                    linking.add(nodes.submit(() -> {
                        together.await();
                        chain.linkPending();
                        return null;
                    }));
                }
                for (Future<?> done : linking) {
                    done.get();
                }
                chain.linkPending();
            }
        } finally {
            nodes.shutdownNow();
        }

        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_unlinked").query(Long.class).single()).isZero();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_chain").query(Long.class).single())
                .as("one link per position, from 1 on without a gap")
                .isEqualTo(jdbc.sql("SELECT MAX(position) FROM audit_chain").query(Long.class).single());
        // also finds an event left out of the chain
        AuditChain.Verification verification = chain.verify();
        assertThat(verification.intact()).as(verification.problem()).isTrue();
        assertThat(failures()).as("a lost race is no failed run").isEqualTo(failuresBefore);
    }

    private double failures() {
        Counter failures = registry.find("fieldbook.job.failures").tag("name", AuditChain.LINKING).counter();
        return failures == null ? 0 : failures.count();
    }
}
