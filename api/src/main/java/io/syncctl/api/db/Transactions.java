package io.syncctl.api.db;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Runs a unit of work in one database transaction on one pooled connection, bound to the current
 * thread while it runs so JobRunr's job insert joins it ({@link TransactionJoiningDataSource}).
 * Either everything the work wrote commits, or nothing does.
 *
 * <p>Plain JDBC transactions rather than JTA: one resource, no XA, and JobRunr manages its own
 * connections, which we redirect to ours instead.
 */
@ApplicationScoped
public class Transactions {

    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private final AgroalDataSource dataSource;
    private final ThreadLocal<Connection> bound = new ThreadLocal<>();

    public Transactions(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * @throws SQLException when the database cannot be reached or the work failed in the database;
     *                      nothing is committed then
     */
    public <T> T inTransaction(Work<T> work) throws SQLException {
        if (bound.get() != null) {
            throw new IllegalStateException("nested transaction");
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            bound.set(c);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (Throwable e) {
                rollbackQuietly(c, e);
                throw e;
            } finally {
                bound.remove();
            }
        }
    }

    /** The connection of the transaction running on this thread, or null. */
    Connection current() {
        return bound.get();
    }

    private static void rollbackQuietly(Connection c, Throwable cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }
}
