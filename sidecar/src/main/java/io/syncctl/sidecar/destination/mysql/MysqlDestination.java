package io.syncctl.sidecar.destination.mysql;

import com.fasterxml.jackson.databind.JsonNode;
import io.syncctl.shared.sidecar.SidecarSettings.ReadOptions;
import io.syncctl.sidecar.Database;
import io.syncctl.sidecar.destination.Destination;
import io.syncctl.sidecar.destination.DestinationStream;
import io.syncctl.sidecar.destination.StreamWriter;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Loads streams into MySQL 8 or MariaDB 10.6+ tables laid out as Bulker lays them out
 * ({@code destinationConfig}: {@code host, port, database, username, password, parameters}, the console's
 * fields). Each stream writes over its own connection: a connection runs one {@code LOAD DATA} and one
 * transaction at a time, and connectors interleave streams. How rows are loaded ({@link LoadMethod}) is
 * decided once, by {@link #check()} (or the first {@link #open}).
 */
public final class MysqlDestination implements Destination {
    private final MysqlConnection connection;
    private final String database;
    private final ReadOptions options;
    private final String taskId;
    private volatile LoadMethod method;

    private MysqlDestination(MysqlConnection connection, String database, ReadOptions options, String taskId) {
        this.connection = connection;
        this.database = database;
        this.options = options;
        this.taskId = taskId;
    }

    public static MysqlDestination from(JsonNode c, ReadOptions options, String taskId) {
        MysqlConnection connection = MysqlConnection.from(c);
        // tables of streams without a namespace go to the configured database, its name adapted as Bulker does
        return new MysqlDestination(connection, Identifiers.adapt(connection.database(), "table", false), options, taskId);
    }

    /**
     * Opens the destination before the connector is read, so a bad setting fails the task in seconds: the
     * server answers, the credentials and the database are good, the user may create tables there, and
     * decides whether rows go by {@code LOAD DATA LOCAL INFILE} or by INSERTs. Throws with a message naming
     * the problem.
     */
    @Override
    public void check() throws Exception {
        try (Connection c = connection.connect(); Statement st = c.createStatement()) {
            method(c);
            String probe = Identifiers.qualified(database, "_syncctl_check_" + Identifiers.hash(taskId));
            try {
                st.execute("CREATE TABLE IF NOT EXISTS " + probe + " (id int)");
                st.execute("DROP TABLE IF EXISTS " + probe);
            } catch (SQLException e) {
                throw new IllegalStateException("mysql destination: user " + connection.username()
                        + " cannot create tables in database " + database + ": " + e.getMessage());
            }
        } catch (SQLException e) {
            throw new IllegalStateException(connection.describe(e));
        }
    }

    @Override
    public String loadingNote() {
        LoadMethod m = method;
        return m == null ? null : m.describe();
    }

    private LoadMethod method(Connection c) throws SQLException {
        LoadMethod m = method;
        if (m == null) {
            m = LoadMethod.of(c);
            method = m; // streams opening at once may both ask: they get the same answer
        }
        return m;
    }

    @Override
    public StreamWriter open(DestinationStream stream) throws Exception {
        Connection c;
        try {
            c = connection.connect();
        } catch (SQLException e) {
            throw new SQLException(connection.describe(e), e.getSQLState(), e.getErrorCode(), e);
        }
        try {
            LoadMethod m = method(c);
            m.prepare(c);
            c.setAutoCommit(false);
            return new MysqlStreamWriter(c, new MysqlTable(database, stream, options.toSameCase(), options.addMeta(), taskId),
                    m, stream.replace());
        } catch (Exception e) {
            Database.closeQuietly(c);
            throw e;
        }
    }

    @Override
    public void close() {
        // connections belong to the stream writers
    }
}
