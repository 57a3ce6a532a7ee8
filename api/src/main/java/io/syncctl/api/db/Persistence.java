package io.syncctl.api.db;

import io.syncctl.api.errors.ApiException;
import org.jboss.logging.Logger;

import java.sql.SQLException;

/**
 * Turns "the database could not take it" into the contract's 503, whatever layer noticed it (our
 * JDBC, the pool, or JobRunr's {@code StorageException} wrapping an SQLException). The transaction
 * has been rolled back by then, so nothing half-written remains. The log line names the task and
 * the SQL state, never payload contents.
 */
public final class Persistence {
    private static final Logger LOG = Logger.getLogger(Persistence.class);

    private Persistence() {
    }

    /**
     * What a failed unit of work becomes: the 503 when it was the database (an SQLException, also
     * wrapped in another exception), else the exception itself ({@link ApiException}s included).
     */
    public static RuntimeException translate(String what, Exception e) {
        if (e instanceof ApiException api) {
            return api;
        }
        SQLException sql = sqlCause(e);
        if (sql != null) {
            return unavailable(what, sql);
        }
        return e instanceof RuntimeException r ? r : new IllegalStateException(e);
    }

    /** The 503 for a whole group of tasks whose transaction could not reach the database. */
    public static ApiException unavailable(String what, Throwable e) {
        SQLException sql = sqlCause(e);
        return sql != null ? unavailable(what, sql) : unavailable(what, new SQLException(e.getMessage(), e));
    }

    /**
     * Whether the failure is the connection itself (SQL state class 08, or a connection exception),
     * rather than something one statement did: then retrying task by task would only wait again.
     */
    public static boolean connectionLost(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLTransientConnectionException || t instanceof java.sql.SQLNonTransientConnectionException) {
                return true;
            }
            if (t instanceof SQLException s && s.getSQLState() != null && s.getSQLState().startsWith("08")) {
                return true;
            }
        }
        return false;
    }

    private static ApiException unavailable(String what, SQLException e) {
        LOG.warnf("cannot persist %s: SQL state %s: %s", what, e.getSQLState(), e.getMessage());
        return ApiException.unavailable("cannot persist the task right now (database unavailable); nothing was stored, try again");
    }

    private static SQLException sqlCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s) {
                return s;
            }
        }
        return null;
    }
}
