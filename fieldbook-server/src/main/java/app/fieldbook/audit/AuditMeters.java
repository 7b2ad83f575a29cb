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
 * The audit chain's metrics, read by the background job {@code audit-metrics} every
 * {@code fieldbook.audit.metrics-refresh-interval} (15 seconds by default) into a {@link Snapshot} that the gauges
 * read: a scrape never queries the database (ADR 0022). They are the events not yet linked
 * ({@code fieldbook_audit_events_unlinked}), and the latest verification of the whole chain recorded by any node
 * of the cluster, nightly or asked for by an administrator ({@code audit_verifications}, ADR 0025): when
 * ({@code fieldbook_audit_chain_verified_seconds}) and whether the chain was intact
 * ({@code fieldbook_audit_chain_intact}, 1 or 0; 0 also when the recorded result does not hold its signature). So
 * every node shows the same figures. All three are NaN before this node read them; the last two also before the
 * chain was first verified.
 */
@Component
class AuditMeters implements MeterBinder {

    static final String JOB = "audit-metrics";

    /** The figures the gauges show: the events waiting, and the latest verification (NaN when none). */
    record Figures(double unlinked, double verifiedAtMillis, double intact) {
    }

    private final AuditChain chain;
    private final JdbcClient jdbc;
    private final Snapshot<Figures> figures;

    AuditMeters(AuditChain chain, JdbcClient jdbc, Clock clock, BackgroundJobs jobs) {
        this.chain = chain;
        this.jdbc = jdbc;
        this.figures = new Snapshot<>(JOB, new Figures(Double.NaN, Double.NaN, Double.NaN), jobs, clock);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("fieldbook.audit.events.unlinked", figures, snapshot -> snapshot.figures().unlinked())
                .description("Audit events waiting to be linked into the chain")
                .register(registry);
        TimeGauge.builder("fieldbook.audit.chain.verified", figures, TimeUnit.MILLISECONDS,
                        snapshot -> snapshot.figures().verifiedAtMillis())
                .description("When a node of the cluster last verified the whole audit chain (Unix time)")
                .register(registry);
        Gauge.builder("fieldbook.audit.chain.intact", figures, snapshot -> snapshot.figures().intact())
                .description("Whether the last verification found the audit chain intact (1) or broken (0)")
                .register(registry);
        figures.bindTo(registry);
    }

    /** Reads the events waiting to be linked and the latest verification (a run of the job {@code audit-metrics}). */
    @Scheduled(fixedDelayString = "${fieldbook.audit.metrics-refresh-interval:PT15S}")
    void refresh() {
        figures.refresh(now -> {
            double unlinked = jdbc.sql("SELECT COUNT(*) FROM audit_unlinked").query(Long.class).single().doubleValue();
            return chain.lastVerification()
                    .map(last -> new Figures(unlinked, last.at().toEpochMilli(), last.intact() ? 1.0 : 0.0))
                    .orElse(new Figures(unlinked, Double.NaN, Double.NaN));
        });
    }
}
