package io.syncctl.shared.db;

import java.sql.Connection;
import java.sql.SQLException;

/** One transaction on a connection the caller owns: commit when the work returns, roll back when it throws. */
public final class SqlTransaction {
    private SqlTransaction() {
    }

    /**
     * Runs {@code work} in one transaction on {@code c} and restores the connection's auto-commit
     * after. A rollback that fails too is attached to the work's exception, never thrown instead of it.
     */
    public static <T> T run(Connection c, SqlWork<T> work) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        T result;
        try {
            result = work.run(c);
            c.commit();
        } catch (Throwable e) {
            try {
                c.rollback();
                c.setAutoCommit(auto);
            } catch (SQLException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        c.setAutoCommit(auto);
        return result;
    }
}
