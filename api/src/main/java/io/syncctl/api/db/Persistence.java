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

    @FunctionalInterface
    public interface Work<T> {
        T run() throws SQLException;
    }

    private Persistence() {
    }

    public static <T> T guard(String what, Work<T> work) {
        try {
            return work.run();
        } catch (SQLException e) {
            throw unavailable(what, e);
        } catch (ApiException e) {
            throw e;
        } catch (RuntimeException e) {
            SQLException sql = sqlCause(e);
            if (sql == null) {
                throw e;
            }
            throw unavailable(what, sql);
        }
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
