package app.fieldbook.audit;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The audit chain's metrics: events not yet linked ({@code fieldbook_audit_events_unlinked}, counted with one
 * query when a scrape finds the count older than {@code fieldbook.audit.metrics-max-age}, 15 seconds by
 * default), and the last verification of the whole chain on
 * this node, nightly or asked for by an administrator: when ({@code fieldbook_audit_chain_verified_seconds})
 * and whether the chain was intact ({@code fieldbook_audit_chain_intact}, 1 or 0). Both are NaN before this
 * node verified the chain.
 */
@Component
class AuditMeters implements MeterBinder {

    private final AuditChain chain;
    private final JdbcClient jdbc;
    private final Clock clock;
    private final Duration maxAge;
    private Instant countedAt = Instant.EPOCH;
    private double unlinked = Double.NaN;

    AuditMeters(AuditChain chain, JdbcClient jdbc, Clock clock,
            @Value("${fieldbook.audit.metrics-max-age:PT15S}") Duration maxAge) {
        this.maxAge = maxAge;
        this.chain = chain;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("fieldbook.audit.events.unlinked", this, AuditMeters::unlinked)
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
    }

    private synchronized double unlinked() {
        Instant now = clock.instant();
        if (Duration.between(countedAt, now).compareTo(maxAge) >= 0) {
            countedAt = now;
            try {
                unlinked = jdbc.sql("SELECT COUNT(*) FROM audit_unlinked").query(Long.class).single();
            } catch (RuntimeException failed) {
                unlinked = Double.NaN;
            }
        }
        return unlinked;
    }
}
