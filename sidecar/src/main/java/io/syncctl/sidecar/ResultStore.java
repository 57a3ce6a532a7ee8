package io.syncctl.sidecar;

import io.syncctl.shared.db.SqlWork;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The sidecar's connection for result rows (spec/check/discover results, state, task status), shared by
 * the pipe threads and the heartbeat, one statement at a time. A broken connection is reopened and the
 * write retried once: a result must not be lost to a single dropped connection.
 */
public final class ResultStore implements AutoCloseable {
    private final Database db;
    private Connection connection;

    public ResultStore(Database db) {
        this.db = db;
    }

    /** Runs one write (through {@link io.syncctl.shared.results.ResultTables}) on the result connection. */
    public synchronized <T> T write(SqlWork<T> write) throws SQLException {
        SQLException first = null;
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                if (connection == null || connection.isClosed()) {
                    connection = db.connect();
                }
                return write.run(connection);
            } catch (SQLException e) {
                if (first == null) {
                    first = e;
                }
                boolean broken = e.getSQLState() != null && e.getSQLState().startsWith("08");
                Database.closeQuietly(connection);
                connection = null;
                if (!broken) {
                    break;
                }
            }
        }
        throw first;
    }

    @Override
    public synchronized void close() {
        Database.closeQuietly(connection);
        connection = null;
    }
}
