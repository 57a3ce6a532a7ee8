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
