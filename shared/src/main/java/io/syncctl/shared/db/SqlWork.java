package io.syncctl.shared.db;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Work on a connection: what the api's and the worker's transactions run, and what the sidecar's
 * result connection runs once (or twice, after a reconnect).
 */
@FunctionalInterface
public interface SqlWork<T> {
    T run(Connection c) throws SQLException;
}
