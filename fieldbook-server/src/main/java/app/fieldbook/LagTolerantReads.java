package app.fieldbook;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.sql.DatabaseMetaData;
import java.time.Duration;
import java.util.function.Function;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Where the reads that tolerate a little lag go: the report list, the dashboards and the month-end (its JSON, CSV
 * and PDF). With a PostgreSQL streaming replica configured ({@code fieldbook.replica.url}), they read from it while
 * it answers and lags at most {@code fieldbook.replica.max-lag}; otherwise, and always without a replica, from the
 * primary. Everything else (writes, sync pulls, a report read by id, anything that must see its own writes) uses
 * the primary's {@link JdbcClient} as before and never comes here. Why per read path and not a routing
 * {@code DataSource}: ADR 0034.
 *
 * <p>Every {@code fieldbook.replica.check-interval} the replica is asked how far behind it is: in bytes, the WAL
 * received but not yet replayed; in seconds, the time since the last transaction it replayed, but 0 when it has
 * replayed all it received while it streams (an idle primary sends nothing, and the last replayed transaction
 * then looks old although nothing is missing). A replica that does not answer, or is not in recovery, is not
 * used until a check finds it good again. A read that fails on the replica for want of a connection, a timeout or
 * a conflict with its recovery is read again from the primary, and a lost connection stops the replica's use
 * until the next good check. Gauges: {@code fieldbook.replica.lag.seconds} (NaN without a replica, +Inf while it
 * does not answer), {@code fieldbook.replica.lag.bytes} (NaN when unknown) and {@code fieldbook.replica.in.use}
 * (1 while the lag-tolerant reads go to the replica).
 */
@Component
public class LagTolerantReads implements MeterBinder, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(LagTolerantReads.class);

    /** How far behind the replica is; answered by the replica itself. */
    private static final String LAG = """
            SELECT pg_is_in_recovery() AS in_recovery,
                   COALESCE(pg_wal_lsn_diff(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn()), 0) AS bytes,
                   CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn()
                             AND EXISTS (SELECT FROM pg_stat_wal_receiver) THEN 0
                        ELSE COALESCE(GREATEST(0, EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())),
                                      'Infinity')::float8
                   END AS seconds""";

    /**
     * Settings of the replica, bound from {@code fieldbook.replica}; without a URL there is none.
     *
     * @param url the replica's JDBC URL (PostgreSQL), the same database as the primary's
     * @param poolSize the connections to the replica
     * @param maxLag the lag above which the reads go to the primary
     * @param checkInterval the pause between two checks of the lag
     */
    @ConfigurationProperties("fieldbook.replica")
    record Settings(String url, String username, String password, @DefaultValue("5") int poolSize,
            @DefaultValue("30s") Duration maxLag, @DefaultValue("5s") Duration checkInterval) {

        Settings {
            if (poolSize < 1) {
                throw new IllegalArgumentException("fieldbook.replica.pool-size must be at least 1");
            }
            if (maxLag.isNegative() || checkInterval.isNegative() || checkInterval.isZero()) {
                throw new IllegalArgumentException(
                        "fieldbook.replica.max-lag must not be negative, fieldbook.replica.check-interval positive");
            }
        }

        boolean configured() {
            return url != null && !url.isBlank();
        }
    }

    /**
     * For the transaction only: PostgreSQL plans each prepared statement once per connection and keeps that plan,
     * instead of planning it again with every call's values.
     */
    private static final String PLANS_KEPT = "SET LOCAL plan_cache_mode = force_generic_plan";

    /**
     * A database the reads can go to: its client, a read-only repeatable-read transaction on it, and a read-only
     * transaction of the default isolation.
     */
    private record Target(JdbcClient jdbc, TransactionTemplate snapshot, TransactionTemplate readOnly) {

        static Target of(JdbcClient jdbc, PlatformTransactionManager transactions) {
            TransactionTemplate snapshot = new TransactionTemplate(transactions);
            snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
            snapshot.setReadOnly(true);
            TransactionTemplate readOnly = new TransactionTemplate(transactions);
            readOnly.setReadOnly(true);
            return new Target(jdbc, snapshot, readOnly);
        }
    }

    /** The last check's outcome (or a failed read's). */
    private record Lag(double seconds, double bytes, boolean usable) {
    }

    private static final Lag NONE = new Lag(Double.NaN, Double.NaN, false);
    private static final Lag UNREACHABLE = new Lag(Double.POSITIVE_INFINITY, Double.NaN, false);
    private static final Lag NOT_A_REPLICA = new Lag(Double.POSITIVE_INFINITY, Double.NaN, false);

    private final Settings settings;
    private final Target primary;
    private final Target replica;
    private final HikariDataSource pool;
    private final JdbcTemplate checks;
    private final DataSource primaryDataSource;
    private volatile Boolean primaryIsPostgres;
    private volatile Lag lag;

    LagTolerantReads(Settings settings, JdbcClient jdbc, PlatformTransactionManager transactions,
            DataSource dataSource) {
        this.settings = settings;
        this.primaryDataSource = dataSource;
        this.primary = Target.of(jdbc, transactions);
        if (settings.configured()) {
            pool = new HikariDataSource();
            pool.setPoolName("replica");
            pool.setJdbcUrl(settings.url());
            pool.setUsername(settings.username());
            pool.setPassword(settings.password());
            pool.setMaximumPoolSize(settings.poolSize());
            pool.setMinimumIdle(1);
            pool.setReadOnly(true);
            pool.setConnectionTimeout(1000);
            // start also while the replica is away: the reads go to the primary until a check finds it
            pool.setInitializationFailTimeout(-1);
            replica = Target.of(JdbcClient.create(pool), new DataSourceTransactionManager(pool));
            checks = new JdbcTemplate(pool);
            checks.setQueryTimeout((int) Math.max(1, settings.checkInterval().toSeconds()));
            lag = UNREACHABLE;
        } else {
            pool = null;
            replica = null;
            checks = null;
            lag = NONE;
        }
    }

    /**
     * Runs {@code read}, each statement on its own, on the replica when it may be used, else on the primary; read
     * again on the primary when the replica fails it for want of a connection, a timeout or a recovery conflict.
     * {@code read} must only read, and be fine with data up to {@code fieldbook.replica.max-lag} old.
     */
    public <T> T read(Function<JdbcClient, T> read) {
        return on(target -> read.apply(target.jdbc()));
    }

    /**
     * As {@link #read}, with every statement in one read-only repeatable-read transaction: one snapshot, so that
     * figures read by several queries agree with each other.
     */
    public <T> T readSnapshot(Function<JdbcClient, T> read) {
        return readSnapshotSaying(read).value();
    }

    /**
     * A value read by {@link #readSaying} or {@link #readSnapshotSaying}, and whether it was read on the primary: as
     * fresh as the database, not up to {@code fieldbook.replica.max-lag} behind.
     */
    public record Read<T>(T value, boolean onPrimary) {
    }

    /** As {@link #read}, saying where it read. */
    public <T> Read<T> readSaying(Function<JdbcClient, T> read) {
        return on(target -> new Read<>(read.apply(target.jdbc()), target == primary));
    }

    /** As {@link #readSnapshot}, saying where it read. */
    public <T> Read<T> readSnapshotSaying(Function<JdbcClient, T> read) {
        return on(target -> new Read<>(target.snapshot().execute(status -> read.apply(target.jdbc())),
                target == primary));
    }

    /**
     * As {@link #readSaying}, for statements whose best plan is the same whatever the values bound to them (a list
     * of one site, say, which is read through that site's index whichever site it is): on PostgreSQL they run in
     * one read-only transaction in which PostgreSQL keeps their plans, so that each is planned once per connection
     * rather than on every call (a fifth to a third of PostgreSQL's work in the Monday reads: docs/performance.md).
     * Never for a statement whose plan should follow its values (a list of several sites, a range of dates of any
     * length). On H2, or inside a transaction already under way (whose other statements must keep their plans),
     * the same as {@link #readSaying}.
     */
    public <T> Read<T> readPlannedOnceSaying(Function<JdbcClient, T> read) {
        if (TransactionSynchronizationManager.isActualTransactionActive() || !primaryIsPostgres()) {
            return readSaying(read);
        }
        return on(target -> new Read<>(target.readOnly().execute(status -> {
            target.jdbc().sql(PLANS_KEPT).update();
            return read.apply(target.jdbc());
        }), target == primary));
    }

    /** Whether the primary is PostgreSQL (a replica always is). */
    private boolean primaryIsPostgres() {
        if (primaryIsPostgres == null) {
            try {
                primaryIsPostgres = JdbcUtils.extractDatabaseMetaData(primaryDataSource,
                        DatabaseMetaData::getDatabaseProductName).equals("PostgreSQL");
            } catch (MetaDataAccessException e) {
                throw new IllegalStateException("Cannot tell which database the primary is", e);
            }
        }
        return primaryIsPostgres;
    }

    private <T> T on(Function<Target, T> read) {
        if (!lag.usable()) {
            return read.apply(primary);
        }
        try {
            return read.apply(replica);
        } catch (DataAccessResourceFailureException | RecoverableDataAccessException | TransactionException lost) {
            lag = UNREACHABLE;
            log.warn("A read failed on the replica ({}); read from the primary, and the replica is left until a "
                    + "check finds it good", cause(lost));
            return read.apply(primary);
        } catch (TransientDataAccessException failed) {
            log.warn("A read failed on the replica ({}); read from the primary", cause(failed));
            return read.apply(primary);
        }
    }

    private static String cause(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.toString();
    }

    /** Asks the replica how far behind it is, and decides whether the reads go to it. */
    @Scheduled(fixedDelayString = "${fieldbook.replica.check-interval:5s}")
    void check() {
        if (replica == null) {
            return;
        }
        Lag before = lag;
        Lag now;
        try {
            now = checks.queryForObject(LAG, (rs, n) -> {
                if (!rs.getBoolean("in_recovery")) {
                    return NOT_A_REPLICA;
                }
                double seconds = rs.getDouble("seconds");
                return new Lag(seconds, rs.getDouble("bytes"), seconds <= settings.maxLag().toMillis() / 1000.0);
            });
        } catch (DataAccessException unreachable) {
            now = UNREACHABLE;
            if (before != UNREACHABLE) {
                log.warn("The replica does not answer ({}); the lag-tolerant reads go to the primary",
                        cause(unreachable));
            }
        }
        lag = now;
        if (now == NOT_A_REPLICA && before != NOT_A_REPLICA) {
            log.warn("{} is not a replica (not in recovery); the lag-tolerant reads go to the primary", settings.url());
        } else if (now.usable() != before.usable() && now != UNREACHABLE && now != NOT_A_REPLICA) {
            if (now.usable()) {
                log.info("The replica lags {} s; the lag-tolerant reads go to it", now.seconds());
            } else {
                log.warn("The replica lags {} s, more than {}; the lag-tolerant reads go to the primary",
                        now.seconds(), settings.maxLag());
            }
        }
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("fieldbook.replica.lag.seconds", this, reads -> reads.lag.seconds())
                .baseUnit("seconds")
                .description("How far the read replica is behind (NaN without one, +Inf while it does not answer)")
                .register(registry);
        Gauge.builder("fieldbook.replica.lag.bytes", this, reads -> reads.lag.bytes())
                .baseUnit("bytes")
                .description("WAL the read replica received but has not replayed yet (NaN when unknown)")
                .register(registry);
        Gauge.builder("fieldbook.replica.in.use", this, reads -> reads.lag.usable() ? 1 : 0)
                .description("Whether the lag-tolerant reads go to the read replica (1) or the primary (0)")
                .register(registry);
    }

    @Override
    public void destroy() {
        if (pool != null) {
            pool.close();
        }
    }
}
