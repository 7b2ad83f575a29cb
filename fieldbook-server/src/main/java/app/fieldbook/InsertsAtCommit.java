package app.fieldbook;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;

/**
 * The rows a transaction appends besides its change (audit events, change-feed rows, records of applied
 * operations), sent to the database together, in one round trip, just before the transaction commits.
 * They commit or roll back with the transaction like any other write; a key they violate fails the
 * commit with the usual {@link org.springframework.dao.DuplicateKeyException}. Until then they are not
 * in the database: a transaction that must read them back calls {@link #flush()} first.
 *
 * <p>Each statement is sent as written, one after the other in the order they were added, as one
 * multi-statement prepared statement (PostgreSQL and H2 both take one). A transaction that queues many
 * is sent in parts of {@value #MOST_AT_ONCE}.
 */
@Component
public class InsertsAtCommit {

    static final int MOST_AT_ONCE = 32;

    private final JdbcTemplate jdbc;

    InsertsAtCommit(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Queues an insert in the current transaction; without one, runs it at once.
     *
     * @param sql one INSERT statement with {@code ?} placeholders, without a trailing semicolon
     */
    public void add(String sql, Object... parameters) {
        Optional<Pending> queue = pending();
        if (queue.isEmpty()) {
            jdbc.update(sql, parameters);
            return;
        }
        Pending pending = queue.get();
        pending.add(sql, parameters);
        if (pending.size() >= MOST_AT_ONCE) {
            pending.send();
        }
    }

    /** Sends what the current transaction queued, so that its own reads see it. */
    public void flush() {
        pending().ifPresent(Pending::send);
    }

    /** The queue of the current transaction; empty outside one. */
    private Optional<Pending> pending() {
        return PerTransaction.state(Pending.class, pending -> pending.owner() == this, Pending::new);
    }

    private final class Pending implements TransactionSynchronization {

        private final StringBuilder sql = new StringBuilder();
        private final List<Object> parameters = new ArrayList<>();
        private int statements;

        InsertsAtCommit owner() {
            return InsertsAtCommit.this;
        }

        void add(String statement, Object[] values) {
            if (statements > 0) {
                sql.append(";\n");
            }
            sql.append(statement);
            parameters.addAll(Arrays.asList(values));
            statements++;
        }

        int size() {
            return statements;
        }

        void send() {
            if (statements == 0) {
                return;
            }
            String batch = sql.toString();
            Object[] values = parameters.toArray();
            sql.setLength(0);
            parameters.clear();
            statements = 0;
            jdbc.update(batch, values);
        }

        @Override
        public void beforeCommit(boolean readOnly) {
            send();
        }
    }
}
