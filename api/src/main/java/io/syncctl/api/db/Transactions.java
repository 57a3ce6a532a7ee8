package io.syncctl.api.db;

import io.agroal.api.AgroalDataSource;
import io.syncctl.shared.db.SqlTransaction;
import io.syncctl.shared.db.SqlWork;
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

    private final AgroalDataSource dataSource;
    private final ThreadLocal<Connection> bound = new ThreadLocal<>();

    public Transactions(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * @throws SQLException when the database cannot be reached or the work failed in the database;
     *                      nothing is committed then
     */
    public <T> T inTransaction(SqlWork<T> work) throws SQLException {
        if (bound.get() != null) {
            throw new IllegalStateException("nested transaction");
        }
        try (Connection c = dataSource.getConnection()) {
            bound.set(c);
            try {
                return SqlTransaction.run(c, work);
            } finally {
                bound.remove();
            }
        }
    }

    /**
     * {@link #inTransaction}, where "the database could not take it" becomes the contract's 503
     * ({@link Persistence#unavailable}); {@code what} names the task in the log line.
     */
    public <T> T inTransactionOr503(String what, SqlWork<T> work) {
        try {
            return inTransaction(work);
        } catch (SQLException | RuntimeException e) {
            throw Persistence.translate(what, e);
        }
    }

    /** The connection of the transaction running on this thread, or null. */
    Connection current() {
        return bound.get();
    }
}
