package app.fieldbook;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Holds tables locked from a connection of a test's own, so that the server's statements on them wait: on
 * PostgreSQL {@code LOCK TABLE ... IN ACCESS EXCLUSIVE MODE} in an open transaction; on H2, which has no table
 * lock that keeps readers out, the database's exclusive mode, which pauses every other session.
 */
public final class TableLocks {

    private TableLocks() {
    }

    /** Locks {@code tables} (a comma-separated list, constants of the test) until {@link #unlock}. */
    public static void lock(Connection connection, String tables) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            if (TestDatabase.isPostgres()) {
                connection.setAutoCommit(false);
                statement.execute("LOCK TABLE " + tables + " IN ACCESS EXCLUSIVE MODE");
            } else {
                statement.execute("SET EXCLUSIVE 1");
            }
        }
    }

    /** Lets the server's statements go on. */
    public static void unlock(Connection connection) throws SQLException {
        if (TestDatabase.isPostgres()) {
            connection.rollback();
        } else {
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET EXCLUSIVE 0");
            }
        }
    }
}
