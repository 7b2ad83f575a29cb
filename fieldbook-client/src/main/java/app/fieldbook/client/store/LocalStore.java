package app.fieldbook.client.store;

import app.fieldbook.client.StoreFailed;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.ReentrantLock;
import org.sqlite.SQLiteConfig;
import tools.jackson.databind.json.JsonMapper;

/**
 * The device's SQLite file: one connection in WAL mode with foreign keys on, the schema migrated by
 * {@code PRAGMA user_version} when opened, and a directory beside the file holding the copies of photos
 * not yet uploaded. Every read and write runs in a transaction; {@link #inTransaction} joins the one
 * the current thread has open, so several tables change together or not at all.
 */
public final class LocalStore implements AutoCloseable {

    private final Path photoDirectory;
    private final Connection connection;
    private final JsonMapper json;
    private final ReentrantLock lock = new ReentrantLock();
    private int depth;

    private final Device device;
    private final Outbox outbox;
    private final Reports reports;
    private final Photos photos;
    private final PhotoUploads uploads;
    private final Conflicts conflicts;
    private final Sites sites;
    private final People people;
    private final RejectedChanges rejectedChanges;

    private LocalStore(Path file, Connection connection, JsonMapper json) {
        this.photoDirectory = photoDirectoryOf(file);
        this.connection = connection;
        this.json = json;
        this.device = new Device(this);
        this.outbox = new Outbox(this);
        this.reports = new Reports(this);
        this.photos = new Photos(this);
        this.uploads = new PhotoUploads(this);
        this.conflicts = new Conflicts(this);
        this.sites = new Sites(this);
        this.people = new People(this);
        this.rejectedChanges = new RejectedChanges(this);
    }

    /**
     * Opens the store at {@code file}, creating it (readable by its owner only) and its photo directory
     * when missing, and migrating an older schema.
     *
     * @throws StoreFailed when the file cannot be opened or was written by a newer client
     */
    public static LocalStore open(Path file, JsonMapper json) {
        Path absolute = file.toAbsolutePath();
        try {
            Path directory = absolute.getParent();
            if (!Files.isDirectory(directory)) {
                Files.createDirectories(directory);
                ownerOnly(directory, "rwx------");
            }
            boolean created = !Files.exists(absolute);
            SQLiteConfig config = new SQLiteConfig();
            config.setJournalMode(SQLiteConfig.JournalMode.WAL);
            config.enforceForeignKeys(true);
            config.setBusyTimeout(10_000);
            config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
            config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
            Connection connection = config.createConnection("jdbc:sqlite:" + absolute);
            if (created) {
                ownerOnly(absolute, "rw-------");
            }
            LocalStore store = new LocalStore(absolute, connection, json);
            try {
                Schema.migrate(connection);
                Files.createDirectories(store.photoDirectory);
                store.device.ensureId();
            } catch (RuntimeException | IOException | SQLException e) {
                connection.close();
                throw e;
            }
            return store;
        } catch (SQLException | IOException e) {
            throw new StoreFailed("Cannot open the local store " + absolute + ": " + e.getMessage(), e);
        }
    }

    private static void ownerOnly(Path path, String permissions) throws IOException {
        if (path.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
        }
    }

    private static Path photoDirectoryOf(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return file.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + ".photos");
    }

    /** Where the copies of photos waiting for upload are kept. */
    public Path photoDirectory() {
        return photoDirectory;
    }

    public JsonMapper json() {
        return json;
    }

    public Device device() {
        return device;
    }

    public Outbox outbox() {
        return outbox;
    }

    public Reports reports() {
        return reports;
    }

    public Photos photos() {
        return photos;
    }

    public PhotoUploads uploads() {
        return uploads;
    }

    public Conflicts conflicts() {
        return conflicts;
    }

    public Sites sites() {
        return sites;
    }

    public People people() {
        return people;
    }

    public RejectedChanges rejectedChanges() {
        return rejectedChanges;
    }

    /**
     * Forgets everything the device holds from the server and who it was signed in as, keeping its id,
     * the server address, and what the person wrote that the server refused. Used when another person
     * signs in or the device moves to another server, with nothing waiting to be sent.
     */
    public void forgetReplica() {
        inTransaction(() -> {
            if (outbox.count() > 0) {
                throw new IllegalStateException("Changes wait in the outbox");
            }
            for (String table : List.of("report", "photo", "conflict", "site", "person")) {
                execute("DELETE FROM " + table);
            }
            update("DELETE FROM photo_upload WHERE state = 'UPLOADED'");
            update("DELETE FROM meta WHERE key IN (?, ?, ?, ?, ?, ?, ?)", Device.TOKEN, Device.TOKEN_EXPIRES_AT,
                    Device.ACCOUNT, Device.CURSOR, Device.LAST_SYNC_AT, Device.MINIMUM_CLIENT_VERSION,
                    Device.NOT_BEFORE);
        });
    }

    /** The schema version of the open file. */
    int schemaVersion() {
        return inTransaction(() -> queryOne("PRAGMA user_version", row -> row.getInt(1)).orElse(0));
    }

    /** Reads a pragma such as {@code journal_mode} or {@code foreign_keys}. */
    String pragma(String name) {
        if (!name.matches("[a-z_]+")) {
            throw new IllegalArgumentException("Not a pragma name: " + name);
        }
        return inTransaction(() -> queryOne("PRAGMA " + name, row -> row.getString(1)).orElse(null));
    }

    /**
     * Runs {@code work} in a transaction: commits when it returns, rolls back when it throws. Joins the
     * transaction the calling thread already has open; other threads wait.
     */
    public <T> T inTransaction(Callable<T> work) {
        lock.lock();
        try {
            if (depth > 0) {
                depth++;
                try {
                    return work.call();
                } catch (Exception failure) {
                    throw unchecked(failure);
                } finally {
                    depth--;
                }
            }
            depth = 1;
            try {
                connection.setAutoCommit(false);
                T result = work.call();
                connection.commit();
                return result;
            } catch (Exception failure) {
                rollback(failure);
                throw unchecked(failure);
            } catch (Error failure) {
                rollback(failure);
                throw failure;
            } finally {
                depth = 0;
                endTransaction();
            }
        } finally {
            lock.unlock();
        }
    }

    private static RuntimeException unchecked(Exception failure) {
        if (failure instanceof RuntimeException runtime) {
            return runtime;
        }
        return new StoreFailed("Local store: " + failure.getMessage(), failure);
    }

    /** Runs {@code work} in a transaction (see {@link #inTransaction(Callable)}). */
    public void inTransaction(VoidWork work) {
        inTransaction(() -> {
            work.run();
            return null;
        });
    }

    /** Back to autocommit, so that no lock is held between transactions (other processes may use the file). */
    private void endTransaction() {
        try {
            connection.setAutoCommit(true);
        } catch (SQLException e) {
            throw new StoreFailed("Local store: " + e.getMessage(), e);
        }
    }

    private void rollback(Throwable failure) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            connection.close();
        } catch (SQLException e) {
            throw new StoreFailed("Cannot close the local store: " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    int update(String sql, Object... arguments) throws SQLException {
        try (PreparedStatement statement = prepare(sql, arguments)) {
            return statement.executeUpdate();
        }
    }

    <T> List<T> query(String sql, RowReader<T> reader, Object... arguments) throws SQLException {
        try (PreparedStatement statement = prepare(sql, arguments); ResultSet rows = statement.executeQuery()) {
            List<T> result = new ArrayList<>();
            while (rows.next()) {
                result.add(reader.read(rows));
            }
            return result;
        }
    }

    <T> Optional<T> queryOne(String sql, RowReader<T> reader, Object... arguments) throws SQLException {
        List<T> rows = query(sql, reader, arguments);
        return rows.isEmpty() ? Optional.empty() : Optional.ofNullable(rows.getFirst());
    }

    long count(String sql, Object... arguments) throws SQLException {
        return queryOne(sql, row -> row.getLong(1), arguments).orElse(0L);
    }

    void execute(String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private PreparedStatement prepare(String sql, Object... arguments) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        for (int i = 0; i < arguments.length; i++) {
            Object argument = arguments[i];
            statement.setObject(i + 1, argument == null ? null : Columns.value(argument));
        }
        return statement;
    }

    /** Work on the store that returns nothing. */
    @FunctionalInterface
    public interface VoidWork {
        void run() throws Exception;
    }

    @FunctionalInterface
    interface RowReader<T> {
        T read(ResultSet row) throws SQLException;
    }
}
