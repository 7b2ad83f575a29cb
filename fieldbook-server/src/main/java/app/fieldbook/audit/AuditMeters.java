package app.fieldbook.audit;

import app.fieldbook.BackgroundJobs;
import app.fieldbook.Snapshot;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The audit chain's metrics: events not yet linked ({@code fieldbook_audit_events_unlinked}, counted by the
 * background job {@code audit-metrics} every {@code fieldbook.audit.metrics-refresh-interval}, 15 seconds by
 * default, into a {@link Snapshot} that the gauge reads: a scrape never queries the database), and the last
 * verification of the whole chain on this node, nightly or asked for by an administrator: when
 * ({@code fieldbook_audit_chain_verified_seconds}) and whether the chain was intact
 * ({@code fieldbook_audit_chain_intact}, 1 or 0). All three are NaN before this node counted or verified.
 */
@Component
class AuditMeters implements MeterBinder {

    static final String JOB = "audit-metrics";

    private final AuditChain chain;
    private final JdbcClient jdbc;
    private final Snapshot<Double> unlinked;

    AuditMeters(AuditChain chain, JdbcClient jdbc, Clock clock, BackgroundJobs jobs) {
        this.chain = chain;
        this.jdbc = jdbc;
        this.unlinked = new Snapshot<>(JOB, Double.NaN, jobs, clock);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("fieldbook.audit.events.unlinked", unlinked, snapshot -> snapshot.figures())
                .description("Audit events waiting to be linked into the chain")
                .register(registry);
        TimeGauge.builder("fieldbook.audit.chain.verified", chain, TimeUnit.MILLISECONDS,
                        chain -> chain.lastVerification().map(last -> (double) last.at().toEpochMilli())
                                .orElse(Double.NaN))
                .description("When this node last verified the whole audit chain (Unix time)")
                .register(registry);
        Gauge.builder("fieldbook.audit.chain.intact", chain,
                        chain -> chain.lastVerification().map(last -> last.intact() ? 1.0 : 0.0).orElse(Double.NaN))
                .description("Whether the last verification found the audit chain intact (1) or broken (0)")
                .register(registry);
        unlinked.bindTo(registry);
    }

    /** Counts the events waiting to be linked (a run of the job {@code audit-metrics}). */
    @Scheduled(fixedDelayString = "${fieldbook.audit.metrics-refresh-interval:PT15S}")
    void refresh() {
        unlinked.refresh(now -> jdbc.sql("SELECT COUNT(*) FROM audit_unlinked").query(Long.class).single()
                .doubleValue());
    }
}
