package app.fieldbook.client.store;

import app.fieldbook.client.StoreFailed;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The local schema and its migrations. {@code PRAGMA user_version} holds the number of migrations
 * applied; each migration runs in its own transaction together with the version bump. A file written
 * by a newer client (a higher version than this code knows) is refused rather than damaged.
 */
final class Schema {

    static final List<String> MIGRATIONS = List.of("""
            CREATE TABLE meta (
                key TEXT PRIMARY KEY,
                value TEXT
            );
            CREATE TABLE site (
                id TEXT PRIMARY KEY,
                code TEXT NOT NULL,
                name TEXT,
                timezone TEXT
            );
            CREATE TABLE person (
                id TEXT PRIMARY KEY,
                name TEXT
            );
            CREATE TABLE report (
                id TEXT PRIMARY KEY,
                site_id TEXT NOT NULL,
                report_date TEXT NOT NULL,
                author_id TEXT,
                fields_json TEXT NOT NULL,
                base_json TEXT,
                version INTEGER NOT NULL DEFAULT 0,
                server_json TEXT,
                deleted INTEGER NOT NULL DEFAULT 0,
                updated_at TEXT NOT NULL
            );
            CREATE INDEX report_site ON report (site_id, report_date);
            CREATE TABLE photo (
                id TEXT PRIMARY KEY,
                report_id TEXT NOT NULL,
                photo_json TEXT NOT NULL,
                version INTEGER NOT NULL DEFAULT 0,
                server_json TEXT,
                receipt_json TEXT
            );
            CREATE INDEX photo_report ON photo (report_id);
            CREATE TABLE photo_upload (
                photo_id TEXT PRIMARY KEY,
                report_id TEXT NOT NULL,
                sha256 TEXT NOT NULL,
                size INTEGER NOT NULL,
                file TEXT NOT NULL,
                uploaded INTEGER NOT NULL DEFAULT 0,
                receipt_json TEXT,
                state TEXT NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                next_attempt_at INTEGER,
                last_error TEXT,
                attached_at TEXT NOT NULL
            );
            CREATE TABLE conflict (
                id TEXT PRIMARY KEY,
                entity_id TEXT NOT NULL,
                site_id TEXT,
                state TEXT NOT NULL,
                conflict_json TEXT NOT NULL
            );
            CREATE INDEX conflict_entity ON conflict (entity_id);
            CREATE TABLE outbox (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                operation_id TEXT NOT NULL UNIQUE,
                entity TEXT NOT NULL,
                entity_id TEXT NOT NULL,
                kind TEXT NOT NULL,
                changes_json TEXT NOT NULL,
                depends_on TEXT,
                made_at TEXT NOT NULL,
                sent_json TEXT,
                attempts INTEGER NOT NULL DEFAULT 0,
                next_attempt_at INTEGER,
                last_error TEXT
            );
            CREATE INDEX outbox_entity ON outbox (entity_id, seq);
            CREATE INDEX outbox_depends_on ON outbox (depends_on, seq);
            CREATE TABLE rejected_change (
                operation_id TEXT PRIMARY KEY,
                entity TEXT NOT NULL,
                entity_id TEXT NOT NULL,
                kind TEXT NOT NULL,
                changes_json TEXT NOT NULL,
                made_at TEXT NOT NULL,
                status INTEGER NOT NULL,
                problem_type TEXT,
                detail TEXT,
                rejected_at TEXT NOT NULL
            );
            """);

    private Schema() {
    }

    /** The schema version this code writes. */
    static int current() {
        return MIGRATIONS.size();
    }

    static void migrate(Connection connection) throws SQLException {
        connection.setAutoCommit(false);
        try {
            migrateFrom(userVersion(connection), connection);
        } finally {
            connection.setAutoCommit(true);
        }
    }

    private static void migrateFrom(int version, Connection connection) throws SQLException {
        if (version > current()) {
            throw new StoreFailed("The local store has schema version " + version
                    + ", written by a newer Fieldbook client; this client knows version " + current() + ".", null);
        }
        for (int next = version; next < current(); next++) {
            try (Statement statement = connection.createStatement()) {
                for (String sql : MIGRATIONS.get(next).split(";\\s*\\n")) {
                    if (!sql.isBlank()) {
                        statement.execute(sql);
                    }
                }
                statement.execute("PRAGMA user_version = " + (next + 1));
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    private static int userVersion(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("PRAGMA user_version")) {
            int version = row.next() ? row.getInt(1) : 0;
            connection.commit();
            return version;
        }
    }
}
